import Testing
import WaymarkScenario

/// The scenarios in examples/ pass against the shipped definitions, and together exercise all of them.
@Suite struct ExampleScenariosTests {
    static let examples = ScenarioRunnerTests.root + "/examples"

    /// Runs every example once, recording coverage.
    static let run: Result<(outcomes: [ScenarioFileOutcome], coverage: ScenarioCoverage), any Error> = Result {
        let runner = try ScenarioRunner(definitionsRoot: ScenarioRunnerTests.root)
        var coverage = ScenarioCoverage(definitions: runner.definitions)
        let outcomes = try ScenarioFiles.find([examples]).map { runner.run(file: $0, recording: &coverage) }
        return (outcomes, coverage)
    }

    @Test func everyExampleScenarioPasses() throws {
        let (outcomes, _) = try Self.run.get()
        #expect(outcomes.count >= 13)
        var report = ScenarioReport()
        var text = ""
        for outcome in outcomes {
            let (out, error) = report.add(outcome)
            text += (error ?? "") + out.split(separator: "\n").filter { !$0.hasPrefix("PASS") }.joined(separator: "\n")
        }
        #expect(report.succeeded, "\(report.summary)\n\(text)")
        #expect(report.passed >= 13)
    }

    @Test func theExamplesExerciseEveryStageTransitionTaskAndRule() throws {
        let (_, coverage) = try Self.run.get()
        #expect(coverage.items.count > 50)
        for kind in ScenarioCoverage.Item.Kind.allCases {
            #expect(coverage.items.contains { $0.kind == kind }, "no \(kind.rawValue) among the definitions")
        }
        let missing = coverage.missing.map(\.description)
        #expect(missing.isEmpty, "not exercised by any scenario in examples/:\n\(missing.joined(separator: "\n"))")
    }
}
