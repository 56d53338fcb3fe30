public import WaymarkModel

/// What running one scenario found.
public struct ScenarioResult: Sendable {
    /// One expectation the engine's output did not meet, rendered as a readable diff.
    public struct Failure: Sendable {
        public var location: SourceLocation
        /// Several lines: what was expected (`-`), what the engine produced that came closest (`+`).
        public var text: String

        public init(location: SourceLocation, text: String) {
            self.location = location
            self.text = text
        }
    }

    public var scenario: Scenario
    public var failures: [Failure]
    /// Problems the engine met (a stopped cascade, an event it could not read), shown with a failure.
    public var problems: [String]

    public init(scenario: Scenario, failures: [Failure], problems: [String]) {
        self.scenario = scenario
        self.failures = failures
        self.problems = problems
    }

    /// A problem the engine met (a cascade it had to stop) fails the scenario too: the spec calls it an
    /// error, and a scenario that passes only because a cascade was cut short proves nothing.
    public var passed: Bool { failures.isEmpty && problems.isEmpty }
}

/// What running one scenario file found: its scenarios' results, or why it could not be read.
public struct ScenarioFileOutcome: Sendable {
    public var file: String
    public var results: [ScenarioResult]
    public var error: ScenarioError?

    public init(file: String, results: [ScenarioResult], error: ScenarioError?) {
        self.file = file
        self.results = results
        self.error = error
    }
}
