import ArgumentParser
import Foundation
import WaymarkDefinitions

/// `waymark check`: loads and validates every definition, printing every diagnostic.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Load and validate every pathway, rule set and calendar; print each problem with its position."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Option(name: .long, help: "The definitions folder (holding workflows/ and rules/).")
    var definitions: String = "."

    @Option(name: .long, help: "text (path:line:col: error: message) or json.")
    var format: Format = .text

    func run() throws {
        let loaded: LoadedDefinitions
        do {
            loaded = try DefinitionsLoader(root: definitions).load()
        } catch {
            FileHandle.standardError.write(Data("waymark check: \(error.message)\n".utf8))
            throw ExitCode(2)
        }
        let output = format == .json ? DiagnosticReport.json(loaded) : DiagnosticReport.text(loaded)
        FileBytes.writeOrExit(output, command: "check")
        if loaded.hasErrors { throw ExitCode(1) }
    }
}
