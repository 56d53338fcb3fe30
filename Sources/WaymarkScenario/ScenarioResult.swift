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

    public var passed: Bool { failures.isEmpty }
}
