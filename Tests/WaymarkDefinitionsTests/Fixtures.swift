import WaymarkDefinitions
import WaymarkModel

/// Small definitions folders written inline, so each test shows the mistake it plants.
enum Fixtures {
    static let calendar = """
        calendar: england-and-wales
        time_zone: Europe/London
        working_days: [mon, tue, wed, thu, fri]
        holidays:
          - { date: 2025-12-25, name: Christmas Day }
        """

    static let pathway = """
        pathway: demo
        version: 1
        title: Demo
        calendar: england-and-wales
        enrol:
          on: referral.received
        start: referral
        stages:
          referral:
            title: Referral
            tasks:
              - key: decide
                title: Decide
                role: duty-social-worker
                due: 1 working day
                done_on: referral.decided
            within: 5 working days
            on_breach:
              - alert: { severity: high, message: "late" }
            transitions:
              - on: referral.decided
                to: closed
          closed:
            final: true
        transitions:
          - on: case.closed
            to: closed
        """

    static let rules = """
        ruleset: escalation
        calendar: england-and-wales
        rules:
          - id: re-referral
            on: referral.received
            then:
              - alert: { severity: high, message: "Re-referral" }
          - id: daily
            every: day
            pathway: demo
            then:
              - task: { key: look, title: Look, role: team-manager, due: 2 working days }
        """

    static func load(_ files: [String: String]) -> LoadedDefinitions {
        DefinitionsLoader.load(files: files.sorted { $0.key < $1.key }.map { ($0.key, Array($0.value.utf8)) })
    }

    /// The shipped-shape folder with `file` replaced by `text`.
    static func load(replacing file: String, with text: String) -> LoadedDefinitions {
        var files = [
            "workflows/calendars/ew.yaml": calendar, "workflows/demo.yaml": pathway, "rules/escalation.yaml": rules,
        ]
        files[file] = text
        return load(files)
    }
}

extension LoadedDefinitions {
    /// `file:line:col: severity: code` for each diagnostic, the shape tests compare.
    var summaries: [String] {
        diagnostics.map { "\($0.location): \($0.severity.rawValue): \($0.code)" }
    }
}
