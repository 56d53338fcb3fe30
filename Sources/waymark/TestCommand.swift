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
        let runner = ScenarioRunner(definitions: loaded.definitions)
        var passed = 0
        var failed = 0
        var unreadable = 0
        var out = ""
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                Self.fail("\(file): the file cannot be read")
                unreadable += 1
                continue
            }
            let scenarios: [Scenario]
            do {
                scenarios = try ScenarioParser.parse([UInt8](data), file: file)
            } catch {
                Self.fail(error.description)
                unreadable += 1
                continue
            }
            for scenario in scenarios {
                let result = runner.run(scenario)
                if result.passed {
                    passed += 1
                    out += "PASS  \(file): \(scenario.name)\n"
                } else {
                    failed += 1
                    out += "FAIL  \(file): \(scenario.name)\n"
                    for failure in result.failures {
                        out +=
                            failure.text.split(separator: "\n", omittingEmptySubsequences: false)
                            .map { "      " + $0 }.joined(separator: "\n") + "\n"
                    }
                    for problem in result.problems {
                        out += "      engine: \(problem)\n"
                    }
                }
            }
            FileHandle.standardOutput.write(Data(out.utf8))
            out = ""
        }
        var summary = "\(passed) passed, \(failed) failed"
        if unreadable > 0 { summary += ", \(unreadable) unreadable" }
        FileHandle.standardOutput.write(Data((summary + "\n").utf8))
        if unreadable > 0 { throw ExitCode(2) }
        if failed > 0 { throw ExitCode(1) }
    }

    private static func fail(_ message: String) {
        FileHandle.standardError.write(Data("waymark test: error: \(message)\n".utf8))
    }
}
