import ArgumentParser
import Foundation
import WaymarkDefinitions
import WaymarkScenario

/// `waymark test`: runs scenario files against the definitions and prints a diff for each failure.
///
/// Exit codes as the spec gives them: 0 when every scenario passes, 1 when any fails, 2 when a file
/// or the definitions cannot be read (the readable scenarios still run and print).
struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run scenario files (events, a date, expected tasks and alerts) against the definitions."
    )

    @Argument(help: "Scenario files or folders of them (*.yaml, *.yml).")
    var paths: [String] = ["examples"]

    @Option(help: "The definitions folder (holding workflows/ and rules/).")
    var definitions: String = "."

    @Flag(help: "Also list the stages, deadlines, transitions, tasks and rules that no scenario exercised.")
    var coverage = false

    func run() throws {
        let loaded: LoadedDefinitions
        do {
            loaded = try DefinitionsLoader(root: definitions).load()
        } catch {
            Self.fail("\(error.message)")
            throw ExitCode(2)
        }
        if loaded.hasErrors {
            FileHandle.standardError.write(Data(DiagnosticReport.text(loaded).utf8))
            Self.fail("the definitions have errors; fix them first (`waymark check`)")
            throw ExitCode(2)
        }
        let files: [String]
        do {
            files = try ScenarioFiles.find(paths)
        } catch {
            Self.fail(error.description)
            throw ExitCode(2)
        }
        // A run that found nothing to run must not pass: the path is probably wrong.
        guard !files.isEmpty else {
            Self.fail("no scenario files (*.yaml, *.yml) in \(paths.joined(separator: ", "))")
            throw ExitCode(2)
        }
        let runner = ScenarioRunner(definitions: loaded.definitions)
        var report = ScenarioReport()
        var exercised = ScenarioCoverage(definitions: loaded.definitions)
        for file in files {
            let (out, error) = report.add(runner.run(file: file, recording: &exercised))
            FileBytes.writeOrExit(out, command: "test")
            if let error { FileHandle.standardError.write(Data(error.utf8)) }
        }
        if coverage {
            let missing = exercised.missing
            var text = "coverage: \(exercised.items.count - missing.count) of \(exercised.items.count) exercised\n"
            for item in missing { text += "  not exercised: \(item.description)\n" }
            FileBytes.writeOrExit(text, command: "test")
        }
        FileBytes.writeOrExit(report.summary + "\n", command: "test")
        if report.unreadable > 0 { throw ExitCode(2) }
        if !report.succeeded { throw ExitCode(1) }
    }

    private static func fail(_ message: String) {
        FileHandle.standardError.write(Data("waymark test: error: \(message)\n".utf8))
    }
}
