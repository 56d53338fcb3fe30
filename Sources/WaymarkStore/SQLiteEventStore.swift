import GRDB

/// The embedded store: one SQLite file in WAL mode with `synchronous=FULL`, so that an event whose
/// append returned has reached the disk and survives a crash or a power cut.
///
/// Concurrent appends are committed together (group commit): each request is still atomic (its own
/// savepoint), but one fsync serves every request that arrived while the previous commit ran.
public final class SQLiteEventStore: EventStore {
    /// The path of the database file.
    public let path: String
    private let pool: DatabasePool
    private let committer: GroupCommitter
    private let appliedMigrations: Int
    private let writerLock: WriterLockFile?

    /// Opens (creating if needed) the database file and brings its schema up to date. With
    /// ``StoreAccess/exclusive`` (the daemon) it first takes the database's writer lock
    /// (``WriterLockFile``) and throws ``SQLiteStoreError`` if another daemon holds it; with
    /// ``StoreAccess/shared`` (tools and tests that only read) it takes none.
    public init(path: String, access: StoreAccess = .exclusive) throws {
        self.path = path
        writerLock = access == .exclusive ? try WriterLockFile(databasePath: path) : nil
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            // FULL: in WAL mode every commit syncs the log, which is what makes a 2xx durable.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        configuration.label = "waymark-store"
        // Wait rather than fail when another connection holds a lock for a moment: a daemon
        // restarted at once in one process met the previous one's connections still closing
        // ("database is locked" as it opened), and a reporting tool may be reading the file.
        configuration.busyMode = .timeout(10)
        let pool = try DatabasePool(path: path, configuration: configuration)
        let migrator = Self.migrator
        try migrator.migrate(pool)
        self.appliedMigrations = try pool.read { db in try migrator.appliedIdentifiers(db).count }
        self.pool = pool
        self.committer = GroupCommitter(pool: pool)
    }

    /// The schema, one migration per release that changed it. Never edit a shipped migration: add one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-events-and-projections") { db in
            try db.execute(
                sql: """
                    CREATE TABLE events (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        id TEXT NOT NULL UNIQUE,
                        case_id TEXT NOT NULL,
                        at INTEGER NOT NULL,
                        body TEXT NOT NULL
                    );
                    CREATE INDEX events_case ON events(case_id);
                    CREATE TABLE tasks (
                        id TEXT PRIMARY KEY,
                        case_id TEXT NOT NULL,
                        pathway TEXT,
                        stage TEXT,
                        key TEXT NOT NULL,
                        title TEXT NOT NULL,
                        role TEXT NOT NULL,
                        raised TEXT NOT NULL,
                        due TEXT NOT NULL,
                        status TEXT NOT NULL,
                        done TEXT,
                        because TEXT NOT NULL
                    );
                    CREATE INDEX tasks_role_due ON tasks(role, due, case_id, key, id);
                    CREATE INDEX tasks_case ON tasks(case_id);
                    CREATE INDEX tasks_status_due ON tasks(status, due);
                    CREATE TABLE alerts (
                        id TEXT PRIMARY KEY,
                        case_id TEXT NOT NULL,
                        rule TEXT NOT NULL,
                        severity TEXT NOT NULL,
                        at_ns INTEGER NOT NULL,
                        at TEXT NOT NULL,
                        message TEXT NOT NULL,
                        because TEXT NOT NULL
                    );
                    CREATE INDEX alerts_at ON alerts(at_ns, case_id, rule, id);
                    CREATE INDEX alerts_case ON alerts(case_id);
                    """
            )
        }
        return migrator
    }

    public var schemaVersion: Int {
        get async throws { appliedMigrations }
    }

    public func append(_ events: [StoredEvent]) async throws -> AppendResult {
        if events.isEmpty { return AppendResult(acceptedIndexes: [], duplicates: 0) }
        return try await committer.append(events)
    }

    public func loadAll() async throws -> [StoredEvent] {
        try await pool.read { db in
            var events: [StoredEvent] = []
            let rows = try Row.fetchCursor(db, sql: "SELECT id, case_id, at, body FROM events ORDER BY seq")
            while let row = try rows.next() {
                events.append(StoredEvent(id: row[0], caseID: row[1], atNanoseconds: row[2], body: row[3]))
            }
            return events
        }
    }

    /// The journal mode and `synchronous` level of a connection, so that tests and `/healthz` can show
    /// that the durability settings really hold (SQLite ignores an unknown pragma silently).
    public func durabilitySettings() async throws -> (journalMode: String, synchronous: Int) {
        try await pool.read { db in
            let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? ""
            let level = try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1
            return (mode, level)
        }
    }

    /// Closes the file's connections now rather than whenever the last reference goes, so that a
    /// daemon started next in this process does not meet them. A close refused because an access
    /// is still running leaves the rest to deinitialisation.
    public func close() async {
        try? pool.close()
        writerLock?.release()
    }

    public func eventCount() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events") ?? 0 }
    }

    public func applyProjection(_ change: ProjectionChange) async throws {
        if change.isEmpty { return }
        try await pool.write { db in
            if change.replacesAll {
                try db.execute(sql: "DELETE FROM tasks; DELETE FROM alerts")
            }
            let deleteTask = try db.cachedStatement(sql: "DELETE FROM tasks WHERE id = ?")
            for id in change.deleteTaskIDs { try deleteTask.execute(arguments: [id]) }
            let upsertTask = try db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO tasks
                    (id, case_id, pathway, stage, key, title, role, raised, due, status, done, because)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            )
            for task in change.upsertTasks {
                try upsertTask.execute(arguments: [
                    task.id, task.caseID, task.pathway, task.stage, task.key, task.title, task.role, task.raised,
                    task.due, task.status, task.done, task.because,
                ])
            }
            let deleteAlert = try db.cachedStatement(sql: "DELETE FROM alerts WHERE id = ?")
            for id in change.deleteAlertIDs { try deleteAlert.execute(arguments: [id]) }
            let upsertAlert = try db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO alerts (id, case_id, rule, severity, at_ns, at, message, because)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """
            )
            for alert in change.upsertAlerts {
                try upsertAlert.execute(arguments: [
                    alert.id, alert.caseID, alert.rule, alert.severity, alert.atNanoseconds, alert.at, alert.message,
                    alert.because,
                ])
            }
        }
    }

    public func tasks(matching query: TaskQuery) async throws -> [TaskRow] {
        var clauses: [String] = []
        var arguments: StatementArguments = []
        if let role = query.role {
            clauses.append("role = ?")
            arguments += [role]
        }
        if let caseID = query.caseID {
            clauses.append("case_id = ?")
            arguments += [caseID]
        }
        if let status = query.status {
            clauses.append("status = ?")
            arguments += [status]
        }
        if let dueBefore = query.dueBefore {
            clauses.append("due < ?")
            arguments += [dueBefore]
        }
        let whereClause = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        let sql = """
            SELECT id, case_id, pathway, stage, key, title, role, raised, due, status, done, because
            FROM tasks \(whereClause) ORDER BY due, case_id, key, id
            """
        let bound = arguments
        return try await pool.read { db in
            try Row.fetchAll(db, sql: sql, arguments: bound).map { row in
                TaskRow(
                    id: row[0], caseID: row[1], pathway: row[2], stage: row[3], key: row[4], title: row[5],
                    role: row[6], raised: row[7], due: row[8], status: row[9], done: row[10], because: row[11]
                )
            }
        }
    }

    public func alerts(sinceNanoseconds: Int64?) async throws -> [AlertRow] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, case_id, rule, severity, at_ns, at, message, because FROM alerts
                    WHERE at_ns >= ? ORDER BY at_ns, case_id, rule, id
                    """,
                arguments: [sinceNanoseconds ?? Int64.min]
            ).map { row in
                AlertRow(
                    id: row[0], caseID: row[1], rule: row[2], severity: row[3], atNanoseconds: row[4], at: row[5],
                    message: row[6], because: row[7]
                )
            }
        }
    }
}
