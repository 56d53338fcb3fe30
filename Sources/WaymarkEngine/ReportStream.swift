public import WaymarkFEEL

/// The task list, alerts and enrolments of a run in ``RunReport``'s order, kept as positions in the
/// engine's cases and written as JSON a batch of records at a time.
///
/// Made into records first, the report of 100,000 cases (a million events) held about 200 MB at
/// once, above everything the engine held: record copies for sorting, ids, and a few hundred bytes
/// of `because` each. It set the run's peak memory. Here a record is eight bytes until its batch is
/// written; it is then made, put into words, written and let go, on `workers` threads.
public struct ReportStream: Sendable {
    /// A task, alert or enrolment of a case: the engine's case number and its index in the case.
    struct Ref: Sendable {
        var caseIndex: Int32
        var index: Int32
    }

    /// The engine as it was when the stream was made (a value: later events do not change it).
    let engine: Engine
    let tasks: [Ref]
    let alerts: [Ref]
    let enrolments: [Ref]
    /// The date printed as `as_of`.
    public var asOf: FEELDate

    public var taskCount: Int { tasks.count }
    public var alertCount: Int { alerts.count }
    public var enrolmentCount: Int { enrolments.count }

    init(engine: Engine, openOnly: Bool) {
        self.engine = engine
        asOf = engine.asOf
        let cases = engine.cases
        let parts = ParallelChunks.map(count: cases.count, workers: engine.workers) { range in
            var tasks: [Ref] = []
            var alerts: [Ref] = []
            var enrolments: [Ref] = []
            for ci in range {
                let c = cases[ci]
                for ti in c.tasks.indices where !openOnly || c.tasks[ti].isOpen {
                    tasks.append(Ref(caseIndex: Int32(ci), index: Int32(ti)))
                }
                for ai in c.alerts.indices { alerts.append(Ref(caseIndex: Int32(ci), index: Int32(ai))) }
                for ei in c.enrolments.indices { enrolments.append(Ref(caseIndex: Int32(ci), index: Int32(ei))) }
            }
            return (tasks, alerts, enrolments)
        }
        // Each case's place in the order of case ids, so that most comparisons compare two numbers.
        var ranks = [Int32](repeating: 0, count: cases.count)
        for (r, ci) in cases.indices.sorted(by: { cases[$0].id < cases[$1].id }).enumerated() {
            ranks[ci] = Int32(r)
        }
        let rank = ranks
        let workers = engine.workers
        // The same orders as `RunReport.taskOrder`, `alertOrder` and `enrolmentOrder`, read in place.
        tasks = Self.sorted(parts.flatMap(\.0), workers: workers) { a, b in
            let (x, y) = (cases[Int(a.caseIndex)].tasks[Int(a.index)], cases[Int(b.caseIndex)].tasks[Int(b.index)])
            if x.dueDay != y.dueDay { return x.dueDay < y.dueDay }
            if a.caseIndex != b.caseIndex { return rank[Int(a.caseIndex)] < rank[Int(b.caseIndex)] }
            if x.template.key != y.template.key { return x.template.key < y.template.key }
            return cases[Int(a.caseIndex)].taskID(Int(a.index)) < cases[Int(b.caseIndex)].taskID(Int(b.index))
        }
        alerts = Self.sorted(parts.flatMap(\.1), workers: workers) { a, b in
            let (x, y) = (cases[Int(a.caseIndex)].alerts[Int(a.index)], cases[Int(b.caseIndex)].alerts[Int(b.index)])
            if x.at != y.at { return x.at < y.at }
            if a.caseIndex != b.caseIndex { return rank[Int(a.caseIndex)] < rank[Int(b.caseIndex)] }
            if x.rule != y.rule { return x.rule < y.rule }
            return x.id < y.id
        }
        let definitions = engine.definitions
        enrolments = Self.sorted(parts.flatMap(\.2), workers: workers) { a, b in
            if a.caseIndex != b.caseIndex { return rank[Int(a.caseIndex)] < rank[Int(b.caseIndex)] }
            let x = cases[Int(a.caseIndex)].enrolments[Int(a.index)]
            let y = cases[Int(b.caseIndex)].enrolments[Int(b.index)]
            let (px, py) = (definitions.pathway(of: x).pathway, definitions.pathway(of: y).pathway)
            if px.id != py.id { return px.id < py.id }
            if x.since != y.since { return x.since < y.since }
            return px.version < py.version
        }
    }

    static func sorted(_ refs: [Ref], workers: Int, by less: @escaping @Sendable (Ref, Ref) -> Bool) -> [Ref] {
        RunReport.sorted(refs, workers: workers) { r, i, j in less(r[i], r[j]) }
    }

    /// The spec's JSON, byte for byte what ``RunReport/writeJSON(workers:to:)`` writes for the same
    /// engine, handed to `sink` a piece at a time.
    public func writeJSON(workers: Int = 1, to sink: ([UInt8]) -> Void) {
        writeJSON(workers: workers, batch: RunReport.recordsPerBatch, to: sink)
    }

    /// With `batch` records written between sink calls (small in tests, to cross batches cheaply).
    func writeJSON(workers: Int, batch: Int, to sink: ([UInt8]) -> Void) {
        let (engine, tasks, alerts, enrolments) = (engine, tasks, alerts, enrolments)
        RunReport.writeJSON(
            asOf: asOf, zone: engine.timeZone, counts: (tasks.count, alerts.count, enrolments.count),
            workers: workers, batch: batch,
            task: { i in
                let ref = tasks[i]
                return engine.record(Int(ref.index), engine.cases[Int(ref.caseIndex)])
            },
            alert: { i in
                let ref = alerts[i]
                return engine.cases[Int(ref.caseIndex)].alertRecord(Int(ref.index))
            },
            enrolment: { i in
                let ref = enrolments[i]
                let c = engine.cases[Int(ref.caseIndex)]
                return engine.record(c.enrolments[Int(ref.index)], c)
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
    /// to be written as JSON without holding every record at once (what `waymark run --format json`
    /// writes).
    public func reportStream(openOnly: Bool) -> ReportStream {
        ReportStream(engine: self, openOnly: openOnly)
    }
}
