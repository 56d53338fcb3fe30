import ArgumentParser

/// The `waymark` command: each subcommand only parses its arguments and calls the libraries.
@main
struct Waymark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "waymark",
        abstract: "A workflow and rules engine for children's social care.",
        subcommands: [CheckCommand.self, GraphCommand.self, SimulateCommand.self, ServeCommand.self]
    )
}
