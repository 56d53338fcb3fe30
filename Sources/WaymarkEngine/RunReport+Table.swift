import WaymarkFEEL
import WaymarkModel

extension RunReport {
    /// The task list as a team manager reads it in a terminal: one block per role, the overdue work
    /// first (most overdue at the top), then what is open by due date, each with the reason in words;
    /// then the alerts on cases still open, most severe and most recent first.
    ///
    /// Done and cancelled tasks are only counted: the table is for deciding what to do next, and a
    /// cohort's history runs to thousands of rows (`json` and `csv` keep every task). `limit` caps the
    /// rows of each role and of the alerts so that the most urgent work fits on a screen; nil lists all.
    public func table(limit: Int? = nil) -> String {
        let closed = closedCases()
        let live = tasks.filter { $0.status == .open || $0.status == .overdue }
        let liveAlerts = alerts.filter { !closed.contains($0.caseID) }
        let overdueCount = live.count { $0.status == .overdue }
        var out = "Task list as of \(asOf.isoString): \(overdueCount) overdue and \(live.count - overdueCount) open"
        out += " task\(live.count - overdueCount == 1 ? "" : "s"); \(liveAlerts.count) alert"
        out += "\(liveAlerts.count == 1 ? "" : "s") on open cases.\n"
        if tasks.isEmpty { out += "\nNo tasks.\n" }
        var byRole: [String: [TaskRecord]] = [:]
        for t in tasks { byRole[t.role, default: []].append(t) }
        for role in byRole.keys.sorted() {
            out += roleBlock(role, byRole[role] ?? [], limit: limit)
        }
        out += alertBlock(liveAlerts, limit: limit)
        return out
    }

    /// Cases whose every enrolment has closed: their alerts are history, not work. A case never
    /// enrolled stays open (a rule without a pathway watches every case).
    func closedCases() -> Set<String> {
        var open: Set<String> = []
        var closed: Set<String> = []
        for c in cases {
            if c.closed == nil { open.insert(c.caseID) } else { closed.insert(c.caseID) }
        }
        return closed.subtracting(open)
    }

    func roleBlock(_ role: String, _ mine: [TaskRecord], limit: Int?) -> String {
        let overdue = mine.filter { $0.status == .overdue }
        let open = mine.filter { $0.status == .open }
        let done = mine.count { $0.status == .done }
        let cancelled = mine.count { $0.status == .cancelled }
        var out = "\n\(role): \(overdue.count) overdue, \(open.count) open"
        var finished: [String] = []
        if done > 0 { finished.append("\(done) done") }
        if cancelled > 0 { finished.append("\(cancelled) cancelled") }
        out += finished.isEmpty ? "\n" : " (\(finished.joined(separator: ", ")))\n"
        // Both lists are already by due date: the most overdue, then the soonest due, come first.
        let rows = overdue + open
        if rows.isEmpty {
            out += "  Nothing to do.\n"
            return out
        }
        let shown = limit.map { Array(rows.prefix(max($0, 1))) } ?? rows
        let cells = shown.map { t in
            [t.status.rawValue.uppercased(), t.due.isoString, timing(t), t.caseID, t.title, source(t)]
        }
        let widths = columnWidths(cells, headers: ["STATUS", "DUE", "WHEN", "CASE", "TASK", "FROM"])
        out += row(["STATUS", "DUE", "WHEN", "CASE", "TASK", "FROM"], widths)
        for (t, cell) in zip(shown, cells) {
            out += row(cell, widths)
            out += RunReport.wrapped("why: " + t.because, indent: 4)
        }
        if shown.count < rows.count {
            out += "  … and \(rows.count - shown.count) more for \(role) (`--limit 0` lists them all).\n"
        }
        return out
    }

    func alertBlock(_ live: [AlertRecord], limit: Int?) -> String {
        guard !live.isEmpty else { return "\nNo alerts on open cases.\n" }
        let sorted = live.sorted { a, b in
            if a.severity != b.severity { return a.severity > b.severity }
            if a.at != b.at { return a.at > b.at }
            return RunReport.alertOrder(a, b)
        }
        let counts = AlertSeverity.allCases.reversed().compactMap { s -> String? in
            let n = live.count { $0.severity == s }
            return n == 0 ? nil : "\(n) \(s.rawValue)"
        }
        var out = "\nAlerts on open cases: \(counts.joined(separator: ", "))\n"
        let shown = limit.map { Array(sorted.prefix(max($0, 1))) } ?? sorted
        let cells = shown.map { a in
            [a.severity.rawValue.uppercased(), readable(a.at), a.caseID, a.message, a.rule]
        }
        let widths = columnWidths(cells, headers: ["SEVERITY", "RAISED", "CASE", "ALERT", "FROM"])
        out += row(["SEVERITY", "RAISED", "CASE", "ALERT", "FROM"], widths)
        for (a, cell) in zip(shown, cells) {
            out += row(cell, widths)
            out += RunReport.wrapped("why: " + a.because, indent: 4)
        }
        if shown.count < sorted.count {
            out += "  … and \(sorted.count - shown.count) more alerts (`--limit 0` lists them all).\n"
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

    func columnWidths(_ cells: [[String]], headers: [String]) -> [Int] {
        var widths = headers.map(\.count)
        for r in cells { for (i, f) in r.enumerated() { widths[i] = max(widths[i], f.count) } }
        return widths
    }

    func row(_ fields: [String], _ widths: [Int]) -> String {
        var line = "  "
        for (i, f) in fields.enumerated() {
            line += f
            if i < fields.count - 1 { line += String(repeating: " ", count: widths[i] - f.count + 2) }
        }
        return line + "\n"
    }

    /// Wraps text at word boundaries to 100 columns, each line indented.
    static func wrapped(_ text: String, indent: Int, width: Int = 100) -> String {
        let pad = String(repeating: " ", count: indent)
        var out = ""
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if !line.isEmpty && line.count + 1 + word.count > width - indent {
                out += pad + line + "\n"
                line = ""
            }
            line += line.isEmpty ? String(word) : " " + word
        }
        if !line.isEmpty { out += pad + line + "\n" }
        return out
    }
}
