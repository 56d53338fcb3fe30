import HeapModule
public import WaymarkFEEL
public import WaymarkModel

/// `waymark run --format json` (or `csv`) over files of any size: each case is run on its own from
/// its events and let go, and only its records are kept, in a ``RecordSpill``, until the lists are
/// written.
///
/// The ``Engine`` keeps every case, as the daemon must: a case's next event may come at any time.
/// A batch run knows every event before it starts, so no case needs to be kept once it has run to
/// the report's date. Run through the engine, a million events over 100,000 cases held about 9 KB
/// for each case still open at the end (every event, task, alert and history entry of every case,
/// closed ones too, and the events decoded at once before that). Here memory is what the input
/// files take, an ``EventIndex`` of 16 bytes an event, and the cases in hand on each thread.
///
/// The output is byte for byte what ``Engine/reportStream(openOnly:)`` writes for the same events
/// (a test holds the two together): every case's outcome depends only on its own events, and the
/// lists are put in the same order. The records of each chunk of cases are sorted as they are
/// spilled; writing merges the chunks.
public struct CaseByCaseRun: Sendable {
    private var index: EventIndex
    private let definitions: EngineDefinitions
    /// How many threads may run cases at once (the output does not depend on it).
    public var workers = 1
    /// Cases run one after another on a thread and spilled together. Each chunk is one sorted run
    /// that the writing merges through a read buffer of its own (``SpillReader/block``), so fewer,
    /// larger chunks hold less at the end; each thread holds its chunk's records (about 3 KB a case
    /// in the benchmark's cohort) until they are spilled. 1,024 cases: about 3 MB a chunk, and 100
    /// chunks (3 MB of buffers) for 100,000 cases.
    var casesPerChunk = 1_024
    /// Bytes of JSON Lines decoded at a time while reading (see ``EventIndex/window``).
    var readWindow: Int {
        get { index.window }
        set { index.window = newValue }
    }

    public init(definitions: Definitions) {
        self.definitions = EngineDefinitions(versions: [CompiledDefinitions(definitions)])
        index = EventIndex(zone: self.definitions.newest.defaultCalendar.zone)
    }

    /// The default calendar's time zone, in which dates of moments and `as_of` are read.
    public var timeZone: ZoneOffsets { definitions.newest.defaultCalendar.zone }

    /// Reads a file of events (JSON Lines or a JSON array), all or nothing: on a problem in any
    /// line, every problem is thrown and nothing of the file is kept. Files are read in the order
    /// given; an event whose id an earlier one had is ignored.
    public mutating func add(_ bytes: [UInt8]) throws(EventBatchError) {
        try index.add(bytes, workers: workers)
    }

    /// The moment of the latest event read (the default `--as-of` is its date).
    public var lastEventMoment: Moment? { index.lastMoment }
    /// Events read, not counting duplicates.
    public var eventCount: Int { index.eventCount }
    public var duplicateCount: Int { index.duplicates }
    public var caseCount: Int { index.caseIDs.count }

    /// What ``write(_:through:openOnly:spill:to:)`` writes.
    public enum Format: Sendable, Equatable {
        /// The spec's JSON: tasks, alerts and cases, as ``Engine/reportStream(openOnly:)`` writes it.
        case json
        /// The tasks as CSV, as ``RunReport/csv()`` writes them.
        case csv
        /// The table for a terminal, as ``RunReport/table(limit:)`` prints it.
        case table(limit: Int?)
    }

    /// What a run found besides its lists.
    public struct Summary: Sendable {
        /// Problems met while handling any case, as ``Engine/problems`` gives them.
        public var problems: [String] = []
        public var taskCount = 0
        public var alertCount = 0
        public var enrolmentCount = 0
        /// Cases with an open enrolment at the end.
        public var openCaseCount = 0
        /// Timers fired and daily conditions evaluated, for benchmarks.
        public var timersFired = 0
        public var dailyChecks = 0
    }

    /// Runs every case through the end of `through` (or of the latest event's day) and writes its
    /// lists to `sink` a piece at a time: what the engine would write for the same events
    /// (``Engine/reportStream(openOnly:)`` for JSON, ``RunReport/csv()`` for CSV,
    /// ``RunReport/table(limit:)`` for the table, which needs no spill).
    public func write(
        _ format: Format = .json, through: FEELDate?, openOnly: Bool, spill: some RecordSpill,
        to sink: ([UInt8]) -> Void
    ) throws(SpillError) -> Summary {
        var env = definitions
        env.packsCasesAtRest = false
        // The table only counts finished tasks.
        if case .table = format {
            env.keepsFinishedTaskReasons = false
        } else {
            env.keepsFinishedTaskReasons = !openOnly
        }
        let asOf = through ?? lastEventMoment.map { timeZone.date(of: $0) }
        let chunks = try runChunks(through: asOf, openOnly: openOnly, format, env, spill)
        var summary = Summary()
        for chunk in chunks {
            summary.problems += chunk.problems
            summary.openCaseCount += chunk.openCases
            summary.timersFired += chunk.timersFired
            summary.dailyChecks += chunk.dailyChecks
        }
        let counts = (0..<3).map { list in chunks.reduce(0) { $0 + $1.lists[list].count } }
        (summary.taskCount, summary.alertCount, summary.enrolmentCount) = (counts[0], counts[1], counts[2])
        switch format {
        case .json:
            var failure: SpillError?
            RunReport.writeFrame(
                asOf: asOf ?? .beforeAnyEvent, counts: (counts[0], counts[1], counts[2]),
                to: sink
            ) { list in
                guard failure == nil else { return }
                do throws(SpillError) {
                    try Self.merge(chunks.map { $0.lists[list] }, spill, separated: true, to: sink)
                } catch {
                    failure = error
                }
            }
            if let failure { throw failure }
        case .csv:
            sink(Array(RunReport.csvHeader.utf8))
            try Self.merge(chunks.map { $0.lists[0] }, spill, separated: false, to: sink)
        case .table(let limit):
            var table = TableSummary(asOf: asOf ?? .beforeAnyEvent, zone: timeZone, limit: limit)
            for chunk in chunks { if let part = chunk.table { table.merge(part) } }
            sink(Array(table.text().utf8))
        }
        return summary
    }

    /// ``write(_:through:openOnly:spill:to:)`` in JSON.
    public func writeJSON(
        through: FEELDate?, openOnly: Bool, spill: some RecordSpill, to sink: ([UInt8]) -> Void
    ) throws(SpillError) -> Summary {
        try write(.json, through: through, openOnly: openOnly, spill: spill, to: sink)
    }

    /// One chunk's records of one list, spilled in order: `bytes` bytes from `offset`.
    struct SpilledList: Sendable {
        var offset = 0
        var bytes = 0
        var count = 0
    }

    /// What one chunk of cases left once run.
    struct Chunk: Sendable {
        var lists = [SpilledList](repeating: SpilledList(), count: 3)
        var problems: [String] = []
        /// The chunk's part of the table, for that format.
        var table: TableSummary?
        var openCases = 0
        var timersFired = 0
        var dailyChecks = 0
    }

    /// A record's place in its list: the first key of the list's order (a task's due day, an
    /// alert's moment; 0 for cases), its case's place in the order of case ids, and its place among
    /// its case's records with the same first key. Unique, so the merge has one order.
    struct Key: Comparable, Sendable {
        var first: Int64
        var rank: Int32
        var sequence: Int32

        static func < (a: Key, b: Key) -> Bool {
            (a.first, a.rank, a.sequence) < (b.first, b.rank, b.sequence)
        }
    }

    /// A spilled record: its key, then its length and its text (a JSON record or a CSV line).
    static let headerSize = 20

    /// Runs the cases in chunks of ``casesPerChunk``, in the order of their ids, on `workers`
    /// threads, and spills each chunk's records sorted.
    private func runChunks(
        through: FEELDate?, openOnly: Bool, _ format: Format, _ env: EngineDefinitions, _ spill: some RecordSpill
    ) throws(SpillError) -> [Chunk] {
        let ids = index.caseIDs
        let byID = ids.indices.sorted { ids[$0] < ids[$1] }
        let (order, starts) = index.slotsByCase()
        let limit = through.map { timeZone.startOfDay($0.addingDays(1)) }
        let perChunk = max(casesPerChunk, 1)
        let chunkCount = (ids.count + perChunk - 1) / perChunk
        let (index, zone) = (index, timeZone)
        let results = ParallelChunks.map(chunks: chunkCount, workers: workers) { k -> Result<Chunk, SpillError> in
            let strings = JSONStringTable()
            return withExtendedLifetime(strings) {
                var chunk = Chunk()
                if case .table(let limit) = format {
                    chunk.table = TableSummary(
                        asOf: through ?? .beforeAnyEvent, zone: zone, limit: limit)
                }
                var w = JSONWriter()
                var keys: [[(key: Key, range: Range<Int>)]] = [[], [], []]
                let scope = EvaluationScope()
                let ranks = k * perChunk..<min((k + 1) * perChunk, ids.count)
                func slotsOf(_ rank: Int) -> ArraySlice<Int32> {
                    let c = byID[rank]
                    return order[Int(starts[c])..<Int(starts[c + 1])]
                }
                for rank in ranks.prefix(2) { index.prefetchSlots(slotsOf(rank)) }
                for rank in ranks {
                    // The slots two cases on, and the bytes of the next case's events (whose slots
                    // were asked for a case ago), load while this case runs.
                    if rank + 2 < ranks.upperBound { index.prefetchSlots(slotsOf(rank + 2)) }
                    if rank + 1 < ranks.upperBound { index.prefetchBytes(slotsOf(rank + 1)) }
                    let ci = byID[rank]
                    var c = CaseState(id: ids[ci])
                    for slot in slotsOf(rank) { _ = c.insert(index.event(Int(slot), strings: strings)) }
                    if let limit { chunk.timersFired += c.run(to: limit, env, sharing: scope) }
                    for problem in c.problems { chunk.problems.append("\(c.id): \(problem)") }
                    if c.hasOpenEnrolment { chunk.openCases += 1 }
                    chunk.dailyChecks += Int(c.dailyChecks)
                    if chunk.table != nil {
                        c.tally(openOnly: openOnly, into: &chunk.table!)
                    } else {
                        c.writeRecords(rank: Int32(rank), openOnly: openOnly, format, env, zone, to: &w, keys: &keys)
                    }
                }
                do throws(SpillError) {
                    for list in 0..<3 {
                        chunk.lists[list] = try Self.spill(keys[list], of: w, to: spill)
                    }
                } catch {
                    return .failure(error)
                }
                return .success(chunk)
            }
        }
        return try results.map { result throws(SpillError) in try result.get() }
    }

    /// Spills one list of a chunk in order of key; each record's JSON is `range` of `w`.
    private static func spill(
        _ records: [(key: Key, range: Range<Int>)], of w: borrowing JSONWriter, to spill: some RecordSpill
    ) throws(SpillError) -> SpilledList {
        guard !records.isEmpty else { return SpilledList() }
        let sorted = records.sorted { $0.key < $1.key }
        var out: [UInt8] = []
        out.reserveCapacity(sorted.reduce(0) { $0 + headerSize + $1.range.count })
        w.bytes.withUnsafeBufferPointer { text in
            for (key, range) in sorted {
                withUnsafeBytes(of: key.first) { out.append(contentsOf: $0) }
                withUnsafeBytes(of: key.rank) { out.append(contentsOf: $0) }
                withUnsafeBytes(of: key.sequence) { out.append(contentsOf: $0) }
                withUnsafeBytes(of: Int32(range.count)) { out.append(contentsOf: $0) }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: text[range]))
            }
        }
        return SpilledList(offset: try spill.append(out), bytes: out.count, count: sorted.count)
    }

    /// Writes the records of one list from every chunk, in order of key, each after its JSON
    /// separator if `separated`.
    private static func merge(
        _ lists: [SpilledList], _ spill: some RecordSpill, separated: Bool, to sink: ([UInt8]) -> Void
    ) throws(SpillError) {
        var readers = lists.map { SpillReader(list: $0) }
        var heap = Heap<MergeEntry>()
        for r in readers.indices {
            if try readers[r].advance(spill) { heap.insert(MergeEntry(key: readers[r].key, reader: r)) }
        }
        var out: [UInt8] = []
        out.reserveCapacity(1 << 20)
        var first = true
        while let top = heap.popMin() {
            if separated {
                let separator = RunReport.recordSeparator(first: first)
                first = false
                out.append(
                    contentsOf: UnsafeBufferPointer(start: separator.utf8Start, count: separator.utf8CodeUnitCount))
            }
            readers[top.reader].appendRecord(to: &out)
            if try readers[top.reader].advance(spill) {
                heap.insert(MergeEntry(key: readers[top.reader].key, reader: top.reader))
            }
            if out.count >= 1 << 20 {
                sink(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        if !out.isEmpty { sink(out) }
    }

    struct MergeEntry: Comparable {
        var key: Key
        var reader: Int

        static func < (a: MergeEntry, b: MergeEntry) -> Bool { a.key < b.key }
        static func == (a: MergeEntry, b: MergeEntry) -> Bool { a.key == b.key }
    }

    /// Reads one spilled list a block at a time.
    struct SpillReader {
        static let block = 32 << 10
        let list: SpilledList
        /// Bytes of the list read so far from the spill.
        var fetched = 0
        var buffer: [UInt8] = []
        var position = 0
        var key = Key(first: 0, rank: 0, sequence: 0)
        var record = 0..<0
        var left: Int

        init(list: SpilledList) {
            self.list = list
            left = list.count
        }

        /// Moves to the next record; false at the end of the list.
        mutating func advance(_ spill: some RecordSpill) throws(SpillError) -> Bool {
            guard left > 0 else { return false }
            left -= 1
            try need(CaseByCaseRun.headerSize, spill)
            let length = buffer.withUnsafeBytes { raw in
                key = Key(
                    first: raw.loadUnaligned(fromByteOffset: position, as: Int64.self),
                    rank: raw.loadUnaligned(fromByteOffset: position + 8, as: Int32.self),
                    sequence: raw.loadUnaligned(fromByteOffset: position + 12, as: Int32.self))
                return Int(raw.loadUnaligned(fromByteOffset: position + 16, as: Int32.self))
            }
            position += CaseByCaseRun.headerSize
            try need(length, spill)
            record = position..<position + length
            position += length
            return true
        }

        func appendRecord(to out: inout [UInt8]) {
            out.append(contentsOf: buffer[record])
        }

        /// Makes sure `count` bytes from `position` are in the buffer.
        private mutating func need(_ count: Int, _ spill: some RecordSpill) throws(SpillError) {
            guard buffer.count - position < count else { return }
            let wanted = min(max(Self.block, count - (buffer.count - position)), list.bytes - fetched)
            let more = try spill.read(from: list.offset + fetched, count: wanted)
            fetched += wanted
            buffer.removeSubrange(0..<position)
            buffer += more
            position = 0
            guard buffer.count >= count else { throw SpillError("the spill ends inside a record") }
        }
    }
}

extension CaseState {
    /// Writes this case's records to `w` in the order of each list within the case, noting each
    /// record's key and bytes in `keys` (0 tasks, 1 alerts, 2 cases); in CSV, its tasks only.
    fileprivate func writeRecords(
        rank: Int32, openOnly: Bool, _ format: CaseByCaseRun.Format, _ env: EngineDefinitions, _ zone: ZoneOffsets,
        to w: inout JSONWriter, keys: inout [[(key: CaseByCaseRun.Key, range: Range<Int>)]]
    ) {
        // The orders of `RunReport.taskOrder`, `alertOrder` and `enrolmentOrder` within one case,
        // over the lists alone: a comparison that called a method of the case would copy it whole.
        let (tasks, alerts, enrolments, caseID) = (tasks, alerts, enrolments, id)
        let taskOrder = tasks.indices.filter { !openOnly || tasks[$0].status.isOpen }.sorted { a, b in
            tasks[a].dueDay != tasks[b].dueDay
                ? tasks[a].dueDay < tasks[b].dueDay : Self.taskComesFirst(a, b, of: tasks, caseID: caseID)
        }
        for (n, ti) in taskOrder.enumerated() {
            let start = w.bytes.count
            if format == .json {
                writeTaskJSON(ti, to: &w, zone)
            } else {
                w.raw(text: RunReport.csvRow(taskRecord(ti), zone))
            }
            let key = CaseByCaseRun.Key(first: Int64(tasks[ti].dueDay), rank: rank, sequence: Int32(n))
            keys[0].append((key, start..<w.bytes.count))
        }
        guard format == .json else { return }
        let alertOrder = alerts.indices.sorted { a, b in
            alerts[a].at != alerts[b].at
                ? alerts[a].at < alerts[b].at : Self.alertComesFirst(a, b, of: alerts, caseID: caseID)
        }
        for (n, ai) in alertOrder.enumerated() {
            let start = w.bytes.count
            writeAlertJSON(ai, to: &w, zone)
            let key = CaseByCaseRun.Key(first: alerts[ai].at.epochNanoseconds, rank: rank, sequence: Int32(n))
            keys[1].append((key, start..<w.bytes.count))
        }
        let enrolmentOrder = enrolments.indices.sorted { env.enrolmentComesFirst(enrolments[$0], enrolments[$1]) }
        for (n, ei) in enrolmentOrder.enumerated() {
            let start = w.bytes.count
            RunReport.writeEnrolment(&w, env.record(enrolments[ei], self), zone)
            keys[2].append((CaseByCaseRun.Key(first: 0, rank: rank, sequence: Int32(n)), start..<w.bytes.count))
        }
    }
}

extension CaseState {
    /// Counts this case's tasks and alerts into the table, keeping those it may show.
    fileprivate func tally(openOnly: Bool, into table: inout TableSummary) {
        for ti in tasks.indices {
            let status = tasks[ti].status
            if status.isOpen {
                table.add(taskRecord(ti))
            } else if !openOnly {
                table.countFinished(role: tasks[ti].template.role, status)
            }
        }
        // A case whose every enrolment has closed: its alerts are history, not work.
        let closed = !enrolments.isEmpty && !hasOpenEnrolment
        if !closed { for ai in alerts.indices { table.add(alertRecord(ai)) } }
    }
}

extension EngineDefinitions {
    /// Whether enrolment `x` of a case is listed before its enrolment `y`: by pathway, then since
    /// when, then version (``RunReport/enrolmentOrder`` within one case).
    func enrolmentComesFirst(_ x: EnrolmentState, _ y: EnrolmentState) -> Bool {
        let (px, py) = (pathway(of: x).pathway, pathway(of: y).pathway)
        if px.id != py.id { return px.id < py.id }
        if x.since != y.since { return x.since < y.since }
        return px.version < py.version
    }

    /// Enrolment `e` of case `c` as the report lists it.
    func record(_ e: EnrolmentState, _ c: CaseState) -> EnrolmentRecord {
        let cp = pathway(of: e)
        return EnrolmentRecord(
            caseID: c.id, pathway: cp.pathway.id, version: cp.pathway.version, stage: cp.stage(Int(e.stage)).id,
            since: e.since, closed: e.closed)
    }
}
