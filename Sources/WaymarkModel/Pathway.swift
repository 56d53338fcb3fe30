/// A pathway: the stages a child's case moves through, with tasks, deadlines and transitions.
public struct Pathway: Sendable, Identifiable {
    public var id: String
    public var version: Int
    public var title: String
    /// The id of the calendar that `working days` count on.
    public var calendar: String
    public var enrol: Enrolment
    /// The id of the first stage.
    public var start: String
    /// Stages in file order.
    public var stages: [Stage]
    /// Pathway-wide transitions, tried in every non-final stage after the stage's own.
    public var transitions: [Transition]
    public var location: SourceLocation

    public init(
        id: String, version: Int, title: String, calendar: String, enrol: Enrolment, start: String,
        stages: [Stage], transitions: [Transition], location: SourceLocation
    ) {
        self.id = id
        self.version = version
        self.title = title
        self.calendar = calendar
        self.enrol = enrol
        self.start = start
        self.stages = stages
        self.transitions = transitions
        self.location = location
    }

    /// The stage with `id`, if there is one.
    public func stage(_ id: String) -> Stage? { stages.first { $0.id == id } }

    /// When an event opens an enrolment on this pathway.
    public struct Enrolment: Sendable {
        /// Event types that may open an enrolment.
        public var on: [String]
        /// Optional condition; null counts as false.
        public var when: Expression?
        public var location: SourceLocation

        public init(on: [String], when: Expression?, location: SourceLocation) {
            self.on = on
            self.when = when
            self.location = location
        }
    }
}

/// One stage of a pathway.
public struct Stage: Sendable, Identifiable {
    public var id: String
    public var title: String?
    public var final: Bool
    public var tasks: [TaskTemplate]
    /// Optional stage deadline, counted from entry.
    public var within: DurationSpec?
    public var onBreach: [Action]
    public var onEnter: [Action]
    public var onExit: [Action]
    public var transitions: [Transition]
    public var location: SourceLocation

    public init(
        id: String, title: String? = nil, final: Bool = false, tasks: [TaskTemplate] = [],
        within: DurationSpec? = nil, onBreach: [Action] = [], onEnter: [Action] = [], onExit: [Action] = [],
        transitions: [Transition] = [], location: SourceLocation
    ) {
        self.id = id
        self.title = title
        self.final = final
        self.tasks = tasks
        self.within = within
        self.onBreach = onBreach
        self.onEnter = onEnter
        self.onExit = onExit
        self.transitions = transitions
        self.location = location
    }
}

/// A task to raise: who must do what, by when, and what completes it.
public struct TaskTemplate: Sendable {
    public var key: String
    public var title: String
    public var role: String
    /// Counted from the moment the task is raised.
    public var due: DurationSpec
    /// The event type that completes the task.
    public var doneOn: [String]
    /// Optional condition on the completing event.
    public var doneWhen: Expression?
    /// Keeps the task open when its stage is left, until it is done or the enrolment closes.
    public var carry: Bool
    /// Raises the next occurrence, due one interval after the previous due date, when one is done.
    public var `repeat`: DurationSpec?
    public var location: SourceLocation

    public init(
        key: String, title: String, role: String, due: DurationSpec, doneOn: [String] = [],
        doneWhen: Expression? = nil, carry: Bool = false, repeat: DurationSpec? = nil, location: SourceLocation
    ) {
        self.key = key
        self.title = title
        self.role = role
        self.due = due
        self.doneOn = doneOn
        self.doneWhen = doneWhen
        self.carry = carry
        self.repeat = `repeat`
        self.location = location
    }
}

/// A move from one stage to another on an event, optionally guarded by a condition.
public struct Transition: Sendable {
    public var on: [String]
    public var when: Expression?
    public var to: String
    public var location: SourceLocation

    public init(on: [String], when: Expression?, to: String, location: SourceLocation) {
        self.on = on
        self.when = when
        self.to = to
        self.location = location
    }
}
