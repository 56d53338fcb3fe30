import HeapModule
public import WaymarkFEEL
public import WaymarkModel

/// The engine: a value holding every case, each an independent state machine, and a heap of
/// wake-ups so that advancing the clock touches only the cases with something due.
///
/// Pure: the clock moves only when `advance(to:)` is called, and every output is sorted, so the
/// result is a function of the definitions and the events alone.
public struct Engine: Sendable {
    /// A case's next event or timer, ordered by moment then case number (for a fixed order).
    struct Wake: Comparable, Sendable {
        var at: Moment
        var caseIndex: Int32

        static func < (a: Wake, b: Wake) -> Bool {
            a.at != b.at ? a.at < b.at : a.caseIndex < b.caseIndex
        }
    }

    var definitions: EngineDefinitions
    var cases: [CaseState] = []
    /// The number of each case in `cases`, by its id.
    var caseNumbers = CaseNumberIndex()
    /// The case holding each accepted event, by the event's id.
    var seen = CaseNumberIndex()
    /// For each case, the last event of the window being ingested that goes to it (-1: none); all -1
    /// between windows (see ``ingest(window:_:_:)``). Kept rather than made for each window, so that
    /// a batch of one event does not make a list as long as the cases.
    var lastInWindow: [Int32] = []
    var wakes = Heap<Wake>()
    /// Everything strictly before this moment has been applied.
    public private(set) var clock = Moment.distantPast
    /// Timers fired so far (overdue, breach and daily checks), for benchmarks and metrics.
    public private(set) var timersFired = 0
    /// Duplicate events ignored so far.
    public private(set) var duplicateCount = 0
    /// How many threads may run cases at once while the clock advances (1: the caller's thread only).
    /// The results do not depend on it.
    public var workers = 1

    public init(definitions: Definitions) {
        self.definitions = EngineDefinitions(versions: [CompiledDefinitions(definitions)])
    }

    /// Whether every case's history keeps every event the engine emits (a task raised, a stage
    /// entered), rather than only the types an expression of the loaded definitions can read. Set it
    /// before the first event: entries let go are not brought back.
    ///
    /// The daemon keeps them all, as definitions it reloads later may read types the earlier ones
    /// did not. ``caseDetail(_:)`` shows every entry either way.
    public var keepsEveryHistoryEntry: Bool {
        get { definitions.keepsEveryHistoryEntry }
        set { definitions.keepsEveryHistoryEntry = newValue }
    }

    /// Whether a task keeps why it was raised once it is done or cancelled. Set it before the first
    /// event.
    ///
    /// The reason is read only to put a task's `because` into words, and a list of open tasks
    /// (`waymark run --open`) never shows a finished one: in a run of a million events the reasons
    /// of finished tasks were a quarter of the engine's memory. A report or case detail that does
    /// show finished tasks runs the cases with any again, keeping their reasons, so what it prints
    /// is the same either way, only slower.
    public var keepsFinishedTaskReasons: Bool {
        get { definitions.keepsFinishedTaskReasons }
        set { definitions.keepsFinishedTaskReasons = newValue }
    }

    /// Puts newer definitions in force: new enrolments and rules use them, while open enrolments stay
    /// on the pathway version they opened on. If they read emitted events from `case.history` that
    /// the earlier ones did not, those from before are there only with ``keepsEveryHistoryEntry``.
    public mutating func load(_ definitions: Definitions) {
        self.definitions.versions.append(CompiledDefinitions(definitions))
    }

    /// The default calendar's time zone: dates of moments, `--as-of` and printed moments use it.
    public var timeZone: ZoneOffsets { definitions.newest.defaultCalendar.zone }

    /// The identifier of that zone (for `EventDecoder.decode(_:timeZoneID:)`).
    public var timeZoneID: String { definitions.newest.defaultCalendar.calendar.timeZoneID }

    /// Adds events. Duplicate ids are ignored (counted). An event earlier than what its case has
    /// already handled recomputes that case, so the outcome is independent of arrival order.
    ///
    /// The batch is taken, not borrowed: each event is moved into its case. Passed an array nothing
    /// else holds, no event is copied (copied, each of its strings and contexts was a reference count,
    /// and a release when the batch went); otherwise the batch is copied once first.
    @discardableResult
    public mutating func ingest(_ events: consuming [Event]) -> IngestResult {
        var result = IngestResult()
        var replay: Set<Int32> = []
        // Sized once for the batch rather than rehashed as it doubles.
        seen.reserve(events.count)
        var batch = events
        batch.withUnsafeMutableBufferPointer { batch in
            var start = 0
            while start < batch.count {
                let end = min(start + Self.ingestWindow, batch.count)
                ingest(window: UnsafeMutableBufferPointer(rebasing: batch[start..<end]), &result, &replay)
                start = end
            }
        }
        let recompute = replay.sorted()
        for ci in recompute { cases[Int(ci)].reset() }
        if clock > .distantPast { _ = Self.run(recompute, in: &cases, to: clock, definitions, workers: workers) }
        for ci in recompute {
            cases[Int(ci)].scheduled = nil
            schedule(ci)
        }
        result.recomputed = replay.count
        return result
    }

    /// How many events of a batch ``ingest(window:_:_:)`` takes at a time: enough to share out among
    /// threads, few enough that its lists of case numbers stay small beside the batch.
    static let ingestWindow = 65_536

    /// Adds a window of a batch in two passes.
    ///
    /// The first, on this thread, sets duplicates aside and finds or opens each event's case: the id
    /// index and the table of cases are shared by all. The second moves each event into its case on
    /// up to `workers` threads, each taking the cases whose number leaves one remainder, so that no
    /// two threads touch one case, and each going through the window in order, so that a case gets
    /// its events in arrival order. Moving an event into its case (finding its place among the
    /// case's events, keeping its facts and data) was over half of what one thread did for all.
    private mutating func ingest(
        window: UnsafeMutableBufferPointer<Event>, _ result: inout IngestResult, _ replay: inout Set<Int32>
    ) {
        let count = window.count
        // The hashes of each event's id (high half) and case id (low half), worked out on every thread:
        // hashing the two strings was about a fifth of what the one thread below did.
        var hashes = [UInt64](repeating: 0, count: count)
        hashes.withUnsafeMutableBufferPointer { hashes in
            // Each chunk writes only its own range, and `ParallelChunks.map` returns once all are done.
            nonisolated(unsafe) let hashes = hashes
            nonisolated(unsafe) let window = window
            _ = ParallelChunks.map(count: count, workers: workers) { range in
                for k in range {
                    hashes[k] =
                        UInt64(CaseNumberIndex.bits(window[k].id)) << 32
                        | UInt64(CaseNumberIndex.bits(window[k].caseID))
                }
            }
        }
        // Each event's case (-1: a duplicate), the earlier event of the window with the same case, and
        // the cases in the order the window first names them.
        var caseOf = [Int32](repeating: -1, count: count)
        var earlier = [Int32](repeating: -1, count: count)
        var touched: [Int32] = []
        for k in 0..<count {
            let (idBits, caseBits) = (UInt32(hashes[k] >> 32), UInt32(truncatingIfNeeded: hashes[k]))
            let id = window[k].id
            let duplicate = seen.first(idBits) { c in
                // An event of the window is not in its case yet: the case's events in the window are
                // looked through too.
                if cases[Int(c)].events.contains(where: { $0.id == id }) { return true }
                var j = lastInWindow[Int(c)]
                while j >= 0 {
                    if window[Int(j)].id == id { return true }
                    j = earlier[Int(j)]
                }
                return false
            }
            guard duplicate == nil else {
                result.duplicates += 1
                duplicateCount += 1
                continue
            }
            let caseID = window[k].caseID
            let ci: Int32
            if let existing = caseNumber(caseID, bits: caseBits) {
                ci = existing
            } else {
                ci = Int32(cases.count)
                cases.append(CaseState(id: caseID))
                caseNumbers.insert(caseBits, ci)
                lastInWindow.append(-1)
            }
            seen.insert(idBits, ci)
            result.accepted += 1
            caseOf[k] = ci
            earlier[k] = lastInWindow[Int(ci)]
            if earlier[k] < 0 { touched.append(ci) }
            lastInWindow[Int(ci)] = Int32(k)
        }
        for ci in touched { lastInWindow[Int(ci)] = -1 }

        // Below a few thousand events a thread costs more than it saves.
        let lanes = workers > 1 && count >= 2 * ParallelChunks.minimumPerChunk ? workers : 1
        let destination = caseOf
        let late = cases.withUnsafeMutableBufferPointer { all in
            // Lane `lane` moves only the events of the cases numbered `lane` modulo `lanes`: the threads
            // never share a case or an event, and both buffers outlive `ParallelChunks.map`, which
            // returns only when every lane is done.
            nonisolated(unsafe) let all = all
            nonisolated(unsafe) let window = window
            return ParallelChunks.map(chunks: lanes, workers: lanes) { lane in
                var late: [Int32] = []
                for k in 0..<count {
                    let ci = destination[k]
                    guard ci >= 0, Int(ci) % lanes == lane else { continue }
                    // Moved out, an empty event (nothing to release) left in its place.
                    let event = (window.baseAddress! + k).move()
                    (window.baseAddress! + k).initialize(to: Event.placeholder)
                    if all[Int(ci)].insert(event) { late.append(ci) }
                }
                return late
            }
        }
        for lane in late { replay.formUnion(lane) }
        for ci in touched { schedule(ci) }
    }

    /// Makes sure the heap holds the case's next wake-up.
    mutating func schedule(_ ci: Int32) {
        guard let next = cases[Int(ci)].nextWake else { return }
        if let current = cases[Int(ci)].scheduled, current <= next { return }
        cases[Int(ci)].scheduled = next
        wakes.insert(Wake(at: next, caseIndex: ci))
    }

    /// Applies every event and fires every timer strictly before `moment`, in order.
    ///
    /// Cases never read one another, so each case with something due runs to `moment` on its own,
    /// on up to `workers` threads; the outcome is the same whatever the number of threads, because
    /// every case's result depends only on its own events and everything printed is sorted.
    public mutating func advance(to moment: Moment) {
        if moment > clock { clock = moment }
        var due: [Int32] = []
        while let top = wakes.min, top.at < moment {
            wakes.removeMin()
            let ci = Int(top.caseIndex)
            guard cases[ci].scheduled == top.at else { continue }
            cases[ci].scheduled = nil
            due.append(top.caseIndex)
        }
        timersFired += Self.run(due, in: &cases, to: moment, definitions, workers: workers)
        for ci in due { schedule(ci) }
    }

    /// Runs the cases `due` (distinct indices) to `limit`, in chunks shared out among `workers`
    /// threads; returns how many timers fired.
    static func run(
        _ due: [Int32], in cases: inout [CaseState], to limit: Moment, _ env: EngineDefinitions, workers: Int
    ) -> Int {
        // Below a few hundred cases a thread costs more than it saves.
        guard workers > 1, due.count >= 256 else {
            var fired = 0
            let scope = EvaluationScope()
            for ci in due { fired += cases[Int(ci)].run(to: limit, env, sharing: scope) }
            return fired
        }
        let chunkCount = min(due.count / 64, workers * 16)
        return cases.withUnsafeMutableBufferPointer { all in
            // Each chunk runs only its own cases (every `chunkCount`-th due one, so that busy and
            // quiet cases spread evenly), so the threads never share a mutable element; the buffer
            // outlives `ParallelChunks.map`, which returns only when every chunk is done.
            nonisolated(unsafe) let all = all
            let fired = ParallelChunks.map(chunks: chunkCount, workers: workers) { chunk in
                var n = 0
                var i = chunk
                // One scope for the chunk's cases, used by one case at a time on this thread.
                let scope = EvaluationScope()
                while i < due.count {
                    n += all[Int(due[i])].run(to: limit, env, sharing: scope)
                    i += chunkCount
                }
                return n
            }
            return fired.reduce(0, +)
        }
    }

    /// 00:00 of the day after `date` in the default calendar's zone (for `--as-of`).
    public func endOfDay(_ date: FEELDate) -> Moment {
        timeZone.startOfDay(date.addingDays(1))
    }

    /// The next moment a timer or pending event is due, if any (the daemon sleeps until then).
    public var nextTimer: Moment? {
        var heap = wakes
        while let top = heap.popMin() {
            if cases[Int(top.caseIndex)].scheduled == top.at { return top.at }
        }
        return nil
    }

    /// The date the clock has reached: the day of the last moment applied (``FEELDate/beforeAnyEvent``
    /// before any).
    public var asOf: FEELDate {
        if clock == .distantPast || clock == .distantFuture {
            return .beforeAnyEvent
        }
        return timeZone.date(of: Moment(epochNanoseconds: clock.epochNanoseconds - 1))
    }

    /// The moment of the latest input event, if any (the default `--as-of` is its date).
    public var lastEventMoment: Moment? {
        cases.compactMap { $0.events.last?.at }.max()
    }

    /// The engine with every case that has a finished task run again with the tasks' reasons kept
    /// (see ``keepsFinishedTaskReasons``), for a report that shows finished tasks; itself if they
    /// are kept already.
    func keepingFinishedTaskReasons() -> Engine {
        guard !definitions.keepsFinishedTaskReasons else { return self }
        var copy = self
        copy.definitions.keepsFinishedTaskReasons = true
        let again = cases.indices.filter { cases[$0].tasks.contains { !$0.isOpen } }.map { Int32($0) }
        for ci in again { copy.cases[Int(ci)].reset() }
        _ = Self.run(again, in: &copy.cases, to: clock, copy.definitions, workers: workers)
        return copy
    }

    /// The task list, alerts and enrolments as of the clock (spec section 7).
    /// The records are gathered on `workers` threads, a chunk of cases each, and sorted after.
    public func report(openOnly: Bool) -> RunReport {
        if !openOnly && !definitions.keepsFinishedTaskReasons {
            return keepingFinishedTaskReasons().report(openOnly: false)
        }
        let parts = ParallelChunks.map(count: cases.count, workers: workers) { range in
            var tasks: [TaskRecord] = []
            var alerts: [AlertRecord] = []
            var enrolments: [EnrolmentRecord] = []
            for c in cases[range] {
                for ti in c.tasks.indices where !openOnly || c.tasks[ti].status.isOpen {
                    tasks.append(c.taskRecord(ti))
                }
                alerts.append(contentsOf: c.alerts.indices.map { c.alertRecord($0) })
                enrolments.append(contentsOf: c.enrolments.map { definitions.record($0, c) })
            }
            return (tasks, alerts, enrolments)
        }
        return RunReport(
            asOf: asOf, tasks: parts.flatMap(\.0), alerts: parts.flatMap(\.1), cases: parts.flatMap(\.2),
            zone: timeZone, workers: workers)
    }

    /// The number of the case with id `caseID` in `cases`, if any event has named it; `bits`, its
    /// hash when already worked out (ingest works them out on every thread).
    func caseNumber(_ caseID: String, bits: UInt32? = nil) -> Int32? {
        caseNumbers.first(bits ?? CaseNumberIndex.bits(caseID)) { cases[Int($0)].id == caseID }
    }

    /// One case in detail; nil if no event ever named it.
    public func caseDetail(_ caseID: String) -> CaseDetail? {
        guard let ci = caseNumber(caseID) else { return nil }
        var c = cases[Int(ci)]
        if !definitions.keepsEveryHistoryEntry || !definitions.keepsFinishedTaskReasons {
            // The history holds only what the definitions read, or finished tasks let their reasons
            // go; the case run again from its events (the same outcome) keeps every entry and reason.
            var every = definitions
            every.keepsEveryHistoryEntry = true
            every.keepsFinishedTaskReasons = true
            c.reset()
            c.run(to: clock, every)
        }
        c.scopeDefinitions = definitions
        let zone = timeZone
        let history: [HistoryRecord] = c.history.map { item in
            switch item {
            case .input(let i):
                let e = c.events[Int(i)]
                return HistoryRecord(
                    id: e.id, type: e.type, at: e.at, input: true, data: c.contents(e).data, because: nil)
            case .emitted(let at, let subject, let stage, let type):
                var data: FEELContext?
                if case .context(let d) = c.emittedData(
                    type, subject: Int(subject), stage: Int(stage), definitions.newest.defaultCalendar)
                {
                    data = d
                }
                var because: String?
                switch type {
                case .taskRaised: because = c.because(Int(subject))
                case .alertRaised: because = c.alertRecord(Int(subject)).because
                default: because = nil
                }
                _ = zone
                return HistoryRecord(
                    id: "\(type.name):\(subject)", type: type.name, at: at, input: false, data: data, because: because)
            }
        }
        return CaseDetail(
            caseID: caseID, facts: c.facts, opened: c.opened,
            enrolments: c.enrolments.map { definitions.record($0, c) },
            tasks: c.tasks.indices.map { c.taskRecord($0) }.sorted(by: RunReport.taskOrder),
            alerts: c.alerts.indices.map { c.alertRecord($0) }.sorted(by: RunReport.alertOrder), history: history,
            problems: c.problems)
    }

    /// Problems met while handling any case (cascades stopped, unknown stages), case by case.
    ///
    /// Only the cases with a problem are sorted: sorting them all copied every case into a new
    /// list, 16 MB at the end of a run of 100,000 cases, which set the run's peak memory.
    public var problems: [String] {
        cases.filter { !$0.problems.isEmpty }.sorted { $0.id < $1.id }.flatMap { c in
            c.problems.map { "\(c.id): \($0)" }
        }
    }

    /// How many cases have an open enrolment.
    public var openCaseCount: Int {
        cases.reduce(0) { $0 + ($1.hasOpenEnrolment ? 1 : 0) }
    }

    /// How many times a daily rule's condition has been evaluated over all cases, for benchmarks: the
    /// rules look again only at cases where something they read changed, or whose value the date can
    /// still change.
    public var dailyChecks: Int { cases.reduce(0) { $0 + Int($1.dailyChecks) } }

    /// How many cases the engine knows.
    public var caseCount: Int { cases.count }
}

extension FEELDate {
    /// The `as_of` of a report with no event to date it: 1970-01-01.
    static let beforeAnyEvent = FEELDate(year: 1970, month: 1, day: 1)
}
