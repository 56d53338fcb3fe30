import Foundation
import Testing
import WaymarkDefinitions
import WaymarkModel

/// The definitions the repository ships must load with no error: they are what a council starts from.
@Suite struct ShippedDefinitionsTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @Test func shippedDefinitionsLoadWithoutErrors() throws {
        let loaded = try DefinitionsLoader(root: Self.root).load()
        #expect(loaded.diagnostics.filter { $0.severity == .error }.map { "\($0.location): \($0.message)" } == [])
        #expect(loaded.files.count >= 5)
        let ids = loaded.definitions.sortedPathways.map(\.id)
        #expect(ids == ["cin-phase3", "lifelong-links", "right-balance"])
        #expect(loaded.definitions.calendars["england-and-wales"]?.holidays.count ?? 0 > 100)
        #expect(loaded.definitions.ruleSets["escalation"]?.rules.isEmpty == false)
    }

    @Test func rightBalanceGraphDrawsEveryStage() throws {
        let loaded = try DefinitionsLoader(root: Self.root).load()
        let pathway = try #require(loaded.definitions.pathways["right-balance"])
        let mermaid = PathwayGraph.render(pathway, format: .mermaid)
        for stage in pathway.stages {
            let id = "s_" + stage.id.replacingOccurrences(of: "-", with: "_")
            #expect(mermaid.contains("    \(id)[\"") || mermaid.contains("    \(id)([\""), "stage \(stage.id) is drawn")
        }
        #expect(mermaid.contains("class "))
    }
}
