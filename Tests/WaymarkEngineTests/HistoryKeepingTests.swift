import Foundation
import Testing
import WaymarkDefinitions
import WaymarkFEEL
import WaymarkModel

@testable import WaymarkEngine

/// A case's history keeps the events the engine emits only when an expression of the definitions
/// can read them, which must change no outcome: not the report, not the `because` words, not the
/// history a case's detail shows.
@Suite struct HistoryKeepingTests {
    typealias F = Fixtures

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static func emitted(_ c: CaseState) -> [EmittedType] {
        c.history.compactMap { if case .emitted(_, _, _, let type) = $0 { type } else { nil } }
    }

    @Test func theShippedDefinitionsReadOnlyInputEventsFromTheHistory() throws {
        let loaded = try DefinitionsLoader(root: Self.root).load()
        #expect(!loaded.hasErrors)
        let compiled = CompiledDefinitions(loaded.definitions)
        #expect(compiled.historyEmitted == [Bool](repeating: false, count: EmittedType.allCases.count))
    }

    /// A rule that reads `task.raised` entries from the history keeps those and no other emitted type;
    /// the case's detail still shows every entry, as a case that keeps them all does.
    @Test func aTypeReadFromTheHistoryIsKeptAndTheDetailShowsEveryEntry() throws {
        let rule = Rule(
            id: "busy", title: nil, trigger: .events(["visit.recorded"]), pathway: nil,
            when: DecisionTableTests.expression(#"count(case.history[type = "task.raised"]) >= 1"#),
            then: [F.alert("Busy")], location: F.at(3, "rules/escalation.yaml"))
        let definitions = F.definitions(rules: [rule])
        let events = [
            F.event("a1", "C1", "referral.received", "2025-03-03T09:00"),
            F.event("v1", "C1", "visit.recorded", "2025-03-04T09:00"),
        ]
        func run(keepingEvery: Bool) -> Engine {
            var engine = Engine(definitions: definitions)
            engine.keepsEveryHistoryEntry = keepingEvery
            engine.ingest(events)
            engine.advance(to: engine.endOfDay(F.date("2025-03-20")))
            return engine
        }
        let (kept, every) = (run(keepingEvery: false), run(keepingEvery: true))
        let (c, all) = (kept.cases[0], every.cases[0])
        #expect(Set(Self.emitted(c)) == [.taskRaised])
        #expect(Set(Self.emitted(all)).isSuperset(of: [.taskRaised, .stageEntered, .alertRaised]))
        #expect(kept.report(openOnly: false).alerts.map(\.id).contains("C1/busy/v1"))
        #expect(kept.report(openOnly: false).json() == every.report(openOnly: false).json())
        func lines(_ e: Engine) -> [String] {
            e.caseDetail("C1")!.history.map { "\($0.id) \($0.type) \($0.at) \($0.because ?? "")" }
        }
        #expect(lines(kept).count == all.history.count)
        #expect(lines(kept) == lines(every))
    }

    /// The committed cohort, with the shipped definitions, as of a date in the data and as of its end:
    /// the same report and the same case details whether the history keeps every entry or not.
    @Test func theCohortsOutcomeIsTheSameWhicheverEntriesAreKept() throws {
        let loaded = try DefinitionsLoader(root: Self.root).load()
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: Self.root + "/examples/cohort.jsonl")))
        func run(keepingEvery: Bool, asOf: String) throws -> (Engine, String) {
            var engine = Engine(definitions: loaded.definitions)
            engine.keepsEveryHistoryEntry = keepingEvery
            engine.ingest(try EventDecoder.decode(bytes, timeZoneID: engine.timeZoneID))
            engine.advance(to: engine.endOfDay(F.date(asOf)))
            return (engine, engine.reportStream(openOnly: false).json())
        }
        for asOf in ["2019-06-28", "2022-01-31"] {
            let (kept, keptJSON) = try run(keepingEvery: false, asOf: asOf)
            let (every, everyJSON) = try run(keepingEvery: true, asOf: asOf)
            #expect(keptJSON == everyJSON)
            #expect(keptJSON.count > 100_000)
            let entries = (kept.cases.map(\.history.count).reduce(0, +), every.cases.map(\.history.count).reduce(0, +))
            #expect(entries.0 * 2 < entries.1, "emitted entries are most of the history: \(entries)")
            for id in kept.cases.map(\.id).sorted().prefix(25) {
                let (a, b) = (kept.caseDetail(id)!, every.caseDetail(id)!)
                #expect(a.history.map(\.id) == b.history.map(\.id))
                #expect(a.history.map { $0.because ?? "" } == b.history.map { $0.because ?? "" })
                #expect(a.tasks.map(\.because) == b.tasks.map(\.because))
            }
        }
    }
}
