import Foundation
import WaymarkFEEL

/// Parses events from JSON Lines or from one JSON array, all or nothing.
///
/// Every line is checked even after the first bad one, so that whoever fixes the file sees every
/// problem at once; the events are returned only when there is none.
public enum EventDecoder {
    /// Decodes `bytes` (JSON Lines, or a JSON array of event objects).
    ///
    /// - Parameter timeZoneID: the zone in which a bare date in `at` means 00:00.
    /// - Throws: ``EventBatchError`` with every problem (1-based line, or array index, and field).
    /// - Parameter workers: threads that may decode the lines of a large file, a run of lines each;
    ///   the events and problems come out in file order whatever their number.
    public static func decode(_ bytes: [UInt8], timeZoneID: String, workers: Int = 1) throws(EventBatchError)
        -> [Event]
    {
        let zone = ZoneOffsets(identifier: timeZoneID) ?? .utc
        var events: [Event] = []
        var problems: [EventBatchError.Problem] = []
        bytes.withUnsafeBufferPointer { buffer in
            var first = 0
            while first < buffer.count, [0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains(buffer[first]) {
                first += 1
            }
            if first < buffer.count, buffer[first] == UInt8(ascii: "[") {
                decodeArray(buffer, start: first, zone: zone, problems: &problems) { event, _ in events.append(event) }
            } else {
                decodeLines(buffer, zone: zone, workers: workers, events: &events, problems: &problems)
            }
        }
        if !problems.isEmpty { throw EventBatchError(problems: problems) }
        numberMissingIDs(&events)
        return events
    }

    private static func decodeLines(
        _ buffer: UnsafeBufferPointer<UInt8>, zone: ZoneOffsets, workers: Int, events: inout [Event],
        problems: inout [EventBatchError.Problem]
    ) {
        var start = 0
        if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { start = 3 }
        let (ranges, line) = lineRuns(buffer, start..<buffer.count, firstLine: 1, workers: workers)
        // Each chunk decodes straight into the one array of events, from the slot of its first line
        // (a line makes at most one event), and the runs are closed up after. Decoded into an array
        // per chunk and joined, the events were copied once more (a reference count for each of their
        // strings, and a release when the chunk's array went), and the joined array grew by doubling,
        // each time into fresh pages: 3% of the time of a million-event run, sampled with `perf`.
        let lineCounts = ranges.indices.map { k in
            (k + 1 < ranges.count ? ranges[k + 1].firstLine : line) - ranges[k].firstLine + 1
        }
        var slots = 0
        let firstSlots = lineCounts.map { n in
            defer { slots += n }
            return slots
        }
        let chunks = ranges
        let decoded = [Event](unsafeUninitializedCapacity: slots) { all, initialized in
            // Only read (`buffer`), or written in disjoint runs (`all`), and `ParallelChunks.map`
            // returns once every chunk is done with them.
            nonisolated(unsafe) let (shared, all) = (buffer, all)
            let parts = ParallelChunks.map(chunks: chunks.count, workers: workers) { k in
                var problems: [EventBatchError.Problem] = []
                let (range, firstLine) = chunks[k]
                let base = all.baseAddress! + firstSlots[k]
                var count = 0
                decodeLines(
                    shared, from: range.lowerBound, to: range.upperBound, last: k == chunks.count - 1,
                    firstLine: firstLine, zone: zone, problems: &problems
                ) { event, _ in
                    precondition(count < lineCounts[k], "more events than lines")
                    (base + count).initialize(to: event)
                    count += 1
                }
                return (count, problems)
            }
            // Close up the runs, in chunk order: a run only moves down, over slots already vacated.
            for k in parts.indices {
                let (count, found) = parts[k]
                if initialized != firstSlots[k] {
                    (all.baseAddress! + initialized).moveInitialize(
                        from: all.baseAddress! + firstSlots[k], count: count)
                }
                initialized += count
                problems += found
            }
        }
        if events.isEmpty { events = decoded } else { events += decoded }
    }

    /// `range` of `buffer` cut into up to `workers * 4` runs of whole lines, each with the number of
    /// its first line, and the number of the line after the last break (`range` starts a line).
    static func lineRuns(
        _ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, firstLine: Int, workers: Int
    ) -> (runs: [(range: Range<Int>, firstLine: Int)], lastLine: Int) {
        let start = range.lowerBound
        // Runs of whole lines: each chunk boundary is moved to just after a line break.
        var cuts = ParallelChunks.bounds(count: range.count, workers: workers).map { start + $0.lowerBound }
        for k in cuts.indices.dropFirst() {
            var cut = max(cuts[k], cuts[k - 1])
            while cut < range.upperBound, buffer[cut - 1] != 0x0A { cut += 1 }
            cuts[k] = cut
        }
        var runs: [(range: Range<Int>, firstLine: Int)] = []
        var line = firstLine
        for k in cuts.indices {
            let end = k + 1 < cuts.count ? cuts[k + 1] : range.upperBound
            runs.append((cuts[k]..<end, line))
            var at = cuts[k]
            while case let next = nextLineBreak(buffer, from: at, to: end), next < end {
                line += 1
                at = next + 1
            }
        }
        return (runs, line)
    }

    /// The lines that start in `from..<to` (and the empty line after a final break, if `last`).
    /// `emit` is given each event with the bytes it was read from.
    ///
    /// - Parameter values: false to check `data` and `facts` without building them (the events
    ///   emitted then have them empty); a line found wanting is read again in full, so its problems
    ///   are the same either way.
    static func decodeLines(
        _ buffer: UnsafeBufferPointer<UInt8>, from: Int, to: Int, last: Bool, firstLine: Int, zone: ZoneOffsets,
        values: Bool = true, problems: inout [EventBatchError.Problem], emit: (consuming Event, Range<Int>) -> Void
    ) {
        var lineStart = from
        var line = firstLine - 1
        // The readers do not count their reference to the table: it lives until the last is done.
        let strings = JSONStringTable()
        withExtendedLifetime(strings) {
            while lineStart < to || (last && lineStart == to) {
                line += 1
                let lineEnd = nextLineBreak(buffer, from: lineStart, to: buffer.count)
                func read(values: Bool) -> Event? {
                    var reader = JSONReader(buffer, from: lineStart, to: lineEnd, strings: strings)
                    reader.skipWhitespace()
                    guard !reader.atEnd else { return nil }
                    let event = decodeOne(&reader, line: line, zone: zone, values: values, problems: &problems)
                    reader.skipWhitespace()
                    if !reader.atEnd, problems.last?.line != line {
                        problems.append(.init(line: line, field: nil, message: "unexpected text after the event"))
                    }
                    return event
                }
                let before = problems.count
                var event = read(values: values)
                if !values, problems.count > before {
                    problems.removeSubrange(before...)
                    event = read(values: true)
                }
                // Moved out, not copied: a copy is a retain of each of its strings and contexts
                // now, and a release of each when the original goes.
                if let taken = event.take() { emit(taken, lineStart..<lineEnd) }
                lineStart = lineEnd + 1
            }
        }
    }

    /// The index of the first line break in `from..<to`, or `to`: found by the C library's `memchr`,
    /// which looks at many bytes at a time, where a loop over them was 1.7% of a run's instructions.
    static func nextLineBreak(_ buffer: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int {
        guard from < to, let found = memchr(buffer.baseAddress! + from, 0x0A, to - from) else { return to }
        return buffer.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// `emit` is given each element's event with the bytes it was read from.
    static func decodeArray(
        _ buffer: UnsafeBufferPointer<UInt8>, start: Int, zone: ZoneOffsets, problems: inout [EventBatchError.Problem],
        emit: (consuming Event, Range<Int>) -> Void
    ) {
        let strings = JSONStringTable()
        defer { withExtendedLifetime(strings) {} }
        var reader = JSONReader(buffer, from: start, to: buffer.count, strings: strings)
        var lastIndex = 0
        do {
            try reader.arrayElements { (r: inout JSONReader, index: Int) throws(JSONReader.Failure) in
                lastIndex = index
                let before = problems.count
                r.skipWhitespace()
                let from = r.index
                if let event = decodeOne(&r, line: index, zone: zone, problems: &problems) {
                    emit(event, from..<r.index)
                }
                // A syntax error leaves the reader nowhere sensible: stop at the first one.
                if problems.count > before, problems.last?.message.hasPrefix("invalid JSON") == true {
                    throw JSONReader.Failure(message: "", offset: r.index)
                }
            }
            reader.skipWhitespace()
            if !reader.atEnd {
                problems.append(.init(line: lastIndex, field: nil, message: "unexpected text after the array"))
            }
        } catch {
            if !error.message.isEmpty {
                problems.append(.init(line: lastIndex + 1, field: nil, message: "invalid JSON: \(error.message)"))
            }
        }
    }

    /// Reads one event object at the reader's position, recording problems against `line`;
    /// the event when it has none.
    ///
    /// - Parameter values: false to check `data` and `facts` without building them (see
    ///   ``skim(_:)``): the event then has them empty, and a problem may be only that the check
    ///   could not vouch for a value, so the caller reads the event again in full to know.
    static func decodeOne(
        _ reader: inout JSONReader, line: Int, zone: ZoneOffsets, values: Bool = true,
        problems: inout [EventBatchError.Problem]
    ) -> Event? {
        var id: String?
        var caseID: String?
        var type: String?
        var at: Moment?
        var facts: FEELContext?
        var data: FEELContext?
        // The known fields met so far, a bit each, and the unknown ones by name. A list of every
        // name met was an allocation an event and four string comparisons a field.
        var seen = KnownFields()
        var unknown: [String] = []
        var mine: [EventBatchError.Problem] = []
        // The field being read, for a syntax error in it: a known one by its bit, any other by its
        // name. Kept as a name for every field, it was a string stored and let go for each of them.
        var currentKnown = KnownFields()
        var currentOther: String?
        do {
            try reader.objectFields {
                (r: inout JSONReader, text: UnsafeBufferPointer<UInt8>) throws(JSONReader.Failure) in
                let field = KnownFields(text)
                // The name as text only for an unknown field: the known ones have theirs.
                let other = field.isEmpty ? String(decoding: text, as: UTF8.self) : nil
                var key: String { field.name ?? other ?? "" }
                currentKnown = field
                if let other { currentOther = other }
                // `at` read from the file's bytes: made into a string first and then copied into an
                // array to parse, it was two allocations and 1,800 instructions an event.
                if field == .at, !seen.contains(.at), let text = r.plainStringBytes() {
                    seen.insert(.at)
                    if let m = Moment.parse(text, zone: zone) {
                        at = m
                    } else {
                        let s = String(decoding: text, as: UTF8.self)
                        mine.append(.init(line: line, field: key, message: Moment.refusal(s)))
                    }
                    return
                }
                let value = !values && (field == .facts || field == .data) ? try skim(&r) : try r.value()
                if field.isEmpty ? unknown.contains(key) : seen.contains(field) {
                    mine.append(.init(line: line, field: key, message: "appears more than once"))
                    return
                }
                if field.isEmpty { unknown.append(key) } else { seen.insert(field) }
                switch field {
                case .id:
                    switch value {
                    case .string(let s) where !s.isEmpty: id = s
                    case .number(let n): id = "\(n)"
                    default: mine.append(.init(line: line, field: key, message: "must be a non-empty string"))
                    }
                case .case:
                    switch value {
                    case .string(let s) where !s.isEmpty: caseID = s
                    case .number(let n): caseID = "\(n)"
                    default: mine.append(.init(line: line, field: key, message: "must be a non-empty string"))
                    }
                case .type:
                    if case .string(let s) = value, !s.isEmpty {
                        type = s
                    } else {
                        mine.append(.init(line: line, field: key, message: "must be a non-empty string"))
                    }
                case .at:
                    if case .string(let s) = value {
                        if let m = Moment.parse(s, zone: zone) {
                            at = m
                        } else {
                            mine.append(.init(line: line, field: key, message: Moment.refusal(s)))
                        }
                    } else {
                        mine.append(
                            .init(line: line, field: key, message: "must be an ISO 8601 date or date-time string"))
                    }
                case .facts, .data:
                    switch value {
                    case .context(let c): if field == .facts { facts = c } else { data = c }
                    case .null: break
                    default: mine.append(.init(line: line, field: key, message: "must be an object"))
                    }
                default:
                    mine.append(.init(line: line, field: key, message: "unknown field"))
                }
            }
        } catch {
            problems.append(
                .init(line: line, field: currentKnown.name ?? currentOther, message: "invalid JSON: \(error.message)"))
            return nil
        }
        // The required fields, without a list of them made for every event.
        func require(_ name: String, _ field: KnownFields, _ present: Bool) {
            if !present && !seen.contains(field) { mine.append(.init(line: line, field: name, message: "is required")) }
        }
        require("case", .case, caseID != nil)
        require("type", .type, type != nil)
        require("at", .at, at != nil)
        if !mine.isEmpty {
            problems.append(contentsOf: mine)
            return nil
        }
        guard let at, caseID != nil, type != nil else { return nil }
        // Moved out (`take()`), not copied: the fields are captured by the closure above, and a copy
        // of each was a retain here and a release as the closure's captures went.
        return Event(
            id: id.take() ?? "", caseID: caseID.take()!, type: type.take()!, at: at, facts: facts.take(),
            data: data.take())
    }

    /// An event's `data` or `facts` checked but not built: an empty context for an object, null for
    /// null. Anything else is left to a full read (``JSONReader/unsure``), which says what is wrong.
    private static func skim(_ r: inout JSONReader) throws(JSONReader.Failure) -> FEELValue {
        r.skipWhitespace()
        guard !r.atEnd else { throw r.fail(JSONReader.unsure) }
        switch r.bytes[r.index] {
        case UInt8(ascii: "{"):
            try r.skipValue()
            return .context(FEELContext())
        case UInt8(ascii: "n"):
            try r.literal("null")
            return .null
        default: throw r.fail(JSONReader.unsure)
        }
    }

    /// The top-level fields an event may have, as bits.
    struct KnownFields: OptionSet {
        let rawValue: UInt8
        static let id = KnownFields(rawValue: 1)
        static let `case` = KnownFields(rawValue: 2)
        static let type = KnownFields(rawValue: 4)
        static let at = KnownFields(rawValue: 8)
        static let facts = KnownFields(rawValue: 16)
        static let data = KnownFields(rawValue: 32)

        init(rawValue: UInt8) { self.rawValue = rawValue }

        /// The field whose name is these bytes; empty for a name that is none of them. Compared as
        /// bytes: a `String` of each name, switched on, was 700 instructions an event.
        init(_ key: UnsafeBufferPointer<UInt8>) {
            func isName(_ name: StaticString) -> Bool {
                name.utf8CodeUnitCount == key.count && memcmp(name.utf8Start, key.baseAddress!, key.count) == 0
            }
            switch key.count {
            case 2: self = isName("id") ? .id : isName("at") ? .at : []
            case 4: self = isName("case") ? .case : isName("type") ? .type : isName("data") ? .data : []
            case 5: self = isName("facts") ? .facts : []
            default: self = []
            }
        }

        /// The name of a single known field; nil for none or several.
        var name: String? {
            switch self {
            case .id: "id"
            case .case: "case"
            case .type: "type"
            case .at: "at"
            case .facts: "facts"
            case .data: "data"
            default: nil
            }
        }
    }

    /// An event without an id gets one from its content (case, time and type), numbered when the same
    /// content repeats, so that sending the same file twice is still idempotent.
    private static func numberMissingIDs(_ events: inout [Event]) {
        var counts: [String: Int] = [:]
        for i in events.indices where events[i].id.isEmpty {
            let e = events[i]
            events[i].id = missingID(caseID: e.caseID, type: e.type, at: e.at, counts: &counts)
        }
    }

    /// The id of an event sent without one, from `counts` of the same content met before in its file.
    static func missingID(caseID: String, type: String, at: Moment, counts: inout [String: Int]) -> String {
        let base = "\(caseID)/\(type)/\(at.formatted(in: .utc))"
        let n = (counts[base] ?? 0) + 1
        counts[base] = n
        return n == 1 ? base : "\(base)#\(n)"
    }
}
