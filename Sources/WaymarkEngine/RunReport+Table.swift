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
        var summary = TableSummary(asOf: asOf, zone: zone, limit: limit)
        let closed = closedCases()
        for t in tasks { summary.add(t) }
        for a in alerts where !closed.contains(a.caseID) { summary.add(a) }
        return summary.text()
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

    static func columnWidths(_ cells: [[String]], headers: [String]) -> [Int] {
        var widths = headers.map(\.count)
        for r in cells { for (i, f) in r.enumerated() { widths[i] = max(widths[i], f.count) } }
        return widths
    }

    static func row(_ fields: [String], _ widths: [Int]) -> String {
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
