import WaymarkStore

/// The task list and alerts as of one engine state, formatted and indexed for reading.
///
/// Built once per change of the engine's state and then shared by every reader, so that a read
/// never waits on the engine actor and a busy ingestion never waits on readers.
public struct BoardSnapshot: Sendable {
    /// Increases with every change of the engine's state; response caches key on it.
    public var version: Int
    /// The date the list is as of (`YYYY-MM-DD`).
    public var asOf: String
    /// Every task, in the spec's order (due, case, key, id).
    public var tasks: [TaskRow]
    /// Every alert, in the spec's order (time, case, rule, id).
    public var alerts: [AlertRow]
    /// Cases with an enrolment that has not closed: their alerts are the "open" ones on the board.
    public var openCases: Set<String>
    /// Tasks by role, each list in the spec's order.
    public var tasksByRole: [String: [TaskRow]]
    /// Tasks by case, each list in the spec's order.
    public var tasksByCase: [String: [TaskRow]]

    public init(version: Int, asOf: String, tasks: [TaskRow], alerts: [AlertRow], openCases: Set<String>) {
        self.version = version
        self.asOf = asOf
        self.tasks = tasks
        self.alerts = alerts
        self.openCases = openCases
        var byRole: [String: [TaskRow]] = [:]
        var byCase: [String: [TaskRow]] = [:]
        for task in tasks {
            byRole[task.role, default: []].append(task)
            byCase[task.caseID, default: []].append(task)
        }
        self.tasksByRole = byRole
        self.tasksByCase = byCase
    }

    /// The roles that have at least one task, sorted.
    public var roles: [String] { tasksByRole.keys.sorted() }

    /// The tasks a query selects, in the spec's order; uses the role or case index when it can.
    public func tasks(matching query: TaskQuery) -> [TaskRow] {
        let base: [TaskRow]
        if let role = query.role {
            base = tasksByRole[role] ?? []
        } else if let caseID = query.caseID {
            base = tasksByCase[caseID] ?? []
        } else {
            base = tasks
        }
        if query.caseID == nil && query.status == nil && query.dueBefore == nil { return base }
        return base.filter { task in
            if let caseID = query.caseID, task.caseID != caseID { return false }
            if let status = query.status, !Self.status(task.status, matches: status) { return false }
            if let dueBefore = query.dueBefore, !(task.due < dueBefore) { return false }
            return true
        }
    }

    /// `status=open` on the API means "still to do", which includes overdue tasks, as `--open` does.
    /// A list such as `status=open,done` selects either.
    static func status(_ status: String, matches filter: String) -> Bool {
        filter.split(separator: ",").contains { wanted in
            wanted == status || (wanted == "open" && status == "overdue")
        }
    }

    /// Changes needed to bring the projection tables from `old` to `self`.
    public func projectionChange(from old: BoardSnapshot?) -> ProjectionChange {
        guard let old else {
            return ProjectionChange(upsertTasks: tasks, upsertAlerts: alerts, replacesAll: true)
        }
        var change = ProjectionChange()
        let oldTasks = Dictionary(old.tasks.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var seen = Set<String>()
        for task in tasks {
            seen.insert(task.id)
            if oldTasks[task.id] != task { change.upsertTasks.append(task) }
        }
        change.deleteTaskIDs = old.tasks.map(\.id).filter { !seen.contains($0) }
        let oldAlerts = Dictionary(old.alerts.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var seenAlerts = Set<String>()
        for alert in alerts {
            seenAlerts.insert(alert.id)
            if oldAlerts[alert.id] != alert { change.upsertAlerts.append(alert) }
        }
        change.deleteAlertIDs = old.alerts.map(\.id).filter { !seenAlerts.contains($0) }
        return change
    }
}
