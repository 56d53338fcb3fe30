import WaymarkEngine
import WaymarkModel

/// Compares expectations with the engine's report and explains each mismatch.
///
/// A record matches when every field the expectation names matches. Most fields compare as the
/// report prints them. Three kinds are looser, as a careful reader of a scenario would expect:
/// a moment (`raised`, `done`, `at`, `since`, `closed`) given as a date matches any time that day in
/// the calendar's zone; `message` and `because` match when the expected words appear in them (they
/// are prose, and long); `null` (or `~`) matches an absent value.
struct ExpectationMatcher {
    /// One record of the report, as field name to printed value (nil for null).
    struct Row {
        var fields: [String: String?]
        var id: String
    }

    let report: RunReport
    private let tasks: [Row]
    private let alerts: [Row]
    private let enrolments: [Row]

    init(report: RunReport) {
        self.report = report
        let zone = report.zone
        tasks = report.tasks.map { t in
            Row(
                fields: [
                    "id": t.id, "case": t.caseID, "pathway": t.pathway, "stage": t.stage, "key": t.key,
                    "title": t.title, "role": t.role, "raised": t.raised.formatted(in: zone), "due": t.due.isoString,
                    "status": t.status.rawValue, "done": t.done.map { $0.formatted(in: zone) }, "because": t.because,
                ], id: t.id)
        }
        alerts = report.alerts.map { a in
            Row(
                fields: [
                    "id": a.id, "case": a.caseID, "rule": a.rule, "severity": a.severity.rawValue,
                    "at": a.at.formatted(in: zone), "message": a.message, "because": a.because,
                ], id: a.id)
        }
        enrolments = report.cases.map { e in
            Row(
                fields: [
                    "case": e.caseID, "pathway": e.pathway, "version": String(e.version), "stage": e.stage,
                    "since": e.since.formatted(in: zone), "closed": e.closed.map { $0.formatted(in: zone) },
                ], id: "\(e.caseID)/\(e.pathway)")
        }
    }

    private func rows(_ subject: Expectation.Subject) -> [Row] {
        switch subject {
        case .task: tasks
        case .alert: alerts
        case .enrolment: enrolments
        }
    }

    /// Nil when the expectation holds; otherwise the failure, with the closest records as a diff.
    func check(_ expectation: Expectation) -> ScenarioResult.Failure? {
        let subject = expectation.kind.subject
        let candidates = rows(subject)
        let matching = candidates.filter { row in expectation.fields.allSatisfy { matches($0, row) } }
        let noun = subject.rawValue
        let article = noun == "alert" ? "an" : "a"
        let plural = subject == .enrolment ? "case enrolments" : noun + "s"
        var lines: [String] = []
        if expectation.kind.wantsMatch {
            guard matching.isEmpty else { return nil }
            lines.append("\(expectation.location): expected \(article) \(noun) matching")
            lines.append("    - " + render(expectation.fields.map { ($0.name, $0.value) }))
            if candidates.isEmpty {
                lines.append("    but the engine produced no \(plural) at all")
            } else {
                lines.append("    closest of the \(candidates.count) \(plural) the engine produced:")
                for row in closest(expectation, in: candidates) {
                    lines.append("    + " + render(expectation.fields.map { ($0.name, row.fields[$0.name] ?? nil) }))
                    let differing = expectation.fields.filter { !matches($0, row) }.map(\.name)
                    lines.append("        \(row.id) (differs in \(differing.joined(separator: ", ")))")
                }
            }
        } else {
            guard !matching.isEmpty else { return nil }
            lines.append("\(expectation.location): expected no \(noun) matching")
            lines.append("    - " + render(expectation.fields.map { ($0.name, $0.value) }))
            lines.append("    but the engine produced \(matching.count):")
            for row in matching.prefix(5) {
                let shown = subject.fields.filter {
                    ["id", "case", "at", "due", "status", "message", "stage"].contains($0)
                }
                lines.append("    + " + render(shown.map { ($0, row.fields[$0] ?? nil) }))
            }
            if matching.count > 5 { lines.append("    ... and \(matching.count - 5) more") }
        }
        return ScenarioResult.Failure(location: expectation.location, text: lines.joined(separator: "\n"))
    }

    /// Up to three records with the most fields in common with the expectation, those of the same case first.
    private func closest(_ expectation: Expectation, in candidates: [Row]) -> [Row] {
        let expectedCase = expectation.fields.first { $0.name == "case" }?.value
        let scored = candidates.enumerated().map { index, row in
            let score = expectation.fields.filter { matches($0, row) }.count
            let sameCase = expectedCase != nil && (row.fields["case"] ?? nil) == expectedCase
            return (row: row, score: score, sameCase: sameCase, index: index)
        }
        let sorted = scored.sorted { a, b in
            if a.sameCase != b.sameCase { return a.sameCase }
            if a.score != b.score { return a.score > b.score }
            return a.index < b.index
        }
        return sorted.prefix(3).map(\.row)
    }

    func matches(_ field: Expectation.Field, _ row: Row) -> Bool {
        guard let stored = row.fields[field.name] else { return false }  // not a field of this record
        guard let expected = field.value else { return stored == nil }
        guard let actual = stored else { return false }
        switch field.name {
        case "raised", "done", "at", "since", "closed":
            if let day = ScenarioDates.date(expected) {
                // The printed moment starts with its local date in the calendar's zone.
                return actual.hasPrefix(day.isoString)
            }
            guard let expectedMoment = Moment.parse(expected, zone: report.zone),
                let actualMoment = Moment.parse(actual, zone: report.zone)
            else { return expected == actual }
            return expectedMoment == actualMoment
        case "message", "because":
            return actual.contains(expected)
        case "version":
            return Int(expected) == Int(actual)
        default:
            return expected == actual
        }
    }

    /// `{ case: C1, key: decide-referral, due: 2025-01-07 }`, quoting values that need it.
    private func render(_ fields: [(String, String?)]) -> String {
        "{ " + fields.map { name, value in "\(name): \(quoted(value))" }.joined(separator: ", ") + " }"
    }

    private func quoted(_ value: String?) -> String {
        guard let value else { return "null" }
        let plain = value.allSatisfy { $0.isLetter || $0.isNumber || "-_./:+".contains($0) } && !value.isEmpty
        if plain { return value }
        return "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            + "\""
    }
}
