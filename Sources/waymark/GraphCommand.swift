import ArgumentParser
import Foundation
import WaymarkDefinitions

/// `waymark graph PATHWAY`: draws a pathway as Mermaid or Graphviz.
struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Draw a pathway: stages, transitions with their events and conditions, deadlines and tasks."
    )

    @Argument(help: "The pathway id, such as right-balance.")
    var pathway: String

    @Option(name: .long, help: "The definitions folder (holding workflows/ and rules/).")
    var definitions: String = "."

    @Option(name: .long, help: "mermaid or dot.")
    var format: PathwayGraph.Format = .mermaid

    func run() throws {
        let loaded: LoadedDefinitions
        do {
            loaded = try DefinitionsLoader(root: definitions).load()
        } catch {
            fail(error.message)
        }
        guard let found = loaded.definitions.pathways[pathway] else {
            let known = loaded.definitions.pathways.keys.sorted().joined(separator: ", ")
            let problems = loaded.hasErrors ? " (the definitions have errors: run `waymark check`)" : ""
            fail("unknown pathway `\(pathway)`; known pathways: \(known.isEmpty ? "none" : known)\(problems)")
        }
        if loaded.hasErrors {
            FileHandle.standardError.write(
                Data("waymark graph: warning: the definitions have errors; run `waymark check`\n".utf8))
        }
        FileBytes.writeOrExit(PathwayGraph.render(found, format: format), command: "graph")
    }

    private func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("waymark graph: \(message)\n".utf8))
        Foundation.exit(2)
    }
}

extension PathwayGraph.Format: ExpressibleByArgument {}
