import Foundation
import Logging
import NIOSSL
import PostgresNIO

/// The store for a service that has outgrown one machine: the event log and the projections in a
/// PostgreSQL database, reached with postgres-nio's connection pool.
///
/// The same tables as the SQLite store, so that reporting tools read either alike. Durability is
/// the server's: every connection asks for `synchronous_commit = on` when it starts, so an append
/// that returned is in the server's write-ahead log on disk whatever the server's default.
///
/// One daemon writes a database at a time. The daemon's engine is rebuilt from the events at
/// start-up and rewrites the projections as it goes; a second daemon on the same database would
/// not see the first one's events and would overwrite its task list. So the store, opened
/// ``Access/exclusive``, holds a session advisory lock for its lifetime and refuses to open while
/// another holds it. The server lets go of the lock when the holder's connection ends, including
/// when its process is killed.
public final class PostgresEventStore: EventStore {
    /// Whether this store must be the database's only writer.
    public typealias Access = StoreAccess

    /// Where the store is, with its password hidden.
    public let location: String
    private let client: PostgresClient
    private let runner: Task<Void, Never>
    private let lockHolder: Task<Void, Never>?
    private let appliedMigrations: Int
    private let logger: Logger

    /// The advisory lock key that marks a database's writer (any fixed 64-bit number: "waymark\0").
    static let writerLockKey: Int64 = 0x7761_796d_6172_6b00

    /// Connects, brings the schema up to date and, for ``Access/exclusive``, takes the writer lock.
    ///
    /// Fails with ``PostgresStoreError`` naming the server (never its password) when it cannot be
    /// reached, refuses the login, or is another daemon's.
    public static func open(
        url: String, access: Access = .exclusive, environment: [String: String] = ProcessInfo.processInfo.environment,
        logger: Logger = Logger(label: "waymark.store.postgres")
    ) async throws -> PostgresEventStore {
        // postgres-nio logs every message from the server at trace level, rows of events included:
        // the store's logging stops at debug whatever the daemon's level, so that no child's data
        // reaches a log.
        var logger = logger
        if logger.logLevel < .debug { logger.logLevel = .debug }
        let parsed = try PostgresStoreURL(url, environment: environment)
        var configuration = PostgresClient.Configuration(
            host: parsed.host, port: parsed.port, username: parsed.username, password: parsed.password,
            database: parsed.database,
            tls: parsed.tls == .disable ? .disable : .require(.makeClientConfiguration())
        )
        configuration.options.connectTimeout = .seconds(10)
        configuration.options.additionalStartupParameters = [
            ("synchronous_commit", "on"), ("application_name", "waymark"),
        ]
        // One connection on its own first: a server that is down, a wrong password or a missing
        // database fails here at once with the server's own words, where the pool would keep
        // retrying in the background and leave the first query waiting.
        do {
            let probe = try await PostgresConnection.connect(
                configuration: PostgresConnection.Configuration(
                    host: parsed.host, port: parsed.port, username: parsed.username, password: parsed.password,
                    database: parsed.database,
                    tls: parsed.tls == .disable
                        ? .disable : .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
                ),
                id: 0, logger: logger)
            try await probe.close()
        } catch {
            throw PostgresStoreError(location: parsed.redacted, underlying: error)
        }
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        // The pool runs in a task of its own for the store's lifetime. Its first step marks it
        // running, synchronously; waiting for the task to begin keeps the first lease from coming
        // before that (which works, but logs a warning).
        let (begun, begin) = AsyncStream.makeStream(of: Void.self)
        let runner = Task {
            begin.finish()
            await client.run()
        }
        for await _ in begun {}
        await Task.yield()
        do {
            let applied = try await Self.migrate(client, logger: logger)
            let holder = access == .exclusive ? try await Self.takeWriterLock(client, logger: logger) : nil
            return PostgresEventStore(
                location: parsed.redacted, client: client, runner: runner, lockHolder: holder,
                appliedMigrations: applied, logger: logger)
        } catch let error as PostgresStoreError {
            runner.cancel()
            throw error
        } catch {
            runner.cancel()
            throw PostgresStoreError(location: parsed.redacted, underlying: error)
        }
    }

    private init(
        location: String, client: PostgresClient, runner: Task<Void, Never>, lockHolder: Task<Void, Never>?,
        appliedMigrations: Int, logger: Logger
    ) {
        self.location = location
        self.client = client
        self.runner = runner
        self.lockHolder = lockHolder
        self.appliedMigrations = appliedMigrations
        self.logger = logger
    }

    deinit {
        lockHolder?.cancel()
        runner.cancel()
    }

    /// Closes the pool's connections (letting go of the writer lock). The store is unusable after.
    public func close() async {
        lockHolder?.cancel()
        _ = await lockHolder?.value
        runner.cancel()
        _ = await runner.value
    }

    // MARK: Schema

    /// The schema, one migration per release that changed it. Never edit a shipped migration: add one.
    ///
    /// Text that the API sorts on is `COLLATE "C"`, so that rows come back in the order of their
    /// bytes, as the engine and the SQLite store order them, whatever the database's locale.
    static let migrations: [(id: String, sql: [String])] = [
        (
            "v1-events-and-projections",
            [
                """
                CREATE TABLE events (
                    seq BIGSERIAL PRIMARY KEY,
                    id TEXT COLLATE "C" NOT NULL UNIQUE,
                    case_id TEXT COLLATE "C" NOT NULL,
                    at BIGINT NOT NULL,
                    body TEXT NOT NULL
                )
                """,
                "CREATE INDEX events_case ON events(case_id)",
                """
                CREATE TABLE tasks (
                    id TEXT COLLATE "C" PRIMARY KEY,
                    case_id TEXT COLLATE "C" NOT NULL,
                    pathway TEXT,
                    stage TEXT,
                    key TEXT COLLATE "C" NOT NULL,
                    title TEXT NOT NULL,
                    role TEXT COLLATE "C" NOT NULL,
                    raised TEXT NOT NULL,
                    due TEXT COLLATE "C" NOT NULL,
                    status TEXT COLLATE "C" NOT NULL,
                    done TEXT,
                    because TEXT NOT NULL
                )
                """,
                "CREATE INDEX tasks_role_due ON tasks(role, due, case_id, key, id)",
                "CREATE INDEX tasks_case ON tasks(case_id)",
                "CREATE INDEX tasks_status_due ON tasks(status, due)",
                """
                CREATE TABLE alerts (
                    id TEXT COLLATE "C" PRIMARY KEY,
                    case_id TEXT COLLATE "C" NOT NULL,
                    rule TEXT COLLATE "C" NOT NULL,
                    severity TEXT NOT NULL,
                    at_ns BIGINT NOT NULL,
                    at TEXT NOT NULL,
                    message TEXT NOT NULL,
                    because TEXT NOT NULL
                )
                """,
                "CREATE INDEX alerts_at ON alerts(at_ns, case_id, rule, id)",
                "CREATE INDEX alerts_case ON alerts(case_id)",
            ]
        )
    ]

    /// Applies the migrations not yet applied, each in its own transaction, under a transaction-level
    /// advisory lock so that two processes starting at once do not both apply one. Returns how many
    /// are applied in all.
    static func migrate(_ client: PostgresClient, logger: Logger) async throws -> Int {
        try await client.withTransaction(logger: logger) { connection in
            // A lock of its own (the writer's key + 1): the writer lock may already be held by a
            // running daemon while a tool migrates, and the two must not wait on each other.
            try await connection.query("SELECT pg_advisory_xact_lock(\(writerLockKey + 1))", logger: logger)
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS waymark_migrations (
                    identifier TEXT PRIMARY KEY,
                    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
                )
                """,
                logger: logger)
            var applied: Set<String> = []
            for try await id in try await connection.query(
                "SELECT identifier FROM waymark_migrations", logger: logger
            ).decode(String.self) {
                applied.insert(id)
            }
            for migration in migrations where !applied.contains(migration.id) {
                for statement in migration.sql {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO waymark_migrations (identifier) VALUES (\(migration.id))", logger: logger)
                applied.insert(migration.id)
            }
            return applied.count
        }
    }

    /// Leases one connection for the store's lifetime and takes the writer lock on it; throws if
    /// another session holds it. The returned task holds the connection until it is cancelled.
    ///
    /// The lock lives exactly as long as its connection, so the task looks at the connection every
    /// few seconds (`lockCheckInterval`). If the server or the network dropped it, the lock is
    /// gone: the task leases a new connection and takes the lock again, logging that it did, or
    /// logs a critical error if another daemon took it in between (nothing stops that daemon
    /// then: the operator must stop one of the two).
    static func takeWriterLock(_ client: PostgresClient, logger: Logger) async throws -> Task<Void, Never> {
        let (outcome, report) = AsyncStream.makeStream(of: Result<Bool, any Error>.self)
        let holder = Task {
            var reported = false
            while !Task.isCancelled {
                do {
                    let held = try await client.withConnection { connection in
                        let rows = try await connection.query(
                            "SELECT pg_try_advisory_lock(\(writerLockKey))", logger: logger)
                        var taken = false
                        for try await value in rows.decode(Bool.self) { taken = value }
                        if !reported {
                            reported = true
                            report.yield(.success(taken))
                            report.finish()
                        } else if taken {
                            logger.warning("took the PostgreSQL writer lock again after its connection was lost")
                        } else {
                            logger.critical(
                                "another waymark daemon took the PostgreSQL writer lock while its connection was lost; stop one of the two"
                            )
                        }
                        guard taken else { return false }
                        while !Task.isCancelled {
                            try? await Task.sleep(for: lockCheckInterval)
                            guard !Task.isCancelled else { break }
                            // Once the connection is gone, so is the lock. Asked first: a query
                            // on a connection the server had closed never returned (postgres-nio
                            // 1.33), where the flag is set as the socket closes.
                            if connection.isClosed {
                                throw PostgresStoreError(message: "the writer lock's connection closed")
                            }
                            try await connection.query("SELECT 1", logger: logger)
                        }
                        _ = try? await connection.query("SELECT pg_advisory_unlock(\(writerLockKey))", logger: logger)
                        return true
                    }
                    if !held { return }
                } catch {
                    guard reported else {
                        report.yield(.failure(error))
                        report.finish()
                        return
                    }
                    logger.error("lost the PostgreSQL connection holding the writer lock; taking it again")
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        }
        var result: Result<Bool, any Error> = .success(false)
        for await value in outcome { result = value }
        guard try result.get() else {
            holder.cancel()
            throw PostgresStoreError.anotherWriter
        }
        return holder
    }

    /// How often the writer lock's connection is looked at (see ``takeWriterLock(_:logger:)``).
    static let lockCheckInterval = Duration.seconds(2)

    // MARK: EventStore

    public var schemaVersion: Int {
        get async throws { appliedMigrations }
    }

    /// One statement for the whole request, so it is atomic without a transaction of its own:
    /// `ON CONFLICT DO NOTHING` sets aside ids already stored (also by a concurrent request), and
    /// `RETURNING` says which went in. Repeats within the request are set aside before sending.
    public func append(_ events: [StoredEvent]) async throws -> AppendResult {
        if events.isEmpty { return AppendResult(acceptedIndexes: [], duplicates: 0) }
        var firstIndex: [String: Int] = [:]
        var batch: [Int] = []
        for (i, event) in events.enumerated() where firstIndex[event.id] == nil {
            firstIndex[event.id] = i
            batch.append(i)
        }
        let ids = batch.map { events[$0].id }
        let cases = batch.map { events[$0].caseID }
        let moments = batch.map { events[$0].atNanoseconds }
        let bodies = batch.map { events[$0].body }
        let rows = try await client.query(
            """
            INSERT INTO events (id, case_id, at, body)
            SELECT * FROM unnest(\(ids)::text[], \(cases)::text[], \(moments)::int8[], \(bodies)::text[])
            ON CONFLICT (id) DO NOTHING
            RETURNING id
            """,
            logger: logger)
        var accepted: [Int] = []
        for try await id in rows.decode(String.self) {
            if let i = firstIndex[id] { accepted.append(i) }
        }
        accepted.sort()
        return AppendResult(acceptedIndexes: accepted, duplicates: events.count - accepted.count)
    }

    public func loadAll() async throws -> [StoredEvent] {
        var events: [StoredEvent] = []
        let rows = try await client.query("SELECT id, case_id, at, body FROM events ORDER BY seq", logger: logger)
        for try await (id, caseID, at, body) in rows.decode((String, String, Int64, String).self) {
            events.append(StoredEvent(id: id, caseID: caseID, atNanoseconds: at, body: body))
        }
        return events
    }

    public func eventCount() async throws -> Int {
        var count = 0
        for try await n in try await client.query("SELECT count(*) FROM events", logger: logger).decode(Int64.self) {
            count = Int(n)
        }
        return count
    }

    /// The change in one transaction; the rows go as one JSON document per table, which the server
    /// turns into rows (`json_populate_recordset`), rather than one statement per row: the first
    /// publication after start-up writes every task of every case.
    public func applyProjection(_ change: ProjectionChange) async throws {
        if change.isEmpty { return }
        let encoder = JSONEncoder()
        // `ON CONFLICT DO UPDATE` refuses a statement that names one row twice, where SQLite's
        // `INSERT OR REPLACE` keeps the last: the last of each id is kept here too.
        let tasks = String(
            decoding: try encoder.encode(Self.lastOfEachID(change.upsertTasks, \.id).map(TaskJSON.init)),
            as: UTF8.self)
        let alerts = String(
            decoding: try encoder.encode(Self.lastOfEachID(change.upsertAlerts, \.id).map(AlertJSON.init)),
            as: UTF8.self)
        try await client.withTransaction(logger: logger) { connection in
            if change.replacesAll {
                try await connection.query("DELETE FROM tasks", logger: logger)
                try await connection.query("DELETE FROM alerts", logger: logger)
            }
            if !change.deleteTaskIDs.isEmpty {
                try await connection.query(
                    "DELETE FROM tasks WHERE id = ANY(\(change.deleteTaskIDs)::text[])", logger: logger)
            }
            if !change.upsertTasks.isEmpty {
                try await connection.query(
                    """
                    INSERT INTO tasks (id, case_id, pathway, stage, key, title, role, raised, due, status, done, because)
                    SELECT id, case_id, pathway, stage, key, title, role, raised, due, status, done, because
                    FROM json_populate_recordset(NULL::tasks, \(tasks)::json)
                    ON CONFLICT (id) DO UPDATE SET
                        case_id = EXCLUDED.case_id, pathway = EXCLUDED.pathway, stage = EXCLUDED.stage,
                        key = EXCLUDED.key, title = EXCLUDED.title, role = EXCLUDED.role,
                        raised = EXCLUDED.raised, due = EXCLUDED.due, status = EXCLUDED.status,
                        done = EXCLUDED.done, because = EXCLUDED.because
                    """,
                    logger: logger)
            }
            if !change.deleteAlertIDs.isEmpty {
                try await connection.query(
                    "DELETE FROM alerts WHERE id = ANY(\(change.deleteAlertIDs)::text[])", logger: logger)
            }
            if !change.upsertAlerts.isEmpty {
                try await connection.query(
                    """
                    INSERT INTO alerts (id, case_id, rule, severity, at_ns, at, message, because)
                    SELECT id, case_id, rule, severity, at_ns, at, message, because
                    FROM json_populate_recordset(NULL::alerts, \(alerts)::json)
                    ON CONFLICT (id) DO UPDATE SET
                        case_id = EXCLUDED.case_id, rule = EXCLUDED.rule, severity = EXCLUDED.severity,
                        at_ns = EXCLUDED.at_ns, at = EXCLUDED.at, message = EXCLUDED.message,
                        because = EXCLUDED.because
                    """,
                    logger: logger)
            }
        }
    }

    /// `rows` without the earlier rows of an id that comes again, in their order.
    static func lastOfEachID<Row>(_ rows: [Row], _ id: (Row) -> String) -> [Row] {
        var last: [String: Int] = [:]
        for (i, row) in rows.enumerated() { last[id(row)] = i }
        guard last.count < rows.count else { return rows }
        return rows.indices.filter { last[id(rows[$0])] == $0 }.map { rows[$0] }
    }

    public func tasks(matching query: TaskQuery) async throws -> [TaskRow] {
        var clauses: [String] = []
        var binds = PostgresBindings()
        for (column, value) in [("role", query.role), ("case_id", query.caseID), ("status", query.status)] {
            guard let value else { continue }
            binds.append(value)
            clauses.append("\(column) = $\(binds.count)")
        }
        if let dueBefore = query.dueBefore {
            binds.append(dueBefore)
            clauses.append("due < $\(binds.count)")
        }
        let whereClause = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        let sql = """
            SELECT id, case_id, pathway, stage, key, title, role, raised, due, status, done, because
            FROM tasks \(whereClause) ORDER BY due, case_id, key, id
            """
        var result: [TaskRow] = []
        let rows = try await client.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        for try await row in rows {
            let r = row.makeRandomAccess()
            result.append(
                TaskRow(
                    id: try r[0].decode(String.self), caseID: try r[1].decode(String.self),
                    pathway: try r[2].decode(String?.self), stage: try r[3].decode(String?.self),
                    key: try r[4].decode(String.self), title: try r[5].decode(String.self),
                    role: try r[6].decode(String.self), raised: try r[7].decode(String.self),
                    due: try r[8].decode(String.self), status: try r[9].decode(String.self),
                    done: try r[10].decode(String?.self), because: try r[11].decode(String.self)))
        }
        return result
    }

    public func alerts(sinceNanoseconds: Int64?) async throws -> [AlertRow] {
        let since = sinceNanoseconds ?? Int64.min
        let rows = try await client.query(
            """
            SELECT id, case_id, rule, severity, at_ns, at, message, because FROM alerts
            WHERE at_ns >= \(since) ORDER BY at_ns, case_id, rule, id
            """,
            logger: logger)
        var result: [AlertRow] = []
        for try await (id, caseID, rule, severity, atNanoseconds, at, message, because) in rows.decode(
            (String, String, String, String, Int64, String, String, String).self)
        {
            result.append(
                AlertRow(
                    id: id, caseID: caseID, rule: rule, severity: severity, atNanoseconds: atNanoseconds, at: at,
                    message: message, because: because))
        }
        return result
    }

    /// The server's `synchronous_commit` as this store's connections see it (`on` unless something
    /// overrode the start-up parameter), so that tests can show the durability setting holds.
    public func synchronousCommit() async throws -> String {
        var value = ""
        for try await v in try await client.query("SHOW synchronous_commit", logger: logger).decode(String.self) {
            value = v
        }
        return value
    }
}

/// A task row as `json_populate_recordset` reads it: the columns' names.
private struct TaskJSON: Encodable {
    var id, case_id: String
    var pathway, stage: String?
    var key, title, role, raised, due, status: String
    var done: String?
    var because: String

    init(_ t: TaskRow) {
        (id, case_id, pathway, stage, key, title, role) = (t.id, t.caseID, t.pathway, t.stage, t.key, t.title, t.role)
        (raised, due, status, done, because) = (t.raised, t.due, t.status, t.done, t.because)
    }
}

/// An alert row as `json_populate_recordset` reads it.
private struct AlertJSON: Encodable {
    var id, case_id, rule, severity: String
    var at_ns: Int64
    var at, message, because: String

    init(_ a: AlertRow) {
        (id, case_id, rule, severity, at_ns) = (a.id, a.caseID, a.rule, a.severity, a.atNanoseconds)
        (at, message, because) = (a.at, a.message, a.because)
    }
}

/// The PostgreSQL store could not be opened or used: the server (password hidden) and what went wrong.
public struct PostgresStoreError: Error, Sendable, CustomStringConvertible {
    public var message: String

    init(message: String) { self.message = message }

    /// postgres-nio keeps a server's words out of `description` (they may quote data); these
    /// errors come from connecting and migrating, which quote none, so the server's message is
    /// shown: "password authentication failed for user ..." is what an operator needs.
    init(location: String, underlying: any Error) {
        if let error = underlying as? PSQLError {
            let server = error.serverInfo?[.message]
            let detail = server ?? error.underlying.map { "\($0)" } ?? "\(error.code)"
            message = "cannot use the PostgreSQL store \(location): \(detail)"
        } else {
            message = "cannot use the PostgreSQL store \(location): \(underlying)"
        }
    }

    static let anotherWriter = PostgresStoreError(
        message:
            "another waymark daemon is writing this PostgreSQL database (it holds the writer lock); "
            + "one daemon writes a database at a time")

    public var description: String { message }
}
