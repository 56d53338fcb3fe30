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

    public func run(_ scenario: Scenario) -> ScenarioResult {
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
        return ScenarioResult(scenario: scenario, failures: failures, problems: engine.problems)
    }
}
