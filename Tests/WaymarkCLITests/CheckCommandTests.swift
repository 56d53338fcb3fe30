import Foundation
import Testing

@Suite struct CheckCommandTests {
    static let calendar = """
        calendar: england-and-wales
        time_zone: Europe/London
        working_days: [mon, tue, wed, thu, fri]
        holidays: []
        """

    static let pathway = """
        pathway: demo
        calendar: england-and-wales
        enrol:
          on: referral.received
        start: referral
        stages:
          referral:
            tasks:
              - { key: decide, title: Decide, role: duty-social-worker, due: 1 working day, done_on: referral.decided }
            transitions:
              - on: referral.decided
                to: closed
          closed:
            final: true
        """

    @Test func cleanDefinitionsExitZero() throws {
        let folder = try TempDefinitions([
            "workflows/calendars/ew.yaml": Self.calendar, "workflows/demo.yaml": Self.pathway,
        ])
        let result = try CLIRunner.run(["check", "--definitions", folder.root.path])
        #expect(result.status == 0)
        #expect(result.stdout == "0 errors, 0 warnings in 2 files\n")
    }

    @Test func plantedMistakesAreReportedAtFileLineColumnWithExitOne() throws {
        let broken = Self.pathway
            .replacingOccurrences(of: "calendar: england-and-wales", with: "calendar: englnd-and-wales")
            .replacingOccurrences(of: "due: 1 working day", with: "due: 1 fortnight")
            .replacingOccurrences(of: "    to: closed", with: "    to: close")
        let folder = try TempDefinitions([
            "workflows/calendars/ew.yaml": Self.calendar, "workflows/demo.yaml": broken,
            "rules/dup.yaml": "ruleset: r\nrules: []\nrules: []\n",
            "rules/sev.yaml":
                "ruleset: s\nrules:\n  - id: x\n    on: a\n    then:\n      - alert: { severity: severe, message: m }\n",
        ])
        let result = try CLIRunner.run(["check", "--definitions", folder.root.path])
        #expect(result.status == 1)
        let p = folder.root.path
        #expect(
            result.stdout.split(separator: "\n").map(String.init) == [
                "\(p)/rules/dup.yaml:3:1: error: duplicate key `rules`: it is already set on line 2",
                "\(p)/rules/sev.yaml:6:28: error: unknown severity `severe`; use low, medium, high or critical",
                "\(p)/workflows/demo.yaml:2:11: error: unknown calendar `englnd-and-wales`; known calendars: england-and-wales; "
                    + "did you mean `england-and-wales`?",
                "\(p)/workflows/demo.yaml:9:70: error: `1 fortnight` is not a duration: write `N working days`, "
                    + "`N days`, `N weeks`, `N months`, `N years` or an ISO 8601 duration such as `P20D`",
                "\(p)/workflows/demo.yaml:12:13: error: `to: close` names no stage of this pathway; did you mean `closed`?",
                "5 errors, 0 warnings in 4 files",
            ])
    }

    @Test func aliasBombIsRefusedWithTheFileNamed() throws {
        var text = "calendar: bomb\na0: &a0 [x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            text +=
                "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ") + "]\n"
        }
        let folder = try TempDefinitions(["workflows/bomb.yaml": text])
        let result = try CLIRunner.run(["check", "--definitions", "."], in: folder.root)
        #expect(result.status == 1)
        #expect(result.stdout.hasPrefix("workflows/bomb.yaml:7:"))
        #expect(result.stdout.contains("alias bomb"))
    }

    @Test func jsonFormatListsDiagnostics() throws {
        let folder = try TempDefinitions(["workflows/x.yaml": "pathway: x\n"])
        let result = try CLIRunner.run(["check", "--definitions", folder.root.path, "--format", "json"])
        #expect(result.status == 1)
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let diagnostics = json?["diagnostics"] as? [[String: Any]]
        #expect(diagnostics?.first?["code"] as? String == "missing-field")
        #expect(diagnostics?.first?["line"] as? Int == 1)
        #expect(json?["errors"] as? Int == diagnostics?.count)
    }

    @Test func missingFolderIsAUsageError() throws {
        let result = try CLIRunner.run(["check", "--definitions", "/nonexistent/waymark-defs"])
        #expect(result.status == 2)
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains("/nonexistent/waymark-defs"))
    }

    @Test func unknownFlagExitsTwoWithAOneLineMessage() throws {
        let result = try CLIRunner.run(["check", "--no-such-flag"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--no-such-flag"))
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stdout.isEmpty)
    }

    @Test func helpStillExitsZero() throws {
        let result = try CLIRunner.run(["check", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("--definitions"))
    }
}
