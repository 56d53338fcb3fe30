public import WaymarkFEEL
public import WaymarkModel

/// Where a task stands.
public enum TaskStatus: String, Sendable, Hashable {
    case open, overdue, done, cancelled

    /// Open or overdue: what `--open` lists.
    public var isOpen: Bool { self == .open || self == .overdue }
}

/// One task as the task list shows it: who must do what, by when, and why.
public struct TaskRecord: Sendable, Hashable {
    /// `CASE/PATHWAY/STAGE/KEY/N` for a stage's task, `CASE/RULE/KEY/N` for a rule's.
    public var id: String
    public var caseID: String
    public var pathway: String?
    public var stage: String?
    public var key: String
    public var title: String
    public var role: String
    public var raised: Moment
    public var due: FEELDate
    public var status: TaskStatus
    public var done: Moment?
    public var because: String

    public init(
        id: String, caseID: String, pathway: String?, stage: String?, key: String, title: String, role: String,
        raised: Moment, due: FEELDate, status: TaskStatus, done: Moment?, because: String
    ) {
        self.id = id
        self.caseID = caseID
        self.pathway = pathway
        self.stage = stage
        self.key = key
        self.title = title
        self.role = role
        self.raised = raised
        self.due = due
        self.status = status
        self.done = done
        self.because = because
    }
}

/// One alert: what a manager must know now.
public struct AlertRecord: Sendable, Hashable {
    /// `CASE/RULE/EVENT` (the rule, or `PATHWAY:STAGE:HOOK`, and the event or day that raised it).
    public var id: String
    public var caseID: String
    /// The rule id, or `PATHWAY:STAGE:HOOK` for an alert from a pathway action.
    public var rule: String
    public var severity: AlertSeverity
    public var at: Moment
    public var message: String
    public var because: String

    public init(
        id: String, caseID: String, rule: String, severity: AlertSeverity, at: Moment, message: String,
        because: String
    ) {
        self.id = id
        self.caseID = caseID
        self.rule = rule
        self.severity = severity
        self.at = at
        self.message = message
        self.because = because
    }
}

/// One enrolment of a case on a pathway, open or closed.
public struct EnrolmentRecord: Sendable, Hashable {
    public var caseID: String
    public var pathway: String
    public var version: Int
    /// The current stage (the final one once closed).
    public var stage: String
    /// When the case entered `stage`.
    public var since: Moment
    public var closed: Moment?

    public init(caseID: String, pathway: String, version: Int, stage: String, since: Moment, closed: Moment?) {
        self.caseID = caseID
        self.pathway = pathway
        self.version = version
        self.stage = stage
        self.since = since
        self.closed = closed
    }
}

/// One entry of a case's history: an input event or one the engine emitted, with its explanation.
public struct HistoryRecord: Sendable {
    public var id: String
    public var type: String
    public var at: Moment
    /// True for an input event, false for one the engine emitted.
    public var input: Bool
    public var data: FEELContext?
    /// For an emitted event: what caused it, in words.
    public var because: String?

    public init(id: String, type: String, at: Moment, input: Bool, data: FEELContext?, because: String?) {
        self.id = id
        self.type = type
        self.at = at
        self.input = input
        self.data = data
        self.because = because
    }
}

/// One case in detail (the daemon's `GET /v1/cases/{id}`).
public struct CaseDetail: Sendable {
    public var caseID: String
    public var facts: FEELContext
    public var opened: Moment?
    public var enrolments: [EnrolmentRecord]
    public var tasks: [TaskRecord]
    public var alerts: [AlertRecord]
    public var history: [HistoryRecord]
    /// Problems met while handling this case (a cascade stopped, say), in words.
    public var problems: [String]

    public init(
        caseID: String, facts: FEELContext, opened: Moment?, enrolments: [EnrolmentRecord], tasks: [TaskRecord],
        alerts: [AlertRecord], history: [HistoryRecord], problems: [String]
    ) {
        self.caseID = caseID
        self.facts = facts
        self.opened = opened
        self.enrolments = enrolments
        self.tasks = tasks
        self.alerts = alerts
        self.history = history
        self.problems = problems
    }
}

/// What `ingest` did with a batch.
public struct IngestResult: Sendable, Hashable {
    public var accepted: Int
    public var duplicates: Int
    /// Cases recomputed because an event arrived earlier than what they had applied.
    public var recomputed: Int

    public init(accepted: Int = 0, duplicates: Int = 0, recomputed: Int = 0) {
        self.accepted = accepted
        self.duplicates = duplicates
        self.recomputed = recomputed
    }
}
