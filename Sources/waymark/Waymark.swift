import ArgumentParser
import Foundation

/// The `waymark` command: each subcommand only parses its arguments and calls the libraries.
@main
struct Waymark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "waymark",
        abstract: "A workflow and rules engine for children's social care.",
        subcommands: [
            CheckCommand.self, GraphCommand.self, RunCommand.self, TestCommand.self, SimulateCommand.self,
            EvalCommand.self, ServeCommand.self,
        ]
    )

    /// The contract gives usage mistakes (unknown flags, bad values) exit code 2, where
    /// ArgumentParser's default is 64 (`EX_USAGE`) with a multi-line usage text; the message here is one
    /// line. Help and version requests still exit 0.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                let line = "waymark: \(message(for: error)) (see `waymark help`)\n"
                FileHandle.standardError.write(Data(line.utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
