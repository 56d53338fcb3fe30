import WaymarkFEEL
import WaymarkModel

/// What ``RunReport/table(limit:)`` prints, gathered a task and an alert at a time: counts for
/// every role and severity, and only the rows that can be shown (the first `limit` overdue and
/// open tasks of each role, the first `limit` alerts on open cases).
///
/// The table is a summary, so it need not hold every record at once: ``CaseByCaseRun`` gathers one
/// for each chunk of cases and merges them, and a run of any size prints its table in the memory its
/// rows take. A report's table goes through the same type, so the two print the same text.
struct TableSummary: Sendable {
    /// Counts and the rows kept for one role.
    struct Role: Sendable {
        var overdue = 0
        var open = 0
        var done = 0
        var cancelled = 0
        var overdueRows: [TaskRecord] = []
        var openRows: [TaskRecord] = []
    }

    let asOf: FEELDate
    let zone: ZoneOffsets
    /// Rows shown per role and for the alerts; nil: all.
    let limit: Int?
    private(set) var taskCount = 0
    private(set) var roles: [String: Role] = [:]
    /// Alerts on open cases, by severity.
    private(set) var alertCounts: [AlertSeverity: Int] = [:]
    private(set) var alertCount = 0
    private(set) var alertRows: [AlertRecord] = []

    init(asOf: FEELDate, zone: ZoneOffsets, limit: Int?) {
        self.asOf = asOf
        self.zone = zone
        self.limit = limit.map { max($0, 1) }
    }

    /// Counts a task of the report, and keeps it if it is open or overdue and may be shown.
    mutating func add(_ t: TaskRecord) {
        guard t.status.isOpen else { return countFinished(role: t.role, t.status) }
        taskCount += 1
        var role = roles[t.role, default: Role()]
        if t.status == .overdue {
            role.overdue += 1
            role.overdueRows.append(t)
            Self.trim(&role.overdueRows, to: limit, by: RunReport.taskOrder)
        } else {
            role.open += 1
            role.openRows.append(t)
            Self.trim(&role.openRows, to: limit, by: RunReport.taskOrder)
        }
        roles[t.role] = role
    }

    /// Counts a done or cancelled task, which the table does not show (no record, and so no
    /// `because`, need be made for it).
    mutating func countFinished(role name: String, _ status: TaskStatus) {
        taskCount += 1
        if status == .done {
            roles[name, default: Role()].done += 1
        } else {
            roles[name, default: Role()].cancelled += 1
        }
    }

    /// Counts an alert on an open case, and keeps it if it may be shown.
    mutating func add(_ a: AlertRecord) {
        alertCount += 1
        alertCounts[a.severity, default: 0] += 1
        alertRows.append(a)
        Self.trim(&alertRows, to: limit, by: Self.alertOrder)
    }

    /// Adds what another summary (of other cases, with the same limit) gathered.
    mutating func merge(_ other: TableSummary) {
        taskCount += other.taskCount
        for (name, theirs) in other.roles {
            var role = roles[name, default: Role()]
            role.overdue += theirs.overdue
            role.open += theirs.open
            role.done += theirs.done
            role.cancelled += theirs.cancelled
            role.overdueRows += theirs.overdueRows
            role.openRows += theirs.openRows
            Self.trim(&role.overdueRows, to: limit, by: RunReport.taskOrder, always: true)
            Self.trim(&role.openRows, to: limit, by: RunReport.taskOrder, always: true)
            roles[name] = role
        }
        alertCount += other.alertCount
        for (severity, n) in other.alertCounts { alertCounts[severity, default: 0] += n }
        alertRows += other.alertRows
        Self.trim(&alertRows, to: limit, by: Self.alertOrder, always: true)
    }

    /// The most severe first, then the most recent.
    static func alertOrder(_ a: AlertRecord, _ b: AlertRecord) -> Bool {
        if a.severity != b.severity { return a.severity > b.severity }
        if a.at != b.at { return a.at > b.at }
        return RunReport.alertOrder(a, b)
    }

    /// Keeps the first `limit` of `rows` in `order`: sorted and cut once they reach twice the
    /// limit (or at once, if `always`), so that adding rows one at a time sorts only now and then.
    private static func trim<Row>(
        _ rows: inout [Row], to limit: Int?, by order: (Row, Row) -> Bool, always: Bool = false
    ) {
        guard let limit, always || rows.count >= 2 * limit else { return }
        rows.sort(by: order)
        if rows.count > limit { rows.removeSubrange(limit...) }
    }

    /// The table's text.
    func text() -> String {
        let overdue = roles.values.reduce(0) { $0 + $1.overdue }
        let open = roles.values.reduce(0) { $0 + $1.open }
        var out = "Task list as of \(asOf.isoString): \(overdue) overdue and \(open) open"
        out += " task\(open == 1 ? "" : "s"); \(alertCount) alert"
        out += "\(alertCount == 1 ? "" : "s") on open cases.\n"
        if taskCount == 0 { out += "\nNo tasks.\n" }
        for name in roles.keys.sorted() { out += roleBlock(name, roles[name]!) }
        out += alertBlock()
        return out
    }

    private func roleBlock(_ name: String, _ role: Role) -> String {
        var out = "\n\(name): \(role.overdue) overdue, \(role.open) open"
        var finished: [String] = []
        if role.done > 0 { finished.append("\(role.done) done") }
        if role.cancelled > 0 { finished.append("\(role.cancelled) cancelled") }
        out += finished.isEmpty ? "\n" : " (\(finished.joined(separator: ", ")))\n"
        let total = role.overdue + role.open
        if total == 0 {
            out += "  Nothing to do.\n"
            return out
        }
        // The most overdue, then the soonest due, come first.
        let rows = role.overdueRows.sorted(by: RunReport.taskOrder) + role.openRows.sorted(by: RunReport.taskOrder)
        let shown = limit.map { Array(rows.prefix($0)) } ?? rows
        out += Self.rows(
            ["STATUS", "DUE", "WHEN", "CASE", "TASK", "FROM"],
            shown.map { t in [t.status.rawValue.uppercased(), t.due.isoString, timing(t), t.caseID, t.title, source(t)]
            },
            because: shown.map(\.because))
        if shown.count < total {
            out += "  … and \(total - shown.count) more for \(name) (`--limit 0` lists them all).\n"
        }
        return out
    }

    private func alertBlock() -> String {
        guard alertCount > 0 else { return "\nNo alerts on open cases.\n" }
        let sorted = alertRows.sorted(by: Self.alertOrder)
        let counts = AlertSeverity.allCases.reversed().compactMap { s -> String? in
            let n = alertCounts[s] ?? 0
            return n == 0 ? nil : "\(n) \(s.rawValue)"
        }
        var out = "\nAlerts on open cases: \(counts.joined(separator: ", "))\n"
        let shown = limit.map { Array(sorted.prefix($0)) } ?? sorted
        out += Self.rows(
            ["SEVERITY", "RAISED", "CASE", "ALERT", "FROM"],
            shown.map { a in [a.severity.rawValue.uppercased(), readable(a.at), a.caseID, a.message, a.rule] },
            because: shown.map(\.because))
        if shown.count < alertCount {
            out += "  … and \(alertCount - shown.count) more alerts (`--limit 0` lists them all).\n"
        }
        return out
    }

    /// A header line and a line per row in aligned columns, each row's reason wrapped under it.
    private static func rows(_ headers: [String], _ cells: [[String]], because: [String]) -> String {
        let widths = RunReport.columnWidths(cells, headers: headers)
        var out = RunReport.row(headers, widths)
        for (cell, why) in zip(cells, because) {
            out += RunReport.row(cell, widths)
            out += RunReport.wrapped("why: " + why, indent: 4)
        }
        return out
    }

    /// How late, or how soon, in days a person counts: "12 days late", "due today", "in 3 days".
    func timing(_ t: TaskRecord) -> String {
        let days = asOf.dayNumber - t.due.dayNumber
        if t.status == .overdue || days > 0 {
            return days == 1 ? "1 day late" : "\(max(days, 1)) days late"
        }
        if days == 0 { return "due today" }
        return days == -1 ? "tomorrow" : "in \(-days) days"
    }

    /// Where the task comes from: `PATHWAY/STAGE` for a stage's task, `rule RULE` for a rule's
    /// (the rule id is the second part of its id, `CASE/RULE/KEY/N`).
    func source(_ t: TaskRecord) -> String {
        if let stage = t.stage, let pathway = t.pathway { return "\(pathway)/\(stage)" }
        let rest = t.id.hasPrefix(t.caseID + "/") ? t.id.dropFirst(t.caseID.count + 1) : Substring(t.id)
        let rule = rest.split(separator: "/").first.map(String.init) ?? t.key
        return "rule \(rule)"
    }

    /// A moment as people write it: `2019-06-28 14:05` in the report's zone.
    func readable(_ m: Moment) -> String {
        let iso = m.formatted(in: zone)
        return String(iso.prefix(16)).replacingAll("T", with: " ")
    }
}
