import Testing
import WaymarkModel
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

    /// Running through a rule is not checking it: every rule and every task key of the definitions is
    /// named by some expectation (an alert with the rule's id, or a task with the key).
    @Test func everyRuleAndTaskKeyIsAssertedBySomeScenario() throws {
        let runner = try ScenarioRunner(definitionsRoot: ScenarioRunnerTests.root)
        var expected: [WaymarkScenario.Expectation] = []
        for file in try ScenarioFiles.find([Self.examples]) {
            for scenario in try ScenarioParser.parse(contentsOf: file) {
                expected += scenario.expectations.filter(\.kind.wantsMatch)
            }
        }
        func named(_ kind: WaymarkScenario.Expectation.Kind, _ field: String, _ value: String) -> Bool {
            expected.contains { e in e.kind == kind && e.fields.contains { $0.name == field && $0.value == value } }
        }
        var keys: [String] = []
        for pathway in runner.definitions.sortedPathways {
            for stage in pathway.stages {
                keys += stage.tasks.map(\.key)
                for case .task(let t) in stage.onEnter + stage.onExit + stage.onBreach { keys.append(t.key) }
            }
        }
        var unasserted: [String] = []
        for rule in runner.definitions.allRules {
            let ruleKeys = rule.then.compactMap { if case .task(let t) = $0 { t.key } else { nil } }
            keys += ruleKeys
            if !named(.alerts, "rule", rule.id) && !ruleKeys.contains(where: { named(.tasks, "key", $0) }) {
                unasserted.append("rule \(rule.id) (\(rule.location))")
            }
        }
        for key in Set(keys).sorted() where !named(.tasks, "key", key) {
            unasserted.append("task key \(key)")
        }
        #expect(keys.count > 20)
        #expect(unasserted.isEmpty, "no scenario in examples/ expects:\n\(unasserted.joined(separator: "\n"))")
    }
}
