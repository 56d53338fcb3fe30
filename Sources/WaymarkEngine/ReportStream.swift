public import WaymarkFEEL

/// The task list, alerts and enrolments of a run in ``RunReport``'s order, kept as positions in the
/// engine's cases and written as JSON a batch of records at a time.
///
/// Made into records first, the report of 100,000 cases (a million events) held about 200 MB at
/// once, above everything the engine held: record copies for sorting, ids, and a few hundred bytes
/// of `because` each. It set the run's peak memory. Here a record is 24 bytes until its batch is
/// written; it is then made, put into words, written and let go, on `workers` threads.
public struct ReportStream: Sendable {
    /// A task, alert or enrolment of a case: its case's place in the order of case ids and its index
    /// in the case, with what most comparisons need first (its due day or moment) copied in, so that
    /// sorting reads the cases only to break ties.
    ///
    /// The case is found from its place (``caseAt``) rather than kept beside it: 16 bytes a
    /// position instead of 24, and the positions (with the buffer they are merged through) are what
    /// the output adds to the run's peak memory.
    struct Ref: Sendable {
        var first: Int64
        var rank: Int32
        var index: Int32
    }

    /// The engine as it was when the stream was made (a value: later events do not change it).
    let engine: Engine
    let tasks: [Ref]
    let alerts: [Ref]
    let enrolments: [Ref]
    /// The engine's case number of each place in the order of case ids (a ``Ref``'s `rank`).
    let caseAt: [Int32]
    /// The date printed as `as_of`.
    public var asOf: FEELDate

    public var taskCount: Int { tasks.count }
    public var alertCount: Int { alerts.count }
    public var enrolmentCount: Int { enrolments.count }

    init(engine: Engine, openOnly: Bool) {
        self.engine = engine
        asOf = engine.asOf
        let cases = engine.cases
        // Each case's place in the order of case ids, and the case at each place.
        let byID = cases.indices.sorted { cases[$0].id < cases[$1].id }.map { Int32($0) }
        var ranks = [Int32](repeating: 0, count: cases.count)
        for (r, ci) in byID.enumerated() { ranks[Int(ci)] = Int32(r) }
        let rank = ranks
        // Each chunk of cases counts its records first, then writes their positions straight into
        // its own range of one list per kind: gathered in lists per chunk and joined after, every
        // position was held twice at once, which set the run's peak.
        let chunks = ParallelChunks.bounds(count: cases.count, workers: engine.workers)
        let counts = ParallelChunks.map(chunks: chunks.count, workers: engine.workers) { k in
            // Here and below, a case's fields are read where it is: `for c in cases` or `let c =
            // cases[ci]` copied every case (a reference count for each of its fields).
            var n = (tasks: 0, alerts: 0, enrolments: 0)
            for ci in chunks[k] {
                n.tasks += openOnly ? cases[ci].tasks.count(where: \.isOpen) : cases[ci].tasks.count
                n.alerts += cases[ci].alerts.count
                n.enrolments += cases[ci].enrolments.count
            }
            return n
        }
        var starts: [(tasks: Int, alerts: Int, enrolments: Int)] = []
        var total = (tasks: 0, alerts: 0, enrolments: 0)
        for n in counts {
            starts.append(total)
            total = (total.tasks + n.tasks, total.alerts + n.alerts, total.enrolments + n.enrolments)
        }
        let firsts = starts
        let none = Ref(first: 0, rank: 0, index: 0)
        var tasks = [Ref](repeating: none, count: total.tasks)
        var alerts = [Ref](repeating: none, count: total.alerts)
        var enrolments = [Ref](repeating: none, count: total.enrolments)
        tasks.withUnsafeMutableBufferPointer { taskRefs in
            alerts.withUnsafeMutableBufferPointer { alertRefs in
                enrolments.withUnsafeMutableBufferPointer { enrolmentRefs in
                    // Each chunk writes only its own ranges (counted above), and `ParallelChunks.map`
                    // returns once every chunk is done.
                    nonisolated(unsafe) let (taskRefs, alertRefs, enrolmentRefs) = (taskRefs, alertRefs, enrolmentRefs)
                    _ = ParallelChunks.map(chunks: chunks.count, workers: engine.workers) { k in
                        var (t, a, e) = firsts[k]
                        for ci in chunks[k] {
                            let r = rank[ci]
                            let (caseTasks, caseAlerts) = (cases[ci].tasks, cases[ci].alerts)
                            for ti in caseTasks.indices where !openOnly || caseTasks[ti].status.isOpen {
                                taskRefs[t] = Ref(first: Int64(caseTasks[ti].dueDay), rank: r, index: Int32(ti))
                                t += 1
                            }
                            for ai in caseAlerts.indices {
                                let at = caseAlerts[ai].at.epochNanoseconds
                                alertRefs[a] = Ref(first: at, rank: r, index: Int32(ai))
                                a += 1
                            }
                            for ei in cases[ci].enrolments.indices {
                                enrolmentRefs[e] = Ref(first: 0, rank: r, index: Int32(ei))
                                e += 1
                            }
                        }
                    }
                }
            }
        }
        let workers = engine.workers
        // The same orders as `RunReport.taskOrder`, `alertOrder` and `enrolmentOrder`: due day (or
        // moment), then case id, from the copied keys; the rest from the cases, for ties in one case.
        // Over the case's lists, not through its methods: those would copy the whole case each time.
        Self.sort(&tasks, workers: workers) { a, b in
            let ci = Int(byID[Int(a.rank)])
            return CaseState.taskComesFirst(Int(a.index), Int(b.index), of: cases[ci].tasks, caseID: cases[ci].id)
        }
        Self.sort(&alerts, workers: workers) { a, b in
            let ci = Int(byID[Int(a.rank)])
            return CaseState.alertComesFirst(Int(a.index), Int(b.index), of: cases[ci].alerts, caseID: cases[ci].id)
        }
        let definitions = engine.definitions
        Self.sort(&enrolments, workers: workers) { a, b in
            let ci = Int(byID[Int(a.rank)])
            return definitions.enrolmentComesFirst(
                cases[ci].enrolments[Int(a.index)], cases[ci].enrolments[Int(b.index)])
        }
        (self.tasks, self.alerts, self.enrolments, caseAt) = (tasks, alerts, enrolments, byID)
    }

    /// Sorts by the copied keys, then by `tie` (called only for two records of one case with equal
    /// keys), in place: chunks sorted on `workers` threads, then merged pairwise through one buffer
    /// of the same size, the left run first among equals (the order ``RunReport/sorted(_:workers:by:)``
    /// gives).
    ///
    /// A position is 16 bytes with nothing to reference-count, so moving positions costs less than
    /// sorting indices to them and copying after, and the list and one buffer are all the room it
    /// takes. With the gathering above, the positions of a million-event run take 14 MB above what
    /// the engine holds (21 at 24 bytes a position, 33 before the gathering).
    static func sort(_ refs: inout [Ref], workers: Int, tie: @escaping @Sendable (Ref, Ref) -> Bool) {
        let less: @Sendable (Ref, Ref) -> Bool = { a, b in
            if a.first != b.first { return a.first < b.first }
            if a.rank != b.rank { return a.rank < b.rank }
            return tie(a, b)
        }
        var runs = ParallelChunks.bounds(count: refs.count, workers: workers)
        let chunks = runs
        refs.withUnsafeMutableBufferPointer { all in
            // Each chunk sorts only its own range of the buffer, and `ParallelChunks.map` returns
            // once every chunk is done.
            nonisolated(unsafe) let all = all
            _ = ParallelChunks.map(chunks: chunks.count, workers: workers) { k in
                var chunk = UnsafeMutableBufferPointer(rebasing: all[chunks[k]])
                chunk.sort(by: less)
            }
        }
        guard runs.count > 1 else { return }
        var other = [Ref](repeating: Ref(first: 0, rank: 0, index: 0), count: refs.count)
        while runs.count > 1 {
            var merged: [Range<Int>] = []
            for k in stride(from: 0, to: runs.count, by: 2) {
                guard k + 1 < runs.count else {
                    other[runs[k]] = refs[runs[k]]
                    merged.append(runs[k])
                    continue
                }
                let (a, b) = (runs[k], runs[k + 1])
                var (i, j, out) = (a.lowerBound, b.lowerBound, a.lowerBound)
                while i < a.upperBound && j < b.upperBound {
                    if less(refs[j], refs[i]) {
                        other[out] = refs[j]
                        j += 1
                    } else {
                        other[out] = refs[i]
                        i += 1
                    }
                    out += 1
                }
                other[out..<out + (a.upperBound - i)] = refs[i..<a.upperBound]
                out += a.upperBound - i
                other[out..<out + (b.upperBound - j)] = refs[j..<b.upperBound]
                merged.append(a.lowerBound..<b.upperBound)
            }
            swap(&refs, &other)
            runs = merged
        }
    }

    /// The spec's JSON, byte for byte what ``RunReport/writeJSON(workers:to:)`` writes for the same
    /// engine, handed to `sink` a piece at a time.
    public func writeJSON(workers: Int = 1, to sink: ([UInt8]) -> Void) {
        writeJSON(workers: workers, batch: RunReport.recordsPerBatch, to: sink)
    }

    /// With `batch` records written between sink calls (small in tests, to cross batches cheaply).
    func writeJSON(workers: Int, batch: Int, to sink: ([UInt8]) -> Void) {
        let (engine, tasks, alerts, enrolments, caseAt) = (engine, tasks, alerts, enrolments, caseAt)
        // Each record's case is copied for the call that writes it (a reference count for each of its
        // fields): the compiler cannot prove the case unchanged during a call that takes it from an
        // array (or a pointer) and does not inline, and the calls inside the writers need it whole.
        // The case's number is read into a local first: with `caseAt`'s subscript inside the cases'
        // subscript, the case was also copied whole with `memcpy`, 300 instructions a record.
        RunReport.writeJSON(
            asOf: asOf, zone: engine.timeZone, counts: (tasks.count, alerts.count, enrolments.count),
            workers: workers, batch: batch,
            task: { w, i in
                let ref = tasks[i]
                let ci = Int(caseAt[Int(ref.rank)])
                engine.cases[ci].writeTaskJSON(Int(ref.index), to: &w, engine.timeZone)
            },
            alert: { w, i in
                let ref = alerts[i]
                let ci = Int(caseAt[Int(ref.rank)])
                engine.cases[ci].writeAlertJSON(Int(ref.index), to: &w, engine.timeZone)
            },
            enrolment: { i in
                let ref = enrolments[i]
                let c = engine.cases[Int(caseAt[Int(ref.rank)])]
                return engine.definitions.record(c.enrolments[Int(ref.index)], c)
            }, to: sink)
    }

    /// ``writeJSON(workers:to:)`` as one string (for tests and small runs).
    public func json(workers: Int = 1) -> String {
        json(workers: workers, batch: RunReport.recordsPerBatch)
    }

    func json(workers: Int, batch: Int) -> String {
        var out: [UInt8] = []
        writeJSON(workers: workers, batch: batch) { out.append(contentsOf: $0) }
        return String(decoding: out, as: UTF8.self)
    }
}

extension Engine {
    /// The task list, alerts and enrolments as of the clock, in the order of ``report(openOnly:)``,
    /// to be written as JSON without holding every record at once. `waymark run` writes the same
    /// JSON case by case (``CaseByCaseRun``), and is tested against this.
    public func reportStream(openOnly: Bool) -> ReportStream {
        ReportStream(engine: openOnly ? self : keepingFinishedTaskReasons(), openOnly: openOnly)
    }
}

extension CaseState {
    /// Whether task `a` of a case is listed before its task `b` due the same day: by key, then id
    /// (``RunReport/taskOrder`` within one case). The engine's report and ``CaseByCaseRun`` both
    /// order by it, so that they print the same lists.
    ///
    /// Over the case's task list and id rather than a method of the case: a sort's closure that
    /// calls a method of a case copies all of it at each comparison (a retain and a release of each
    /// of its lists): 6.9% of the instructions of a run case by case over 50,000 events.
    static func taskComesFirst(_ a: Int, _ b: Int, of tasks: [TaskState], caseID: String) -> Bool {
        let (x, y) = (tasks[a].template.key, tasks[b].template.key)
        if x != y { return x < y }
        return taskID(tasks[a], caseID: caseID) < taskID(tasks[b], caseID: caseID)
    }

    /// Whether alert `a` of a case is listed before its alert `b` raised at the same moment: by
    /// rule, then id (``RunReport/alertOrder`` within one case; see
    /// ``taskComesFirst(_:_:of:caseID:)``).
    static func alertComesFirst(_ a: Int, _ b: Int, of alerts: [AlertState], caseID: String) -> Bool {
        let (x, y) = (alerts[a].rule, alerts[b].rule)
        if x != y { return x < y }
        return alertID(alerts[a], caseID: caseID) < alertID(alerts[b], caseID: caseID)
    }

    /// Task `ti` as ``RunReport/writeTask(_:_:_:)`` writes its record, with its id and `because`
    /// composed in the writer rather than made as strings first (``ReportStream``).
    func writeTaskJSON(_ ti: Int, to w: inout JSONWriter, _ zone: ZoneOffsets) {
        let t = tasks[ti]
        RunReport.writeTask(
            &w, id: { $0.string { writeTaskID(ti, to: &$0) } }, caseID: id, pathway: t.pathway, stage: t.stage,
            key: t.template.key, title: t.template.title, role: t.template.role, raised: t.raised, due: t.due,
            status: t.status, done: t.done,
            because: { $0.string { writeBecause(ti, to: &$0) } }, zone)
    }

    /// Alert `i` as ``RunReport/writeAlert(_:_:_:)`` writes its record, its `because` composed in
    /// the writer.
    func writeAlertJSON(_ i: Int, to w: inout JSONWriter, _ zone: ZoneOffsets) {
        let a = alerts[i]
        RunReport.writeAlert(
            &w, id: alertID(i), caseID: id, rule: a.rule, severity: a.severity, at: a.at, message: alertMessage(i),
            because: { $0.string { writeAlertBecause(i, to: &$0) } }, zone)
    }
}
