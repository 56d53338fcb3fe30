public import WaymarkFEEL
import WaymarkModel

/// The task list, alerts and enrolments as of a date: what `waymark run` prints.
public struct RunReport: Sendable {
    public var asOf: FEELDate
    /// Sorted by due date, then case, then key, then id.
    public var tasks: [TaskRecord]
    /// Sorted by time, then case, then rule, then id.
    public var alerts: [AlertRecord]
    /// Sorted by case, then pathway, then the time the stage was entered.
    public var cases: [EnrolmentRecord]
    /// The zone moments print in (the default calendar's).
    public var zone: ZoneOffsets

    /// - Parameter workers: threads that may sort long lists, in runs merged after; the order is the
    ///   same whatever their number (runs are contiguous and merged stably).
    public init(
        asOf: FEELDate, tasks: [TaskRecord], alerts: [AlertRecord], cases: [EnrolmentRecord],
        zone: ZoneOffsets = .utc, workers: Int = 1
    ) {
        self.asOf = asOf
        self.tasks = RunReport.sorted(tasks, workers: workers) { r, i, j in RunReport.taskOrder(r[i], r[j]) }
        self.alerts = RunReport.sorted(alerts, workers: workers) { r, i, j in RunReport.alertOrder(r[i], r[j]) }
        self.cases = RunReport.sorted(cases, workers: workers) { r, i, j in RunReport.enrolmentOrder(r[i], r[j]) }
        self.zone = zone
    }

    /// Sorts positions and moves each record once: records are a dozen strings each, and sorting
    /// them in place moves (and reference-counts) every one of them at each swap. Chunks of
    /// positions are sorted on `workers` threads and merged.
    static func sorted<Record: Sendable>(
        _ records: [Record], workers: Int = 1,
        by less: @Sendable (UnsafeBufferPointer<Record>, Int, Int) -> Bool
    ) -> [Record] {
        // `less` compares two positions of a buffer it reads in place: handed the records themselves,
        // every comparison copied both, a reference count for each of their strings.
        let order = records.withUnsafeBufferPointer { buffer in
            // The buffer outlives `ParallelChunks.map`, which returns only when every chunk is sorted,
            // and nothing writes to it.
            nonisolated(unsafe) let buffer = buffer
            var runs = ParallelChunks.map(count: buffer.count, workers: workers) { range in
                Array(range).sorted { less(buffer, $0, $1) }
            }
            while runs.count > 1 {
                var merged: [[Int]] = []
                for k in stride(from: 0, to: runs.count, by: 2) {
                    merged.append(k + 1 < runs.count ? merge(runs[k], runs[k + 1], buffer, less) : runs[k])
                }
                runs = merged
            }
            return runs.first ?? []
        }
        return order.map { records[$0] }
    }

    /// Two sorted runs of positions as one, the left run first among equals.
    static func merge<Record>(
        _ a: [Int], _ b: [Int], _ records: UnsafeBufferPointer<Record>,
        _ less: (UnsafeBufferPointer<Record>, Int, Int) -> Bool
    ) -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0
        var j = 0
        while i < a.count && j < b.count {
            if less(records, b[j], a[i]) {
                out.append(b[j])
                j += 1
            } else {
                out.append(a[i])
                i += 1
            }
        }
        out.append(contentsOf: a[i...])
        out.append(contentsOf: b[j...])
        return out
    }

    static func taskOrder(_ a: TaskRecord, _ b: TaskRecord) -> Bool {
        if a.due != b.due { return a.due < b.due }
        if a.caseID != b.caseID { return a.caseID < b.caseID }
        if a.key != b.key { return a.key < b.key }
        return a.id < b.id
    }

    static func alertOrder(_ a: AlertRecord, _ b: AlertRecord) -> Bool {
        if a.at != b.at { return a.at < b.at }
        if a.caseID != b.caseID { return a.caseID < b.caseID }
        if a.rule != b.rule { return a.rule < b.rule }
        return a.id < b.id
    }

    static func enrolmentOrder(_ a: EnrolmentRecord, _ b: EnrolmentRecord) -> Bool {
        if a.caseID != b.caseID { return a.caseID < b.caseID }
        if a.pathway != b.pathway { return a.pathway < b.pathway }
        if a.since != b.since { return a.since < b.since }
        return a.version < b.version
    }

    /// The spec's JSON (section 7): snake_case keys, one record a line, byte-for-byte deterministic.
    ///
    /// `workers` threads write the records of long lists in chunks, joined in order: the text is the
    /// same whatever their number.
    public func json(workers: Int = 1) -> String {
        var out: [UInt8] = []
        writeJSON(workers: workers) { out.append(contentsOf: $0) }
        return String(decoding: out, as: UTF8.self)
    }

    /// ``json(workers:)`` handed to `sink` a piece at a time, in order, so that the list of a large
    /// cohort (hundreds of megabytes) is never whole in memory.
    public func writeJSON(workers: Int = 1, to sink: ([UInt8]) -> Void) {
        Self.writeJSON(
            asOf: asOf, zone: zone, counts: (tasks.count, alerts.count, cases.count), workers: workers,
            task: { [tasks, zone] w, i in Self.writeTask(&w, tasks[i], zone) },
            alert: { [alerts, zone] w, i in Self.writeAlert(&w, alerts[i], zone) },
            enrolment: { [cases] in cases[$0] }, to: sink)
    }

    /// The spec's JSON of lists read by position (from a report's arrays, or from the engine's cases
    /// by ``ReportStream``), written a batch of records at a time on `workers` threads. `task` and
    /// `alert` write record `i` (with ``writeTask(_:_:_:)`` and ``writeAlert(_:_:_:)``, or their
    /// field-by-field forms).
    static func writeJSON(
        asOf: FEELDate, zone: ZoneOffsets, counts: (tasks: Int, alerts: Int, cases: Int), workers: Int,
        batch: Int = recordsPerBatch, task: @escaping @Sendable (inout JSONWriter, Int) -> Void,
        alert: @escaping @Sendable (inout JSONWriter, Int) -> Void,
        enrolment: @escaping @Sendable (Int) -> EnrolmentRecord, to sink: ([UInt8]) -> Void
    ) {
        writeFrame(asOf: asOf, counts: counts, to: sink) { section in
            switch section {
            case 0: writeRecords(count: counts.tasks, workers: workers, batch: batch, to: sink, task)
            case 1: writeRecords(count: counts.alerts, workers: workers, batch: batch, to: sink, alert)
            default:
                writeRecords(count: counts.cases, workers: workers, batch: batch, to: sink) { w, i in
                    writeEnrolment(&w, enrolment(i), zone)
                }
            }
        }
    }

    /// The JSON around the three lists, handed to `sink`, with `records(k)` handing it list `k` (0
    /// tasks, 1 alerts, 2 cases), each record after ``recordSeparator(first:)``: shared by the
    /// engine's reports and ``CaseByCaseRun``, which writes records made earlier.
    static func writeFrame(
        asOf: FEELDate, counts: (tasks: Int, alerts: Int, cases: Int), to sink: ([UInt8]) -> Void,
        records: (Int) -> Void
    ) {
        var w = JSONWriter()
        w.raw("{\n  \"as_of\": ")
        w.string(asOf.isoString)
        w.raw(",\n  \"tasks\": [")
        sink(w.bytes.array)
        records(0)
        sink(Array((counts.tasks == 0 ? "],\n  \"alerts\": [" : "\n  ],\n  \"alerts\": [").utf8))
        records(1)
        sink(Array((counts.alerts == 0 ? "],\n  \"cases\": [" : "\n  ],\n  \"cases\": [").utf8))
        records(2)
        sink(Array((counts.cases == 0 ? "]\n}\n" : "\n  ]\n}\n").utf8))
    }

    /// What goes before a record of a list: a line of its own, after a comma but for the first.
    static func recordSeparator(first: Bool) -> StaticString { first ? "\n    " : ",\n    " }

    /// Records written between sink calls: enough to keep every thread busy, few enough that the
    /// text in memory at once stays at a few megabytes (32,768 a batch added 40 MB to the peak of a
    /// run of 100,000 cases).
    static let recordsPerBatch = 8_192

    /// One record a line, each after a comma but the first, a batch at a time.
    static func writeRecords(
        count: Int, workers: Int, batch size: Int, to sink: ([UInt8]) -> Void,
        _ write: @Sendable (inout JSONWriter, Int) -> Void
    ) {
        var start = 0
        while start < count {
            let batch = start..<min(start + size, count)
            let parts = ParallelChunks.map(count: batch.count, workers: workers) { range in
                var part = JSONWriter()
                for i in range.lowerBound + batch.lowerBound..<range.upperBound + batch.lowerBound {
                    part.raw(recordSeparator(first: i == 0))
                    write(&part, i)
                }
                return part.bytes.array
            }
            for part in parts { sink(part) }
            start = batch.upperBound
        }
    }

    static func writeTask(_ w: inout JSONWriter, _ t: TaskRecord, _ zone: ZoneOffsets) {
        writeTask(
            &w, id: { $0.string(t.id) }, caseID: t.caseID, pathway: t.pathway, stage: t.stage, key: t.key,
            title: t.title, role: t.role, raised: t.raised, due: t.due, status: t.status, done: t.done,
            because: { $0.string(t.because) }, zone)
    }

    /// A task record's JSON from its fields; `id` and `because` write their own JSON strings, so
    /// that ``ReportStream`` can compose them in place instead of making a record's strings first.
    static func writeTask(
        _ w: inout JSONWriter, id: (inout JSONWriter) -> Void, caseID: String, pathway: String?, stage: String?,
        key: String, title: String, role: String, raised: Moment, due: FEELDate, status: TaskStatus, done: Moment?,
        because: (inout JSONWriter) -> Void, _ zone: ZoneOffsets
    ) {
        w.raw("{\"id\": ")
        id(&w)
        w.raw(", \"case\": ")
        w.string(caseID)
        w.raw(", \"pathway\": ")
        w.optionalString(pathway)
        w.raw(", \"stage\": ")
        w.optionalString(stage)
        w.raw(", \"key\": ")
        w.string(key)
        w.raw(", \"title\": ")
        w.string(title)
        w.raw(", \"role\": ")
        w.string(role)
        w.raw(", \"raised\": ")
        w.moment(raised, in: zone)
        w.raw(", \"due\": ")
        w.date(due)
        w.raw(", \"status\": ")
        w.string(status.rawValue)
        w.raw(", \"done\": ")
        w.optionalMoment(done, in: zone)
        w.raw(", \"because\": ")
        because(&w)
        w.raw("}")
    }

    static func writeAlert(_ w: inout JSONWriter, _ a: AlertRecord, _ zone: ZoneOffsets) {
        writeAlert(
            &w, id: a.id, caseID: a.caseID, rule: a.rule, severity: a.severity, at: a.at, message: a.message,
            because: { $0.string(a.because) }, zone)
    }

    /// An alert record's JSON from its fields, `because` writing its own JSON string (see
    /// ``writeTask(_:id:caseID:pathway:stage:key:title:role:raised:due:status:done:because:_:)``).
    static func writeAlert(
        _ w: inout JSONWriter, id: String, caseID: String, rule: String, severity: AlertSeverity, at: Moment,
        message: String, because: (inout JSONWriter) -> Void, _ zone: ZoneOffsets
    ) {
        w.raw("{\"id\": ")
        w.string(id)
        w.raw(", \"case\": ")
        w.string(caseID)
        w.raw(", \"rule\": ")
        w.string(rule)
        w.raw(", \"severity\": ")
        w.string(severity.rawValue)
        w.raw(", \"at\": ")
        w.moment(at, in: zone)
        w.raw(", \"message\": ")
        w.string(message)
        w.raw(", \"because\": ")
        because(&w)
        w.raw("}")
    }

    static func writeEnrolment(_ w: inout JSONWriter, _ c: EnrolmentRecord, _ zone: ZoneOffsets) {
        w.raw("{\"case\": ")
        w.string(c.caseID)
        w.raw(", \"pathway\": ")
        w.string(c.pathway)
        w.raw(", \"version\": ")
        w.bytes.writeInteger(c.version)
        w.raw(", \"stage\": ")
        w.string(c.stage)
        w.raw(", \"since\": ")
        w.moment(c.since, in: zone)
        w.raw(", \"closed\": ")
        w.optionalMoment(c.closed, in: zone)
        w.raw("}")
    }

    /// The tasks as CSV (RFC 4180: CRLF line ends, fields quoted when they need it).
    public func csv() -> String {
        var out = Self.csvHeader
        for t in tasks { out += Self.csvRow(t, zone) }
        return out
    }

    static let csvHeader = "id,case,pathway,stage,key,title,role,raised,due,status,done,because\r\n"

    /// One task's line of ``csv()``, with its line end.
    static func csvRow(_ t: TaskRecord, _ zone: ZoneOffsets) -> String {
        let fields = [
            t.id, t.caseID, t.pathway ?? "", t.stage ?? "", t.key, t.title, t.role, t.raised.formatted(in: zone),
            t.due.isoString, t.status.rawValue, t.done?.formatted(in: zone) ?? "", t.because,
        ]
        return fields.map(RunReport.csvField).joined(separator: ",") + "\r\n"
    }

    static func csvField(_ s: String) -> String {
        if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + s.replacingAll("\"", with: "\"\"") + "\""
        }
        return s
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        out.reserveCapacity(count)
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
