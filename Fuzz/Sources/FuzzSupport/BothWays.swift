import WaymarkEngine
import WaymarkModel

/// The JSON report of an event batch, `bytes`, written the two ways Waymark writes it: by one
/// engine that keeps every case, as the daemon does, and case by case from the bytes, as `waymark
/// run` does. Both are as of the end of the last event's date; the two texts must be the same.
///
/// - Parameter decoded: the batch already decoded in the definitions' zone, if the caller has it;
///   else it is decoded here, and must decode.
public func bothWays(
    _ bytes: [UInt8], decoded: [Event]? = nil, _ definitions: Definitions, openOnly: Bool
) -> (engine: String, caseByCase: String) {
    var engine = Engine(definitions: definitions)
    engine.keepsFinishedTaskReasons = !openOnly
    guard let events = decoded ?? (try? EventDecoder.decode(bytes, timeZoneID: engine.timeZoneID)) else {
        fatalError("the batch does not decode")
    }
    _ = engine.ingest(events)
    let day = engine.lastEventMoment.map { engine.timeZone.date(of: $0) }
    if let day { engine.advance(to: engine.endOfDay(day)) }
    if !openOnly {
        // The other formats, for their traps: only the JSON is compared.
        let report = engine.report(openOnly: false)
        _ = report.csv()
        _ = report.table()
    }
    var stream = engine.reportStream(openOnly: openOnly)
    if let day { stream.asOf = day }
    var run = CaseByCaseRun(definitions: definitions)
    var out: [UInt8] = []
    do {
        try run.add(bytes)
        _ = try run.writeJSON(through: nil, openOnly: openOnly, spill: MemorySpill()) { out += $0 }
    } catch {
        fatalError("case by case refused what the engine took: \(error)")
    }
    return (stream.json(), String(decoding: out, as: UTF8.self))
}
