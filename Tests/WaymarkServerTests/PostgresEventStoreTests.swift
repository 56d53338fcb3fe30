import Foundation
import Testing
import WaymarkStore

/// The PostgreSQL store against a real server, a database of its own for each test: the same
/// contract as the SQLite store (idempotent atomic appends, projections queried in the spec's
/// order), plus what sharing a server adds (the writer lock, migrations, errors that name the
/// server and never its password).
@Suite struct PostgresEventStoreTests {
    private func event(_ id: String, case caseID: String = "C-1", at: Int64 = 0) -> StoredEvent {
        EventStoreContract.event(id, case: caseID, at: at)
    }

    @Test func appendsAreIdempotentByEventID() async throws {
        try await PostgresTestDatabase.withStore { store in
            try await EventStoreContract.appendsAreIdempotentByEventID(store)
        }
    }

    @Test func eventsSurviveReopeningAndMigrationsAreAppliedOnce() async throws {
        try await PostgresTestDatabase.with { url in
            let first = try await PostgresEventStore.open(url: url, access: .shared)
            let body = #"{"id":"x","note":"é ✓ \"quoted\""}"#
            _ = try await first.append([StoredEvent(id: "x", caseID: "C-9", atNanoseconds: -42, body: body)])
            await first.close()
            let reopened = try await PostgresEventStore.open(url: url, access: .shared)
            #expect(
                try await reopened.loadAll() == [StoredEvent(id: "x", caseID: "C-9", atNanoseconds: -42, body: body)])
            #expect(try await reopened.schemaVersion == 1)
            await reopened.close()
        }
    }

    @Test func everyConnectionCommitsSynchronously() async throws {
        try await PostgresTestDatabase.withStore { store async throws in
            #expect(try await store.synchronousCommit() == "on")
        }
    }

    @Test func concurrentAppendsAreEachCountedOnce() async throws {
        try await PostgresTestDatabase.withStore { store in
            try await EventStoreContract.concurrentAppendsAreEachCountedOnce(store)
        }
    }

    @Test func projectionsAreQueriedByRoleCaseStatusAndDueDateInByteOrder() async throws {
        try await PostgresTestDatabase.withStore { store in
            func task(_ id: String, case caseID: String, role: String, due: String, status: String) -> TaskRow {
                TaskRow(
                    id: id, caseID: caseID, pathway: id == "t3" ? nil : "p", stage: "s", key: id, title: "T",
                    role: role, raised: "2025-01-01T09:00:00+00:00", due: due, status: status,
                    done: status == "done" ? "2025-01-02T09:00:00+00:00" : nil, because: "b \"quoted\"")
            }
            try await store.applyProjection(
                ProjectionChange(upsertTasks: [
                    task("t1", case: "C-2", role: "social-worker", due: "2025-01-10", status: "open"),
                    task("t2", case: "C-1", role: "social-worker", due: "2025-01-10", status: "overdue"),
                    task("t3", case: "C-1", role: "manager", due: "2025-01-05", status: "open"),
                    // Byte order puts "B" before "a"; a locale's collation would not.
                    task("t4", case: "a-1", role: "social-worker", due: "2025-01-10", status: "open"),
                    task("t5", case: "B-1", role: "social-worker", due: "2025-01-10", status: "open"),
                ])
            )
            #expect(
                try await store.tasks(matching: TaskQuery(role: "social-worker")).map(\.id) == [
                    "t5", "t2", "t1", "t4",
                ])
            #expect(try await store.tasks(matching: TaskQuery(caseID: "C-1")).map(\.id) == ["t3", "t2"])
            #expect(try await store.tasks(matching: TaskQuery(status: "open")).map(\.id) == ["t3", "t5", "t1", "t4"])
            #expect(try await store.tasks(matching: TaskQuery(dueBefore: "2025-01-10")).map(\.id) == ["t3"])
            #expect(
                try await store.tasks(matching: TaskQuery(role: "manager", caseID: "C-1", status: "open")).first
                    == task("t3", case: "C-1", role: "manager", due: "2025-01-05", status: "open"))
            try await store.applyProjection(
                ProjectionChange(
                    upsertTasks: [task("t1", case: "C-2", role: "social-worker", due: "2025-01-10", status: "done")],
                    deleteTaskIDs: ["t2", "t4", "t5"]
                )
            )
            let updated = try await store.tasks(matching: TaskQuery(role: "social-worker"))
            #expect(updated.map(\.status) == ["done"])
            #expect(updated.first?.done == "2025-01-02T09:00:00+00:00")
            // The first publication of a new run replaces whatever an earlier run left.
            try await store.applyProjection(
                ProjectionChange(
                    upsertTasks: [task("t9", case: "C-9", role: "manager", due: "2025-02-01", status: "open")],
                    replacesAll: true
                )
            )
            #expect(try await store.tasks(matching: TaskQuery()).map(\.id) == ["t9"])
        }
    }

    @Test func alertsAreFilteredBySinceAndReplacedByID() async throws {
        try await PostgresTestDatabase.withStore { store in
            func alert(_ id: String, at: Int64, message: String = "m") -> AlertRow {
                AlertRow(
                    id: id, caseID: "C", rule: "r", severity: "high", atNanoseconds: at, at: "x", message: message,
                    because: "b")
            }
            try await store.applyProjection(
                ProjectionChange(upsertAlerts: [alert("late", at: 20), alert("early", at: 10)]))
            #expect(try await store.alerts(sinceNanoseconds: nil).map(\.id) == ["early", "late"])
            #expect(try await store.alerts(sinceNanoseconds: 15).map(\.id) == ["late"])
            try await store.applyProjection(
                ProjectionChange(upsertAlerts: [alert("late", at: 20, message: "again")], deleteAlertIDs: ["early"]))
            #expect(try await store.alerts(sinceNanoseconds: nil) == [alert("late", at: 20, message: "again")])
            // One change naming a row twice keeps the last, as SQLite's INSERT OR REPLACE does.
            try await store.applyProjection(
                ProjectionChange(upsertAlerts: [
                    alert("twice", at: 30, message: "one"), alert("twice", at: 30, message: "two"),
                ]))
            #expect(try await store.alerts(sinceNanoseconds: 30).map(\.message) == ["two"])
        }
    }

    @Test func oneWriterAtATime() async throws {
        try await PostgresTestDatabase.with { url in
            let writer = try await openEventStore(url: url)
            await #expect(throws: PostgresStoreError.self) { try await openEventStore(url: url) }
            do {
                _ = try await PostgresEventStore.open(url: url, access: .exclusive)
                Issue.record("a second writer was let in")
            } catch let error as PostgresStoreError {
                #expect(error.description.contains("another waymark daemon is writing this PostgreSQL database"))
            }
            // A reader is let in beside the writer, and the lock goes with the writer.
            let reader = try await PostgresEventStore.open(url: url, access: .shared)
            await reader.close()
            await (writer as! PostgresEventStore).close()
            let next = try await PostgresEventStore.open(url: url, access: .exclusive)
            await next.close()
        }
    }

    /// The writer lock lives as long as its connection: when the server drops that connection the
    /// store takes the lock again on a new one, so a second daemon is still refused.
    @Test func theWriterLockIsTakenAgainWhenItsConnectionIsLost() async throws {
        try await PostgresTestDatabase.with { url in
            let holders = """
                SELECT pid::text FROM pg_locks WHERE locktype = 'advisory' AND granted
                AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                """
            let writer = try await PostgresEventStore.open(url: url, access: .exclusive)
            let first = try await PostgresTestDatabase.texts(url, holders)
            #expect(first.count == 1)
            _ = try await PostgresTestDatabase.texts(url, "SELECT pg_terminate_backend(\(first[0]))::text")
            var again: [String] = []
            for _ in 0..<100 {
                again = try await PostgresTestDatabase.texts(url, holders)
                if again.count == 1 && again != first { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(again.count == 1 && again != first, "the lock was not taken again: \(again)")
            await #expect(throws: PostgresStoreError.self) {
                try await PostgresEventStore.open(url: url, access: .exclusive)
            }
            // The pool's other connections serve on.
            #expect(try await writer.append([event("after")]).accepted == 1)
            await writer.close()
        }
    }

    @Test func aRefusedLoginNamesTheServerButNotThePassword() async throws {
        let admin = try PostgresStoreURL(PostgresTestDatabase.adminURL)
        let url = "postgres://\(admin.username):not-the-password-4711@\(admin.host):\(admin.port)/\(admin.database)"
        do {
            _ = try await PostgresEventStore.open(url: url, access: .shared)
            Issue.record("a wrong password was accepted")
        } catch let error as PostgresStoreError {
            #expect(error.description.contains("\(admin.host):\(admin.port)/\(admin.database)"))
            #expect(error.description.contains("password authentication failed"))
            #expect(!error.description.contains("not-the-password-4711"))
        }
    }

    /// Start-up stops with the connection's own error rather than a pool retrying in the background
    /// (which would leave the first query waiting, and the operator guessing).
    @Test func aServerThatIsDownIsNamedWithTheConnectionsError() async throws {
        do {
            // Port 1 on loopback: nothing listens there.
            _ = try await PostgresEventStore.open(url: "postgres://waymark@127.0.0.1:1/none", access: .shared)
            Issue.record("a closed port was accepted")
        } catch let error as PostgresStoreError {
            #expect(error.description.hasPrefix("cannot use the PostgreSQL store postgres://waymark@127.0.0.1:1/none"))
            #expect(error.description.lowercased().contains("refused"), "\(error.description)")
        }
    }

    @Test func urlsAreReadAsLibpqReadsThem() throws {
        let local = try PostgresStoreURL("postgres://wm:s%40cret@localhost/waymark", environment: [:])
        #expect(local.host == "localhost")
        #expect(local.port == 5432)
        #expect(local.username == "wm")
        #expect(local.password == "s@cret")
        #expect(local.database == "waymark")
        #expect(local.tls == .disable)
        #expect(local.redacted == "postgres://wm:***@localhost:5432/waymark?sslmode=disable")
        // A server elsewhere gets TLS unless told otherwise; the password may come from PGPASSWORD.
        let remote = try PostgresStoreURL(
            "postgresql://wm@db.example.org:6543/cases", environment: ["PGPASSWORD": "from-env"])
        #expect(remote.tls == .require)
        #expect(remote.port == 6543)
        #expect(remote.password == "from-env")
        #expect(try PostgresStoreURL("postgres://wm@db.example.org/c?sslmode=disable").tls == .disable)
        #expect(try PostgresStoreURL("postgres://wm@127.0.0.1/c?sslmode=verify-full").tls == .require)
        #expect(throws: StoreURLError.self) { try PostgresStoreURL("postgres://wm@host/c?sslmode=prefer") }
        #expect(throws: StoreURLError.self) { try PostgresStoreURL("postgres://wm@host/c?schema=x") }
        #expect(throws: StoreURLError.self) { try PostgresStoreURL("postgres://host/c") }
        #expect(throws: StoreURLError.self) { try PostgresStoreURL("postgres://wm@host") }
        // The password never reaches an error message.
        let error = StoreURLError(url: "postgres://wm:hunter2@host/c?sslmode=prefer", reason: "r")
        #expect(!error.description.contains("hunter2"))
    }
}
