import Foundation
import Testing
import WaymarkDefinitions
import WaymarkFEEL
import WaymarkModel

@testable import WaymarkEngine

/// A finished task may let its reason go when no one will read it (a list of open tasks), which
/// must change nothing printed: the open list is the same, and a report or case detail that shows
/// finished tasks runs the cases again to put their `because` into the same words.
@Suite struct FinishedTaskReasonTests {
    typealias F = Fixtures

    static func isNotKept(_ r: Reason) -> Bool { if case .notKept = r { true } else { false } }

    @Test func theCohortPrintsTheSameWhetherFinishedTasksKeepTheirReasonsOrNot() throws {
        let loaded = try DefinitionsLoader(root: HistoryKeepingTests.root).load()
        let bytes = Array(
            try Data(contentsOf: URL(fileURLWithPath: HistoryKeepingTests.root + "/examples/cohort.jsonl")))
        func run(keeping: Bool, asOf: String) throws -> Engine {
            var engine = Engine(definitions: loaded.definitions)
            engine.keepsFinishedTaskReasons = keeping
            engine.ingest(try EventDecoder.decode(bytes, timeZoneID: engine.timeZoneID))
            engine.advance(to: engine.endOfDay(F.date(asOf)))
            return engine
        }
        for asOf in ["2019-06-28", "2022-01-31"] {
            let (lean, kept) = (try run(keeping: false, asOf: asOf), try run(keeping: true, asOf: asOf))
            let tasks = (lean.cases.flatMap(\.tasks), kept.cases.flatMap(\.tasks))
            let finished = tasks.0.filter { !$0.isOpen }
            #expect(finished.count > 1_000)
            #expect(finished.allSatisfy { Self.isNotKept($0.reason) })
            #expect(!tasks.0.filter(\.isOpen).contains { Self.isNotKept($0.reason) })
            #expect(!tasks.1.contains { Self.isNotKept($0.reason) })

            let openList = lean.reportStream(openOnly: true).json()
            #expect(openList == kept.reportStream(openOnly: true).json())
            #expect(openList.count > 10_000)
            // Finished tasks shown: the lean engine runs its cases again first.
            let full = lean.reportStream(openOnly: false).json()
            #expect(full == kept.reportStream(openOnly: false).json())
            #expect(!full.contains("was not kept"))
            #expect(lean.report(openOnly: false).json() == kept.report(openOnly: false).json())
            #expect(lean.report(openOnly: false).table(limit: nil) == kept.report(openOnly: false).table(limit: nil))
            for id in lean.cases.filter({ $0.tasks.contains { !$0.isOpen } }).map(\.id).sorted().prefix(25) {
                let (a, b) = (lean.caseDetail(id)!, kept.caseDetail(id)!)
                #expect(a.tasks.map(\.because) == b.tasks.map(\.because))
                #expect(a.history.map { $0.because ?? "" } == b.history.map { $0.because ?? "" })
            }
        }
    }

    /// The engine keeps them unless told otherwise (the daemon and `waymark test` rely on it).
    @Test func reasonsAreKeptByDefault() {
        let definitions = F.definitions(rules: [])
        let engine = Engine(definitions: definitions)
        #expect(engine.keepsFinishedTaskReasons)
    }
}
