import Foundation
import Testing
import WaymarkFEEL
import WaymarkScenario

@Suite struct ScenarioParserTests {
    static let specExample = """
        scenario: a re-referral inside 12 months raises an alert
        events:
          - { case: C1, type: referral.received, at: 2024-03-04, facts: { child: { birth_date: 2013-05-01 } } }
          - { case: C1, type: referral.decided, at: 2024-03-05, data: { decision: accept } }
          - { case: C1, type: case.closed, at: 2024-06-28 }
          - { id: mine, case: C1, type: referral.received, at: "2025-01-06T10:15:00Z", facts: { school: { attendance: 0.85, excluded: false, note: "0.5" } } }
        as_of: 2025-01-20
        expect:
          alerts:
            - { case: C1, rule: re-referral-within-12-months }
          tasks:
            - { case: C1, key: decide-referral, due: 2024-03-05, status: done }
            - { case: C1, key: decide-referral, due: 2025-01-07, status: overdue, done: ~ }
          no_alerts:
            - { case: C1, rule: persistent-absence }
        """

    @Test func readsTheSpecsExample() throws {
        let scenarios = try ScenarioParser.parse(Self.specExample, file: "example.yaml")
        #expect(scenarios.count == 1)
        let scenario = scenarios[0]
        #expect(scenario.name == "a re-referral inside 12 months raises an alert")
        #expect(scenario.events.map(\.id) == ["e-1", "e-2", "e-3", "mine"])
        #expect(
            scenario.events.map(\.type) == [
                "referral.received", "referral.decided", "case.closed", "referral.received",
            ])
        #expect(scenario.events[3].at == "2025-01-06T10:15:00Z")
        #expect(scenario.events[1].location.line == 4)
        #expect(scenario.asOf == FEELDate(year: 2025, month: 1, day: 20))
        #expect(scenario.expectations.map(\.kind) == [.alerts, .tasks, .tasks, .noAlerts])
        let overdue = scenario.expectations[2]
        #expect(overdue.fields.map(\.name) == ["case", "key", "due", "status", "done"])
        #expect(overdue.fields.last?.value == nil)
        #expect(overdue.location.line == 13)
    }

    @Test func typesFactsAsJSONWouldCarryThem() throws {
        let event = try ScenarioParser.parse(Self.specExample)[0].events[3]
        guard case .context(let school)? = event.facts?["school"] else {
            Issue.record("no school facts")
            return
        }
        guard case .number(let attendance)? = school["attendance"] else {
            Issue.record("attendance is not a number")
            return
        }
        #expect(attendance == Decimal(string: "0.85"))
        guard case .boolean(false)? = school["excluded"] else {
            Issue.record("excluded is not false")
            return
        }
        guard case .string("0.5")? = school["note"] else {
            Issue.record("a quoted number must stay a string")
            return
        }
        let first = try ScenarioParser.parse(Self.specExample)[0].events[0]
        guard case .context(let child)? = first.facts?["child"], case .string("2013-05-01")? = child["birth_date"]
        else {
            Issue.record("a date in facts must stay a string")
            return
        }
    }

    @Test func readsAListOfScenarios() throws {
        let text = """
            - scenario: one
              events: [ { case: C1, type: x, at: 2024-01-01 } ]
            - scenario: two
              events: [ { case: C2, type: y, at: 2024-01-02 }, { case: C2, type: y, at: 2024-01-03 } ]
            """
        let scenarios = try ScenarioParser.parse(text)
        #expect(scenarios.map(\.name) == ["one", "two"])
        #expect(scenarios[1].events.map(\.id) == ["e-1", "e-2"])
    }

    @Test(arguments: [
        ("scenario: x\nevents: []\nexpect:\n  no_alert: []\n", 4, 3, "unknown key `no_alert`"),
        ("scenario: x\nevents:\n  - { case: C1, type: t, at: 2024-02-30 }\n", 3, 30, "`at` must be an ISO 8601"),
        ("scenario: x\nevents:\n  - { case: C1, at: 2024-02-03 }\n", 3, 5, "needs `type:`"),
        (
            "scenario: x\nevents: []\nexpect:\n  tasks:\n    - { case: C1, statsu: done }\n", 5, 19,
            "unknown key `statsu`"
        ),
        ("scenario: x\nevents: []\nas_of: soon\n", 3, 8, "`as_of` must be a date"),
        ("events: []\n", 1, 1, "needs `scenario:`"),
        (
            "scenario: x\nevents:\n  - { case: C1, type: t, at: 2024-01-01 }\n  - { id: e-1, case: C1, type: t, at: 2024-01-02 }\n",
            4, 11, "also the number given to event 1"
        ),
        ("scenario: [x\n", 2, 1, "flow sequence"),
    ])
    func reportsProblemsWithTheirPosition(text: String, line: Int, column: Int, message: String) {
        do {
            _ = try ScenarioParser.parse(text, file: "bad.yaml")
            Issue.record("expected an error for \(text)")
        } catch {
            #expect(error.location.file == "bad.yaml")
            #expect(error.location.line == line)
            #expect(error.location.column == column)
            #expect(error.message.contains(message), "\(error.message)")
        }
    }
}
