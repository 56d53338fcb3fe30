import WaymarkEngine
import WaymarkFEEL
import WaymarkModel

/// Definitions built in Swift (no FEEL conditions), shaped like the shipped right-balance pathway.
enum Fixtures {
    static func at(_ line: Int, _ file: String = "workflows/test.yaml") -> SourceLocation {
        SourceLocation(file: file, line: line, column: 1)
    }

    static func duration(_ text: String) -> DurationSpec { DurationSpec.parse(text)! }

    static func message(_ text: String) -> MessageTemplate {
        MessageTemplate(source: text, location: at(1), parts: [.text(text)])
    }

    static let calendar = WorkingCalendar(
        id: "england-and-wales", timeZoneID: "Europe/London", workingWeekdays: [1, 2, 3, 4, 5],
        holidays: [
            .init(date: FEELDate(year: 2025, month: 12, day: 25), name: "Christmas Day"),
            .init(date: FEELDate(year: 2025, month: 12, day: 26), name: "Boxing Day"),
            .init(date: FEELDate(year: 2026, month: 1, day: 1), name: "New Year's Day"),
        ])

    static func task(
        _ key: String, role: String = "social-worker", due: String, doneOn: [String] = [], carry: Bool = false,
        repeat: String? = nil, line: Int = 10
    ) -> TaskTemplate {
        TaskTemplate(
            key: key, title: "Do \(key)", role: role, due: duration(due), doneOn: doneOn, carry: carry,
            repeat: `repeat`.map(duration), location: at(line))
    }

    static func pathway(
        id: String = "right-balance", version: Int = 1, referralTasks: [TaskTemplate]? = nil,
        fgcTasks: [TaskTemplate]? = nil, planTasks: [TaskTemplate] = []
    ) -> Pathway {
        Pathway(
            id: id, version: version, title: "Right Balance", calendar: "england-and-wales",
            enrol: .init(on: ["referral.received"], when: nil, location: at(5)), start: "referral",
            stages: [
                Stage(
                    id: "referral", title: "Referral and decision",
                    tasks: referralTasks ?? [
                        task(
                            "decide-referral", role: "duty-social-worker", due: "1 working day",
                            doneOn: ["referral.decided"], line: 12)
                    ],
                    within: duration("5 working days"),
                    onBreach: [
                        .alert(AlertTemplate(severity: .high, message: message("Referral undecided"), location: at(15)))
                    ],
                    transitions: [
                        Transition(on: ["referral.accepted"], when: nil, to: "fgc", location: at(18)),
                        Transition(on: ["referral.declined"], when: nil, to: "closed", location: at(20)),
                    ], location: at(11)),
                Stage(
                    id: "fgc", title: "Family group conference",
                    tasks: fgcTasks ?? [
                        task(
                            "arrange-fgc", role: "fgc-coordinator", due: "15 working days", doneOn: ["fgc.held"],
                            line: 25)
                    ],
                    transitions: [Transition(on: ["fgc.held"], when: nil, to: "plan", location: at(28))],
                    location: at(23)),
                Stage(id: "plan", title: "Family plan", tasks: planTasks, location: at(30)),
                Stage(id: "closed", final: true, location: at(40)),
            ],
            transitions: [Transition(on: ["case.closed"], when: nil, to: "closed", location: at(45))],
            location: at(1))
    }

    static func definitions(_ pathway: Pathway = pathway(), rules: [Rule] = []) -> Definitions {
        Definitions(
            pathways: [pathway.id: pathway],
            ruleSets: rules.isEmpty
                ? [:]
                : [
                    "escalation": RuleSet(
                        id: "escalation", calendar: "england-and-wales", rules: rules, tables: [],
                        location: at(1, "rules/escalation.yaml"))
                ],
            calendars: [calendar.id: calendar])
    }

    static func rule(
        _ id: String, on types: [String]? = nil, daily: Bool = false, pathway: String? = nil, then: [Action]
    ) -> Rule {
        Rule(
            id: id, title: nil, trigger: daily ? .daily : .events(types ?? []), pathway: pathway, when: nil, then: then,
            location: at(3, "rules/escalation.yaml"))
    }

    static func alert(_ text: String, _ severity: AlertSeverity = .high) -> Action {
        .alert(AlertTemplate(severity: severity, message: message(text), location: at(7, "rules/escalation.yaml")))
    }

    static let zone = ZoneOffsets(identifier: "Europe/London")!

    /// An event at `at` (a date, or a date-time), in London.
    static func event(_ id: String, _ caseID: String, _ type: String, _ at: String, data: FEELContext? = nil) -> Event {
        Event(id: id, caseID: caseID, type: type, at: Moment.parse(at, zone: zone)!, facts: nil, data: data)
    }

    static func date(_ text: String) -> FEELDate { FEELDate.parseISO(text)! }

    /// Runs `events` through the end of `asOf` and returns the report.
    static func run(_ definitions: Definitions, _ events: [Event], asOf: String) -> (Engine, RunReport) {
        var engine = Engine(definitions: definitions)
        engine.ingest(events)
        engine.advance(to: engine.endOfDay(date(asOf)))
        return (engine, engine.report(openOnly: false))
    }
}
