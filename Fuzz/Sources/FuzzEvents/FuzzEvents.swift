// libFuzzer's entry point for event batches, the bytes of `POST /v1/events` and of `waymark run`'s
// files. They are decoded all or nothing. A batch that decodes is run with the shipped definitions
// twice, as the daemon runs it (one engine keeping every case) and as `waymark run` does (case by
// case, spilled and merged), both through the end of the last event's date, open and full: the two
// JSON texts must be the same, byte for byte. The engine's report is also written as CSV and as the
// table. A decoding error is expected; a trap, a hang, a leak or two different JSON texts is a finding.
//
// `WAYMARK_ROOT` names the definitions folder (default: the repository, one level up from where
// `scripts/fuzz.sh` runs this).

import Foundation
import WaymarkDefinitions
import WaymarkEngine
import WaymarkModel

let definitions: Definitions = {
    let root = ProcessInfo.processInfo.environment["WAYMARK_ROOT"] ?? ".."
    guard let loaded = try? DefinitionsLoader(root: root).load(), !loaded.hasErrors else {
        fatalError("cannot load the definitions from \(root)")
    }
    return loaded.definitions
}()

/// The zone a bare date is read in: the definitions' calendar's, as `waymark run` reads it.
let zoneID = Engine(definitions: definitions).timeZoneID

/// The engine's JSON, as the daemon's engine would list it at the end of the last event's date.
func engineJSON(_ events: [Event], openOnly: Bool) -> String {
    var engine = Engine(definitions: definitions)
    engine.keepsFinishedTaskReasons = !openOnly
    _ = engine.ingest(events)
    let day = engine.lastEventMoment.map { engine.timeZone.date(of: $0) }
    if let day { engine.advance(to: engine.endOfDay(day)) }
    var stream = engine.reportStream(openOnly: openOnly)
    if let day { stream.asOf = day }
    if !openOnly {
        let report = engine.report(openOnly: false)
        _ = report.csv()
        _ = report.table()
    }
    return stream.json()
}

/// `waymark run`'s JSON: case by case.
func caseByCaseJSON(_ bytes: [UInt8], openOnly: Bool) -> String {
    var run = CaseByCaseRun(definitions: definitions)
    do {
        try run.add(bytes)
        var out: [UInt8] = []
        _ = try run.writeJSON(through: nil, openOnly: openOnly, spill: MemorySpill()) { out += $0 }
        return String(decoding: out, as: UTF8.self)
    } catch {
        fatalError("case by case refused what the decoder took: \(error)")
    }
}

func fuzzEvents(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let events: [Event]
    do {
        events = try EventDecoder.decode(bytes, timeZoneID: zoneID)
    } catch {
        precondition(!error.problems.isEmpty, "a refused batch names no problem")
        return 0
    }
    for openOnly in [false, true] {
        let a = engineJSON(events, openOnly: openOnly)
        let b = caseByCaseJSON(bytes, openOnly: openOnly)
        if a != b {
            fatalError("the engine and case by case differ (openOnly: \(openOnly)):\n\(a)\n---\n\(b)")
        }
    }
    return 0
}
