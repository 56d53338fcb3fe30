import Foundation
import Testing

@Suite struct GraphCommandTests {
    static let files = [
        "workflows/calendars/ew.yaml": CheckCommandTests.calendar,
        "workflows/demo.yaml": CheckCommandTests.pathway.replacingOccurrences(
            of: "  closed:\n", with: "    within: 5 working days\n  closed:\n"),
    ]

    @Test func mermaidDrawsStagesTransitionsDeadlinesAndFinals() throws {
        let folder = try TempDefinitions(Self.files)
        let result = try CLIRunner.run(["graph", "demo", "--definitions", folder.root.path])
        #expect(result.status == 0)
        #expect(result.stdout.contains("flowchart TD"))
        #expect(result.stdout.contains("start((start)) --> s_referral"))
        #expect(result.stdout.contains("s_referral -->|\"referral.decided\"| s_closed"))
        #expect(result.stdout.contains("within 5 working days"))
        #expect(result.stdout.contains("due 1 working day"))
        #expect(result.stdout.contains("s_closed([\"closed<br/>final\"])"))
        #expect(result.stdout.contains("class s_closed final"))
    }

    @Test func dotDrawsTheSameGraph() throws {
        let folder = try TempDefinitions(Self.files)
        let result = try CLIRunner.run(["graph", "demo", "--definitions", folder.root.path, "--format", "dot"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("digraph \"demo\" {"))
        #expect(result.stdout.contains("\"referral\" -> \"closed\" [label=\"referral.decided\"];"))
        #expect(result.stdout.contains("peripheries=2"))
    }

    @Test func unknownPathwayIsAUsageError() throws {
        let folder = try TempDefinitions(Self.files)
        let result = try CLIRunner.run(["graph", "demox", "--definitions", folder.root.path])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "waymark graph: unknown pathway `demox`; known pathways: demo\n")
    }
}
