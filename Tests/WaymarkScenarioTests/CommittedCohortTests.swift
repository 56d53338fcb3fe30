import Foundation
import Testing
import WaymarkEngine
import WaymarkFEEL
import WaymarkScenario
import WaymarkSimulation

/// examples/cohort.jsonl is `waymark simulate --cases 251 --seed 2017 --from 2017-09-01 --to 2021-12-31`,
/// and the engine can run it with the shipped definitions.
@Suite struct CommittedCohortTests {
    static let path = ScenarioRunnerTests.root + "/examples/cohort.jsonl"

    static func generated() -> String {
        CohortGenerator(
            CohortConfiguration(
                cases: 251, seed: 2017, from: FEELDate(year: 2017, month: 9, day: 1),
                to: FEELDate(year: 2021, month: 12, day: 31))
        ).jsonLines()
    }

    @Test func theCommittedCohortIsTheGeneratorsOutputForItsSeed() throws {
        let committed = try String(contentsOfFile: Self.path, encoding: .utf8)
        let generated = Self.generated()
        let firstDifference = zip(committed.split(separator: "\n"), generated.split(separator: "\n")).enumerated()
            .first { $0.element.0 != $0.element.1 }
        #expect(
            committed == generated,
            "regenerate examples/cohort.jsonl; first differing line: \(firstDifference.map { $0.offset + 1 } ?? -1)")
    }

    /// Cases run on several threads when the clock advances; the report must not depend on how many.
    @Test func theReportIsTheSameWhateverTheNumberOfThreads() throws {
        let runner = try ScenarioRunner(definitionsRoot: ScenarioRunnerTests.root)
        let text = CohortGenerator(
            CohortConfiguration(
                cases: 800, seed: 7, from: FEELDate(year: 2018, month: 1, day: 1),
                to: FEELDate(year: 2019, month: 6, day: 30))
        ).jsonLines()
        var lines = text.split(separator: "\n")
        // One event recorded late (moved to the end of the stream), so that its case is recomputed.
        lines.append(lines.remove(at: lines.count / 3))
        func report(workers: Int) throws -> String {
            var engine = Engine(definitions: runner.definitions)
            engine.workers = workers
            let events = try EventDecoder.decode(
                Array(lines.joined(separator: "\n").utf8), timeZoneID: engine.timeZoneID, workers: workers)
            // In three batches with the clock advanced after each, then a few days one by one.
            for part in 0..<3 {
                let slice = events[(events.count * part / 3)..<(events.count * (part + 1) / 3)]
                engine.ingest(Array(slice))
                engine.advance(to: engine.endOfDay(engine.timeZone.date(of: slice.last!.at)))
            }
            for day in 1...5 { engine.advance(to: engine.endOfDay(FEELDate(year: 2019, month: 7, day: day))) }
            #expect(engine.timersFired > 1000)
            return engine.report(openOnly: false).json(workers: workers)
        }
        let single = try report(workers: 1)
        #expect(single.count > 100_000)
        #expect(try report(workers: 2) == single)
        #expect(try report(workers: 4) == single)
    }

    @Test func theEngineRunsTheCohortWithoutProblems() throws {
        let runner = try ScenarioRunner(definitionsRoot: ScenarioRunnerTests.root)
        var engine = Engine(definitions: runner.definitions)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.path)))
        let events = try EventDecoder.decode(bytes, timeZoneID: engine.timeZoneID)
        #expect(events.count > 5000)
        let result = engine.ingest(events)
        #expect(result.accepted == events.count)
        #expect(result.duplicates == 0)
        engine.advance(to: engine.endOfDay(FEELDate(year: 2021, month: 12, day: 31)))
        #expect(engine.problems.isEmpty, "\(engine.problems.prefix(5))")
        let report = engine.report(openOnly: false)
        #expect(Set(report.cases.map(\.caseID)).count > 200)
        // A realistic cohort is neither all on time nor all late.
        #expect(report.tasks.contains { $0.status == .done })
        #expect(report.tasks.contains { $0.status == .overdue })
        #expect(report.alerts.contains { $0.rule == "re-referral-within-12-months" })
        // The simulator answers the escalation rules' tasks: every crisis decision, crisis review,
        // re-referral review and attendance plan ends, most on time (by the end of the due date), some late.
        for key in ["crisis-strategy-decision", "crisis-review", "manager-review", "severe-absence-plan"] {
            let raised = report.tasks.filter { $0.key == key }
            let onTime = raised.filter { task in
                task.done.map { $0.epochSeconds < Int64(task.due.dayNumber + 1) * 86_400 - 3600 } ?? false
            }
            #expect(raised.count >= 8, "\(key): \(raised.count) raised")
            #expect(raised.allSatisfy { $0.status == .done || $0.status == .cancelled }, "\(key) left open")
            #expect(onTime.count * 4 >= raised.count * 3, "\(key): \(onTime.count) of \(raised.count) on time")
            #expect(onTime.count < raised.count, "\(key): none late")
        }
    }
}
