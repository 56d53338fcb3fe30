public import WaymarkFEEL
public import WaymarkModel

/// One scenario: events to apply, the date to stop at, and what the engine must (and must not) produce.
public struct Scenario: Sendable {
    /// The scenario's title, as written after `scenario:`.
    public var name: String
    public var location: SourceLocation
    public var events: [ScenarioEvent]
    /// The date to advance through (to 00:00 of the next day); nil means the last event's date.
    public var asOf: FEELDate?
    public var expectations: [Expectation]

    public init(
        name: String, location: SourceLocation, events: [ScenarioEvent], asOf: FEELDate?,
        expectations: [Expectation]
    ) {
        self.name = name
        self.location = location
        self.events = events
        self.asOf = asOf
        self.expectations = expectations
    }
}

/// An event as a scenario writes it; `at` stays text until the definitions' time zone is known.
public struct ScenarioEvent: Sendable {
    /// As written, or numbered (`e-1`, `e-2`, ... by position in the file) when omitted.
    public var id: String
    public var caseID: String
    public var type: String
    public var at: String
    public var facts: FEELContext?
    public var data: FEELContext?
    public var location: SourceLocation

    public init(
        id: String, caseID: String, type: String, at: String, facts: FEELContext?, data: FEELContext?,
        location: SourceLocation
    ) {
        self.id = id
        self.caseID = caseID
        self.type = type
        self.at = at
        self.facts = facts
        self.data = data
        self.location = location
    }
}

/// One expected (or forbidden) record: the fields it must have, each as written.
public struct Expectation: Sendable {
    /// Which list of the engine's report the expectation is about, and whether a match is wanted.
    public enum Kind: String, Sendable, CaseIterable {
        case tasks
        case alerts
        case cases
        case noTasks = "no_tasks"
        case noAlerts = "no_alerts"

        /// The report list it looks in.
        public var subject: Subject {
            switch self {
            case .tasks, .noTasks: .task
            case .alerts, .noAlerts: .alert
            case .cases: .enrolment
            }
        }

        /// Whether some record must match (or none may).
        public var wantsMatch: Bool { self == .tasks || self == .alerts || self == .cases }
    }

    /// The kind of record an expectation describes.
    public enum Subject: String, Sendable {
        case task
        case alert
        case enrolment = "case"

        /// The fields an expectation may name, in the order the report prints them.
        public var fields: [String] {
            switch self {
            case .task:
                [
                    "id", "case", "pathway", "stage", "key", "title", "role", "raised", "due", "status", "done",
                    "because",
                ]
            case .alert: ["id", "case", "rule", "severity", "at", "message", "because"]
            case .enrolment: ["case", "pathway", "version", "stage", "since", "closed"]
            }
        }
    }

    /// One `name: value` of an expectation; `value` is nil for `null` / `~`.
    public struct Field: Sendable {
        public var name: String
        public var value: String?
        public var location: SourceLocation

        public init(name: String, value: String?, location: SourceLocation) {
            self.name = name
            self.value = value
            self.location = location
        }
    }

    public var kind: Kind
    public var fields: [Field]
    public var location: SourceLocation

    public init(kind: Kind, fields: [Field], location: SourceLocation) {
        self.kind = kind
        self.fields = fields
        self.location = location
    }
}
