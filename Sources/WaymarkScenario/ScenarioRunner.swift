import WaymarkDefinitions
import WaymarkEngine
public import WaymarkModel

/// Runs scenarios through the engine with one set of definitions.
///
/// Each scenario gets a fresh engine: its events are ingested, the clock is advanced through the end
/// of `as_of` (00:00 of the next day, as `waymark run --as-of` does) and the report is compared with
/// the expectations.
public struct ScenarioRunner: Sendable {
    public let definitions: Definitions
    private let vocabulary: ExpectationVocabulary

    public init(definitions: Definitions) {
        self.definitions = definitions
        vocabulary = ExpectationVocabulary(definitions: definitions)
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
            if let failure = vocabulary.problem(item) { failures.append(failure) }
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
        let end = asOf.map { engine.endOfDay($0) }
        if let end {
            engine.advance(to: end)
        }
        let report = engine.report(openOnly: false)
        let matcher = ExpectationMatcher(report: report)
        let cases = Set(scenario.events.map(\.caseID))
        for expectation in scenario.expectations {
            // A misspelt value would make `no_alerts` pass forever: report it instead of comparing.
            let problems = vocabulary.problems(expectation, cases: cases)
            if let failure = problems.isEmpty ? matcher.check(expectation) : nil {
                failures.append(failure)
            }
            failures.append(contentsOf: problems)
        }
        if let end, let failure = arrivalOrderFailure(scenario, events, end: end, expected: report.json()) {
            failures.append(failure)
        }
        return (ScenarioResult(scenario: scenario, failures: failures, problems: engine.problems), engine)
    }

    /// The expectations are checked against the events applied in time order. A live system sees them
    /// one by one in the order the file lists them (the arrival order), its clock moving on to each as
    /// it comes, so that an event listed after later ones arrives late and makes the engine recompute
    /// its case. The spec promises the same outcome either way; any difference is a failure, shown as
    /// the first lines of the report that differ.
    func arrivalOrderFailure(_ scenario: Scenario, _ events: [Event], end: Moment, expected: String)
        -> ScenarioResult.Failure?
    {
        var live = Engine(definitions: definitions)
        for event in events {
            live.ingest([event])
            live.advance(to: min(Moment(epochNanoseconds: event.at.epochNanoseconds + 1), end))
        }
        live.advance(to: end)
        let actual = live.report(openOnly: false).json()
        guard actual != expected else { return nil }
        var lines = [
            "\(scenario.location): the outcome depends on the order the events arrive in (the spec says it must not);",
            "    - in time order, + in the order listed, applied as they arrive:",
        ]
        lines += Self.lineDiff(expected, actual)
        return ScenarioResult.Failure(location: scenario.location, text: lines.joined(separator: "\n"))
    }

    /// The first few lines that differ between two reports, `-` expected and `+` actual, indented.
    static func lineDiff(_ expected: String, _ actual: String, limit: Int = 4) -> [String] {
        let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let got = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let differing = (0..<max(want.count, got.count)).filter { i in
            (i < want.count ? want[i] : nil) != (i < got.count ? got[i] : nil)
        }
        var lines: [String] = []
        for i in differing.prefix(limit) {
            if i < want.count { lines.append("    - " + want[i].drop { $0 == " " }) }
            if i < got.count { lines.append("    + " + got[i].drop { $0 == " " }) }
        }
        if differing.count > limit { lines.append("    ... and \(differing.count - limit) more differing lines") }
        return lines
    }
}
