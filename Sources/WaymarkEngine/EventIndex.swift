import CMemoryHints
import WaymarkFEEL

/// The events of a batch run, found again case by case: for each event, where its bytes are in its
/// file and which case it goes to, rather than the event itself.
///
/// A batch run (`waymark run`) holds its input files anyway. Decoded and kept, a million events
/// were 178 MB above those files before any case ran, and filed into their cases they stayed
/// (packed) for the rest of the run. This index is 16 bytes an event, and ``CaseByCaseRun`` decodes a
/// case's events again only when it runs that case.
struct EventIndex: Sendable {
    /// An event's bytes in its file (`start..<start + length`), and its case (-1: a duplicate).
    struct Slot: Sendable {
        var start: Int
        var length: Int32
        var caseNumber: Int32
    }

    /// The input files, in the order given.
    private(set) var files: [[UInt8]] = []
    /// The first slot of each file.
    private(set) var fileStarts: [Int] = []
    private(set) var slots: [Slot] = []
    /// Every case named, by case number (in the order first named).
    private(set) var caseIDs: [String] = []
    private var caseNumbers = CaseNumberIndex()
    /// The slot of each accepted event, by its id (see ``CaseNumberIndex``).
    private var ids = CaseNumberIndex()
    /// The ids made for events sent without one, by slot (see ``EventDecoder/missingID``).
    private(set) var madeIDs: [Int32: String] = [:]
    /// The latest moment of an accepted event.
    private(set) var lastMoment: Moment?
    private(set) var duplicates = 0
    let zone: ZoneOffsets
    /// Bytes of JSON Lines decoded at a time (small in tests, to cross windows cheaply).
    var window = EventDecoder.scanWindow

    init(zone: ZoneOffsets) { self.zone = zone }

    var eventCount: Int { slots.count - duplicates }

    /// Reads a file's events, all or nothing: the problems of every line are thrown, and the index is
    /// left as it was.
    ///
    /// The file is decoded a window of lines at a time on `workers` threads, and each window's events
    /// are let go once filed, so that no more than a window's events are ever held decoded.
    mutating func add(_ bytes: [UInt8], workers: Int) throws(EventBatchError) {
        // Filed into a copy, kept only if the file has no problem (for a second file, its lists are
        // copied once: a table of ids cannot be taken back a key at a time).
        var scanned = self
        var problems: [EventBatchError.Problem] = []
        scanned.files.append(bytes)
        scanned.fileStarts.append(slots.count)
        var counts: [String: Int] = [:]
        bytes.withUnsafeBufferPointer { buffer in
            // Room for a slot and an id a line, made once: grown by doubling, the slots of a million
            // events were copied into new room at 16 and 32 MB with the old room still held.
            var lines = 1
            var at = 0
            while case let next = EventDecoder.nextLineBreak(buffer, from: at, to: buffer.count), next < buffer.count {
                lines += 1
                at = next + 1
            }
            scanned.slots.reserveCapacity(slots.count + lines)
            scanned.ids.reserve(lines)
            EventDecoder.scan(buffer, zone: zone, workers: workers, window: window, problems: &problems) { events in
                // The ids' table is asked for the slots of events a few ahead (see
                // `CaseNumberIndex.prefetch`).
                let ahead = 8
                for k in events.indices {
                    if k + ahead < events.count, events[k + ahead].idBits != 0 {
                        scanned.ids.prefetch(events[k + ahead].idBits)
                    }
                    scanned.file(events[k], counts: &counts)
                }
            }
        }
        if !problems.isEmpty { throw EventBatchError(problems: problems) }
        self = scanned
    }

    /// Files one event: its case, or as a duplicate when an earlier event had its id.
    private mutating func file(_ event: borrowing ScannedEvent, counts: inout [String: Int]) {
        let range = event.bytes
        let slot = Int32(slots.count)
        var id = event.id
        if id.isEmpty {
            id = EventDecoder.missingID(caseID: event.caseID, type: event.type, at: event.at, counts: &counts)
            madeIDs[slot] = id
        }
        let idBits = event.id.isEmpty ? CaseNumberIndex.bits(id) : event.idBits
        let seen = ids.first(idBits) { earlier in self.id(of: Int(earlier)) == id }
        guard seen == nil else {
            slots.append(Slot(start: range.lowerBound, length: Int32(range.count), caseNumber: -1))
            duplicates += 1
            return
        }
        ids.insert(idBits, slot)
        let caseBits = event.caseBits
        let ci: Int32
        if let known = caseNumbers.first(caseBits, where: { caseIDs[Int($0)] == event.caseID }) {
            ci = known
        } else {
            ci = Int32(caseIDs.count)
            caseIDs.append(event.caseID)
            caseNumbers.insert(caseBits, ci)
        }
        slots.append(Slot(start: range.lowerBound, length: Int32(range.count), caseNumber: ci))
        if lastMoment.map({ event.at > $0 }) ?? true { lastMoment = event.at }
    }

    /// The file holding slot `slot`.
    private func fileOf(_ slot: Int) -> Int {
        var lo = 0
        var hi = fileStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if fileStarts[mid] <= slot { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// The event of slot `slot`, decoded again from its file, with the id it was filed under.
    func event(_ slot: Int, strings: JSONStringTable) -> Event {
        let s = slots[slot]
        var event = files[fileOf(slot)].withUnsafeBufferPointer { buffer in
            EventDecoder.decodeAgain(buffer, s.start..<s.start + Int(s.length), zone: zone, strings: strings)
        }
        if event.id.isEmpty { event.id = madeIDs[Int32(slot)] ?? "" }
        return event
    }

    /// Starts loading the slots of `slotNumbers` into the cache, for ``prefetchBytes(_:)`` to read a
    /// little later: a case's slots are scattered across the index (they are in file order).
    func prefetchSlots(_ slotNumbers: ArraySlice<Int32>) {
        slots.withUnsafeBufferPointer { table in
            for k in slotNumbers { waymark_prefetch(table.baseAddress! + Int(k)) }
        }
    }

    /// Starts loading the bytes of the events of `slotNumbers` (their first and last cache lines),
    /// for ``event(_:strings:)`` to read a little later.
    ///
    /// A case's events lie where they were in the files, among everyone else's. Read as its case
    /// ran, each was a cache miss: the first byte's load and the slot's were nearly all of
    /// `event(_:strings:)`'s own cycles (`perf`, the million events of the benchmark's stream).
    func prefetchBytes(_ slotNumbers: ArraySlice<Int32>) {
        for k in slotNumbers {
            let s = slots[Int(k)]
            files[fileOf(Int(k))].withUnsafeBufferPointer { bytes in
                waymark_prefetch(bytes.baseAddress! + s.start)
                waymark_prefetch(bytes.baseAddress! + s.start + Int(s.length) - 1)
            }
        }
    }

    /// The id of slot `slot` (read again: only to tell apart two ids with the same hash).
    private func id(of slot: Int) -> String {
        if let made = madeIDs[Int32(slot)] { return made }
        let strings = JSONStringTable()
        return withExtendedLifetime(strings) { event(slot, strings: strings).id }
    }

    /// The accepted slots of each case, in the order they were read: `order[starts[c]..<starts[c + 1]]`
    /// for case number `c`.
    func slotsByCase() -> (order: [Int32], starts: [Int32]) {
        var starts = [Int32](repeating: 0, count: caseIDs.count + 1)
        for s in slots where s.caseNumber >= 0 { starts[Int(s.caseNumber) + 1] += 1 }
        for c in caseIDs.indices { starts[c + 1] += starts[c] }
        var next = starts
        var order = [Int32](repeating: 0, count: Int(starts[caseIDs.count]))
        for (k, s) in slots.enumerated() where s.caseNumber >= 0 {
            order[Int(next[Int(s.caseNumber)])] = Int32(k)
            next[Int(s.caseNumber)] += 1
        }
        return (order, starts)
    }
}

/// What ``EventIndex`` reads of an event while filing it, and where its bytes are; its facts and
/// data are not kept.
///
/// One struct rather than a pair of it and the range: a list of pairs was copied and let go through
/// the runtime's general code for tuples, field by field.
struct ScannedEvent: Sendable {
    var id: String
    var caseID: String
    var type: String
    var at: Moment
    /// The bytes of the file it was read from.
    var bytes: Range<Int>
    /// The hashes ``CaseNumberIndex`` files the id and the case id under, worked out on the threads
    /// that decode (0 for an event without an id).
    var idBits: UInt32
    var caseBits: UInt32

    init(_ e: borrowing Event, _ bytes: Range<Int>) {
        (id, caseID, type, at) = (e.id, e.caseID, e.type, e.at)
        self.bytes = bytes
        idBits = e.id.isEmpty ? 0 : CaseNumberIndex.bits(e.id)
        caseBits = CaseNumberIndex.bits(e.caseID)
    }
}

extension EventDecoder {
    /// Bytes of JSON Lines decoded at a time by ``scan(_:zone:workers:window:problems:take:)``.
    static let scanWindow = 8 << 20

    /// Checks every event of `bytes` as ``decode(_:timeZoneID:workers:)`` does and hands them to
    /// `take` a run of lines at a time, in file order, each with the bytes it was read from; once a
    /// problem is found, the rest are only checked.
    ///
    /// `take` is called one call at a time, each finished before the next begins, but not always on
    /// the caller's thread: a window's runs are handed over by one of the threads decoding the next.
    ///
    /// Each thread's run is handed over as it is: joined into one list per window first, every
    /// event's strings were retained for the copy and released with the runs (2.6% of a run's
    /// instructions went to copying and letting go of these lists).
    static func scan(
        _ buffer: UnsafeBufferPointer<UInt8>, zone: ZoneOffsets, workers: Int, window: Int = scanWindow,
        problems: inout [EventBatchError.Problem], take: ([ScannedEvent]) -> Void
    ) {
        var first = 0
        while first < buffer.count, [0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains(buffer[first]) {
            first += 1
        }
        if first < buffer.count, buffer[first] == UInt8(ascii: "[") {
            var events: [ScannedEvent] = []
            decodeArray(buffer, start: first, zone: zone, problems: &problems) { event, range in
                events.append(ScannedEvent(event, range))
            }
            if problems.isEmpty { take(events) }
            return
        }
        var start = 0
        if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { start = 3 }
        var line = 1
        // A window's events are handed to `take` while the next window is decoded: handed over
        // after it, one thread filed them while the other waited (the index of a million events
        // spent 0.17 of its 0.40 s so, on two cores).
        var decoded: [[ScannedEvent]] = []
        withoutActuallyEscaping(take) { take in
            // `take` runs in one iteration of a round, the only one to touch what it captures.
            nonisolated(unsafe) let take = take
            repeat {
                // A window ends just after a line break (or at the end of the file).
                var end = min(start + max(window, 1), buffer.count)
                if end < buffer.count {
                    end = min(nextLineBreak(buffer, from: end - 1, to: buffer.count) + 1, buffer.count)
                }
                let last = end == buffer.count
                let (runs, nextLine) = lineRuns(buffer, start..<end, firstLine: line, workers: workers)
                // Each run only reads `buffer`, which outlives `ParallelChunks.map`.
                nonisolated(unsafe) let shared = buffer
                // The last window's events, if any (there are none once a problem is found).
                let filing = decoded
                let filer = filing.isEmpty ? 0 : 1
                let parts = ParallelChunks.map(chunks: filer + runs.count, workers: workers) {
                    k -> ([ScannedEvent], [EventBatchError.Problem]) in
                    if k < filer {
                        for events in filing { take(events) }
                        return ([], [])
                    }
                    let run = runs[k - filer]
                    var found: [EventBatchError.Problem] = []
                    var events: [ScannedEvent] = []
                    decodeLines(
                        shared, from: run.range.lowerBound, to: run.range.upperBound,
                        last: last && k - filer == runs.count - 1, firstLine: run.firstLine, zone: zone,
                        values: false, problems: &found
                    ) { event, range in events.append(ScannedEvent(event, range)) }
                    return (events, found)
                }
                for (_, found) in parts.dropFirst(filer) { problems += found }
                decoded = problems.isEmpty ? parts.dropFirst(filer).map(\.0) : []
                line = nextLine
                start = end
            } while start < buffer.count
            for events in decoded { take(events) }
        }
    }

    /// The event at `range`, which ``scan(_:zone:workers:window:problems:take:)`` has already found sound.
    static func decodeAgain(
        _ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, zone: ZoneOffsets, strings: JSONStringTable
    ) -> Event {
        var reader = JSONReader(buffer, from: range.lowerBound, to: range.upperBound, strings: strings)
        reader.skipWhitespace()
        var problems: [EventBatchError.Problem] = []
        guard let event = decodeOne(&reader, line: 0, zone: zone, problems: &problems) else {
            preconditionFailure("an event that was read once could not be read again")
        }
        return event
    }
}
