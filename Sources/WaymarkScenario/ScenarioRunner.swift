public import WaymarkDefinitions
public import WaymarkEngine
public import WaymarkModel

/// Runs scenarios through the engine with one set of definitions.
///
/// Each scenario gets a fresh engine: its events are ingested, the clock is advanced through the end
/// of `as_of` (00:00 of the next day, as `waymark run --as-of` does) and the report is compared with
/// the expectations.
public struct ScenarioRunner: Sendable {
    public let definitions: Definitions

    public init(definitions: Definitions) {
        self.definitions = definitions
    }

    /// Loads the definitions folder at `root`; throws its first error, positioned, if it has any.
    public init(definitionsRoot root: String) throws(ScenarioError) {
        let loaded: LoadedDefinitions
        do {
            loaded = try DefinitionsLoader(root: root).load()
        } catch {
            throw ScenarioError(error.message, at: SourceLocation(file: root, line: 0, column: 0))
        }
        if let first = loaded.diagnostics.first(where: { $0.severity == .error }) {
            throw ScenarioError(first.message, at: first.location)
        }
        self.init(definitions: loaded.definitions)
    }

    public func run(_ scenario: Scenario) -> ScenarioResult {
        execute(scenario).result
    }

    /// Runs the scenario and records what its cases exercised of the definitions.
    public func run(_ scenario: Scenario, recording coverage: inout ScenarioCoverage) -> ScenarioResult {
        let (result, engine) = execute(scenario)
        coverage.record(engine, cases: scenario.events.map(\.caseID))
        return result
    }

    /// Reads a scenario file and runs each scenario in it.
    public func run(file: String, recording coverage: inout ScenarioCoverage) -> ScenarioFileOutcome {
        let scenarios: [Scenario]
        do {
            scenarios = try ScenarioParser.parse(contentsOf: file)
        } catch {
            return ScenarioFileOutcome(file: file, results: [], error: error)
        }
        return ScenarioFileOutcome(
            file: file, results: scenarios.map { run($0, recording: &coverage) }, error: nil)
    }

    private func execute(_ scenario: Scenario) -> (result: ScenarioResult, engine: Engine) {
        var engine = Engine(definitions: definitions)
        let zone = engine.timeZone
        var events: [Event] = []
        var failures: [ScenarioResult.Failure] = []
        for item in scenario.events {
            guard let at = Moment.parse(item.at, zone: zone) else {
                failures.append(
                    ScenarioResult.Failure(
                        location: item.location, text: "\(item.location): the engine cannot read `at`: \(item.at)"))
                continue
            }
            events.append(
                Event(id: item.id, caseID: item.caseID, type: item.type, at: at, facts: item.facts, data: item.data))
        }
        engine.ingest(events)
        let asOf = scenario.asOf ?? events.map(\.at).max().map { zone.date(of: $0) }
        if let asOf {
            engine.advance(to: engine.endOfDay(asOf))
        }
        let report = engine.report(openOnly: false)
        let matcher = ExpectationMatcher(report: report)
        failures.append(contentsOf: scenario.expectations.compactMap { matcher.check($0) })
        return (ScenarioResult(scenario: scenario, failures: failures, problems: engine.problems), engine)
    }
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
