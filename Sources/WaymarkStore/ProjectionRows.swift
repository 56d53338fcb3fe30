/// One task as the projection table holds it: already formatted, so that a query never needs the
/// engine and a later PostgreSQL store can serve other daemons' readers from the same rows.
public struct TaskRow: Sendable, Hashable {
    public var id: String
    public var caseID: String
    public var pathway: String?
    public var stage: String?
    public var key: String
    public var title: String
    public var role: String
    /// ISO 8601 date-time with offset, as the spec prints it.
    public var raised: String
    /// `YYYY-MM-DD`.
    public var due: String
    /// `open`, `overdue`, `done` or `cancelled`.
    public var status: String
    /// ISO 8601 date-time with offset, or nil while not done.
    public var done: String?
    public var because: String

    public init(
        id: String, caseID: String, pathway: String?, stage: String?, key: String, title: String, role: String,
        raised: String, due: String, status: String, done: String?, because: String
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

/// One alert as the projection table holds it.
public struct AlertRow: Sendable, Hashable {
    public var id: String
    public var caseID: String
    public var rule: String
    public var severity: String
    /// The alert's moment in nanoseconds since the epoch, for `?since=` queries.
    public var atNanoseconds: Int64
    /// The same moment printed as the spec prints it.
    public var at: String
    public var message: String
    public var because: String

    public init(
        id: String, caseID: String, rule: String, severity: String, atNanoseconds: Int64, at: String,
        message: String, because: String
    ) {
        self.id = id
        self.caseID = caseID
        self.rule = rule
        self.severity = severity
        self.atNanoseconds = atNanoseconds
        self.at = at
        self.message = message
        self.because = because
    }
}

/// The rows that changed between two reports: upserted by id, or deleted by id.
public struct ProjectionChange: Sendable, Hashable {
    public var upsertTasks: [TaskRow]
    public var deleteTaskIDs: [String]
    public var upsertAlerts: [AlertRow]
    public var deleteAlertIDs: [String]
    /// Empty both tables first: the first publication after start-up, when rows left by an earlier
    /// run (with other definitions, say) must not survive.
    public var replacesAll: Bool

    public init(
        upsertTasks: [TaskRow] = [], deleteTaskIDs: [String] = [], upsertAlerts: [AlertRow] = [],
        deleteAlertIDs: [String] = [], replacesAll: Bool = false
    ) {
        self.replacesAll = replacesAll
        self.upsertTasks = upsertTasks
        self.deleteTaskIDs = deleteTaskIDs
        self.upsertAlerts = upsertAlerts
        self.deleteAlertIDs = deleteAlertIDs
    }

    /// True when nothing changed, so that no transaction is needed.
    public var isEmpty: Bool {
        !replacesAll && upsertTasks.isEmpty && deleteTaskIDs.isEmpty && upsertAlerts.isEmpty
            && deleteAlertIDs.isEmpty
    }
}

/// Filters of `GET /v1/tasks`; nil means "any".
public struct TaskQuery: Sendable, Hashable {
    public var role: String?
    public var caseID: String?
    public var status: String?
    /// Only tasks due strictly before this `YYYY-MM-DD` date.
    public var dueBefore: String?

    public init(role: String? = nil, caseID: String? = nil, status: String? = nil, dueBefore: String? = nil) {
        self.role = role
        self.caseID = caseID
        self.status = status
        self.dueBefore = dueBefore
    }
}
