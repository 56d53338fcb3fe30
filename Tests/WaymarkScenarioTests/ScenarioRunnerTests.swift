import Foundation
import Testing
import WaymarkModel

@testable import WaymarkScenario

/// The runner against the shipped definitions: what passes, and how a failure reads.
@Suite struct ScenarioRunnerTests {
    /// The repository root: this file is Tests/WaymarkScenarioTests/ScenarioRunnerTests.swift.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static let runner = Result { try ScenarioRunner(definitionsRoot: root) }

    /// A 12-year-old referred on Monday 4 March 2024: the decision is due the next working day.
    static func scenario(expecting task: String) -> String {
        """
        scenario: a referral raises the decision task
        events:
          - { case: C1, type: referral.received, at: 2024-03-04, facts: { child: { birth_date: 2012-01-01 } } }
        as_of: 2024-03-06
        expect:
          tasks:
            - \(task)
          no_alerts:
            - { case: C1, rule: re-referral-within-12-months }
        """
    }

    func run(_ text: String) throws -> ScenarioResult {
        let scenarios = try ScenarioParser.parse(text, file: "s.yaml")
        return try Self.runner.get().run(scenarios[0])
    }

    @Test func aScenarioWhoseExpectationsHoldPasses() throws {
        let result = try run(
            Self.scenario(
                expecting:
                    "{ case: C1, pathway: right-balance, key: decide-referral, due: 2024-03-05, status: overdue }"))
        #expect(result.passed, "\(result.failures.map(\.text))")
    }

    @Test func aFailingExpectationIsADiffNamingTheFieldAndLine() throws {
        let result = try run(
            Self.scenario(expecting: "{ case: C1, pathway: right-balance, key: decide-referral, due: 2024-03-06 }"))
        #expect(!result.passed)
        let failure = try #require(result.failures.first)
        #expect(result.failures.count == 1)
        #expect(failure.location.file == "s.yaml")
        #expect(failure.location.line == 7)
        let lines = failure.text.split(separator: "\n").map(String.init)
        #expect(lines.first == "s.yaml:7:7: expected a task matching")
        #expect(lines.contains("    - { case: C1, pathway: right-balance, key: decide-referral, due: 2024-03-06 }"))
        #expect(lines.contains("    + { case: C1, pathway: right-balance, key: decide-referral, due: 2024-03-05 }"))
        #expect(lines.contains { $0.contains("C1/right-balance/referral/decide-referral/1 (differs in due)") })
    }

    @Test func aForbiddenRecordThatAppearsFails() throws {
        let text = """
            scenario: a re-referral
            events:
              - { case: C1, type: referral.received, at: 2024-03-04, facts: { child: { birth_date: 2012-01-01 } } }
              - { case: C1, type: referral.received, at: 2024-05-04 }
            expect:
              no_alerts:
                - { case: C1, rule: re-referral-within-12-months }
            """
        let result = try run(text)
        let failure = try #require(result.failures.first)
        #expect(failure.text.hasPrefix("s.yaml:7:7: expected no alert matching"))
        #expect(failure.text.contains("but the engine produced 1:"))
        #expect(failure.text.contains("Re-referral within 12 months"))
    }

    @Test func aMalformedFileIsReportedAtItsPosition() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("waymark-bad-\(UUID()).yaml").path
        try Data("scenario: x\nevents:\n  - { case: C1, type: t, at: tomorrow }\n".utf8).write(
            to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        var coverage = try ScenarioCoverage(definitions: Self.runner.get().definitions)
        let outcome = try Self.runner.get().run(file: file, recording: &coverage)
        #expect(outcome.results.isEmpty)
        let error = try #require(outcome.error)
        #expect(error.description.hasPrefix("\(file):3:30: error: `at` must be an ISO 8601"))
        var report = ScenarioReport()
        let (out, stderr) = report.add(outcome)
        #expect(out.isEmpty)
        #expect(stderr == error.description + "\n")
        #expect(report.summary == "0 passed, 0 failed, 1 unreadable")
        #expect(!report.succeeded)
    }

    @Test func theReportCountsAndIndentsFailures() throws {
        let passing = try run(Self.scenario(expecting: "{ case: C1, key: decide-referral }"))
        let failing = try run(Self.scenario(expecting: "{ case: C1, key: decide-referral, due: 2024-03-07 }"))
        var report = ScenarioReport()
        let (out, _) = report.add(ScenarioFileOutcome(file: "s.yaml", results: [passing, failing], error: nil))
        #expect(report.summary == "1 passed, 1 failed")
        #expect(out.hasPrefix("PASS  s.yaml: a referral raises the decision task\nFAIL  s.yaml: a referral"))
        #expect(out.contains("\n      s.yaml:7:7: expected a task matching\n"))
    }

    @Test func eventsListedOutOfOrderArriveLateAndGiveTheTimeOrderOutcome() throws {
        // The decision is listed (arrives) before the referral it decides; the referral arrives late.
        let text = """
            scenario: a decision recorded before its referral
            events:
              - { case: C1, type: referral.decided, at: 2024-03-05T10:00:00Z, data: { decision: accept } }
              - { case: C1, type: referral.received, at: 2024-03-04, facts: { child: { birth_date: 2012-01-01 } } }
            as_of: 2024-03-06
            expect:
              tasks:
                - { case: C1, key: decide-referral, due: 2024-03-05, status: done, done: 2024-03-05T10:00:00Z }
                - { case: C1, key: confirm-eligibility, due: 2024-03-12, status: open }
            """
        let result = try run(text)
        #expect(result.passed, "\(result.failures.map(\.text))")
    }

    @Test func aReportDiffShowsTheFirstDifferingLines() {
        let expected = "{\n  \"tasks\": [\n    {\"a\": 1},\n    {\"b\": 2}\n  ]\n}\n"
        let actual = "{\n  \"tasks\": [\n    {\"a\": 1},\n    {\"b\": 3}\n  ]\n}\n"
        #expect(ScenarioRunner.lineDiff(expected, actual) == ["    - {\"b\": 2}", "    + {\"b\": 3}"])
        #expect(ScenarioRunner.lineDiff(expected, expected).isEmpty)
        let longer = ScenarioRunner.lineDiff("a\nb\nc", "x\ny\nz\nw", limit: 2)
        #expect(longer == ["    - a", "    + x", "    - b", "    + y", "    ... and 2 more differing lines"])
    }

    /// A misspelt rule under `no_alerts` would otherwise pass forever: each bad name fails at its position.
    @Test func misspeltNamesFailAtTheirPositionInsteadOfMatchingNothing() throws {
        let text = """
            scenario: typos
            events:
              - { case: C1, type: referral.received, at: 2024-03-04, facts: { child: { birth_date: 2012-01-01 } } }
              - { case: C1, type: referal.decided, at: 2024-03-05 }
            expect:
              no_alerts:
                - { case: C1, rule: re-referal-within-12-months }
                - { case: C2, rule: "right-balance:referral:on_breach" }
              tasks:
                - { case: C1, key: decide-referral, status: overdu, due: 2024-3-5 }
            """
        let result = try run(text)
        let texts = result.failures.map(\.text)
        #expect(
            texts == [
                "s.yaml:4:5: no definition reacts to or reads events of type `referal.decided` "
                    + "(did you mean `referral.decided`?)",
                "s.yaml:7:25: `rule` names no rule of the definitions: `re-referal-within-12-months` "
                    + "(did you mean `re-referral-within-12-months`?)",
                "s.yaml:8:15: no event of this scenario is for case `C2` (did you mean `C1`?)",
                "s.yaml:10:49: `status` must be one of open, overdue, done, cancelled, not `overdu`",
                "s.yaml:10:62: `due` must be a date (YYYY-MM-DD), not `2024-3-5`",
            ])
    }

    /// A rule that raises a task on every `task.raised` never ends; the engine stops it and the
    /// scenario fails, even with no expectation that notices.
    @Test func aCascadeTheEngineHadToStopFailsTheScenario() throws {
        let here = SourceLocation(file: "rules/loop.yaml", line: 3, column: 5)
        let task = TaskTemplate(
            key: "again", title: "Again", role: "nobody", due: DurationSpec.parse("1 day")!, location: here)
        let rule = Rule(
            id: "loop", title: nil, trigger: .events(["ping", "task.raised"]), pathway: nil, when: nil,
            then: [.task(task)], location: here)
        let definitions = Definitions(
            ruleSets: ["loop": RuleSet(id: "loop", calendar: "uk", rules: [rule], tables: [], location: here)],
            calendars: [
                "uk": WorkingCalendar(
                    id: "uk", timeZoneID: "Europe/London", workingWeekdays: [1, 2, 3, 4, 5], holidays: [])
            ])
        let scenario = try ScenarioParser.parse(
            "scenario: loop\nevents: [ { case: C1, type: ping, at: 2024-03-04 } ]\n", file: "s.yaml")[0]
        let result = ScenarioRunner(definitions: definitions).run(scenario)
        #expect(result.failures.isEmpty)
        #expect(result.problems.contains { $0.contains("cascade") })
        #expect(!result.passed)
        var report = ScenarioReport()
        let (out, _) = report.add(ScenarioFileOutcome(file: "s.yaml", results: [result], error: nil))
        #expect(out.hasPrefix("FAIL  s.yaml: loop\n      engine: C1: Stopped a cascade"))
        #expect(report.summary == "0 passed, 1 failed")
    }
}
