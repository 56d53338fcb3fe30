import Foundation
import GRDB
import Testing
import WaymarkStore

@Suite struct SQLiteEventStoreTests {
    private func event(_ id: String, case caseID: String = "C-1", at: Int64 = 0) -> StoredEvent {
        EventStoreContract.event(id, case: caseID, at: at)
    }

    @Test func appendsAreIdempotentByEventID() async throws {
        let directory = try TemporaryDirectory()
        try await EventStoreContract.appendsAreIdempotentByEventID(SQLiteEventStore(path: directory.path("w.db")))
    }

    @Test func eventsSurviveReopeningTheFile() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("w.db")
        do {
            let store = try SQLiteEventStore(path: path)
            _ = try await store.append([event("x", case: "C-9", at: 42)])
        }
        let reopened = try SQLiteEventStore(path: path)
        #expect(try await reopened.loadAll() == [event("x", case: "C-9", at: 42)])
        #expect(try await reopened.schemaVersion == 1)
    }

    @Test func closingLetsGoOfTheFileAtOnce() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("w.db")
        let store = try SQLiteEventStore(path: path)
        _ = try await store.append([event("x")])
        await store.close()
        // Closed now, not when the last reference goes: the store answers no more.
        await #expect(throws: (any Error).self) { try await store.loadAll() }
        #expect(try await SQLiteEventStore(path: path).loadAll().map(\.id) == ["x"])
        withExtendedLifetime(store) {}
    }

    /// A daemon restarted at once can find the file locked for a moment by the one before it; it
    /// waits for the lock instead of failing to start.
    @Test func openingWaitsForAnotherConnectionsLock() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("w.db")
        try await SQLiteEventStore(path: path).close()
        let holder = try DatabaseQueue(path: path)
        let (began, signal) = AsyncStream<Void>.makeStream()
        let release = Task {
            // Finished either way, so that a failing write ends the wait below rather than hang it.
            defer { signal.finish() }
            try await holder.write { db in
                try db.execute(sql: "CREATE TABLE held (x)")
                signal.yield()
                Thread.sleep(forTimeInterval: 0.3)
            }
        }
        for await _ in began { break }
        let store = try SQLiteEventStore(path: path)
        _ = try await store.append([event("y")])
        try await release.value
        #expect(try await store.loadAll().map(\.id) == ["y"])
    }

    @Test func oneWriterAtATime() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("w.db")
        let writer = try SQLiteEventStore(path: path, access: .exclusive)
        #expect(throws: SQLiteStoreError.self) { try SQLiteEventStore(path: path, access: .exclusive) }
        // A reader may look while the writer writes.
        _ = try await writer.append([event("x")])
        #expect(try await SQLiteEventStore(path: path, access: .shared).loadAll().map(\.id) == ["x"])
        await writer.close()
        let next = try SQLiteEventStore(path: path, access: .exclusive)
        #expect(try await next.loadAll().map(\.id) == ["x"])
    }

    @Test func theFileIsInWALModeWithFullSync() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteEventStore(path: directory.path("w.db"))
        let settings = try await store.durabilitySettings()
        #expect(settings.journalMode == "wal")
        #expect(settings.synchronous == 2)
    }

    @Test func concurrentAppendsAreEachCountedOnce() async throws {
        let directory = try TemporaryDirectory()
        try await EventStoreContract.concurrentAppendsAreEachCountedOnce(SQLiteEventStore(path: directory.path("w.db")))
    }

    @Test func projectionsAreQueriedByRoleCaseStatusAndDueDate() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteEventStore(path: directory.path("w.db"))
        func task(_ id: String, case caseID: String, role: String, due: String, status: String) -> TaskRow {
            TaskRow(
                id: id, caseID: caseID, pathway: "p", stage: "s", key: id, title: "T", role: role,
                raised: "2025-01-01T09:00:00+00:00", due: due, status: status, done: nil, because: "b"
            )
        }
        try await store.applyProjection(
            ProjectionChange(upsertTasks: [
                task("t1", case: "C-2", role: "social-worker", due: "2025-01-10", status: "open"),
                task("t2", case: "C-1", role: "social-worker", due: "2025-01-10", status: "overdue"),
                task("t3", case: "C-1", role: "manager", due: "2025-01-05", status: "open"),
            ])
        )
        #expect(try await store.tasks(matching: TaskQuery(role: "social-worker")).map(\.id) == ["t2", "t1"])
        #expect(try await store.tasks(matching: TaskQuery(caseID: "C-1")).map(\.id) == ["t3", "t2"])
        #expect(try await store.tasks(matching: TaskQuery(status: "open")).map(\.id) == ["t3", "t1"])
        #expect(try await store.tasks(matching: TaskQuery(dueBefore: "2025-01-10")).map(\.id) == ["t3"])
        try await store.applyProjection(
            ProjectionChange(
                upsertTasks: [task("t1", case: "C-2", role: "social-worker", due: "2025-01-10", status: "done")],
                deleteTaskIDs: ["t2"]
            )
        )
        #expect(try await store.tasks(matching: TaskQuery(role: "social-worker")).map(\.status) == ["done"])
        // The first publication of a new run replaces whatever an earlier run left.
        try await store.applyProjection(
            ProjectionChange(
                upsertTasks: [task("t9", case: "C-9", role: "manager", due: "2025-02-01", status: "open")],
                replacesAll: true
            )
        )
        #expect(try await store.tasks(matching: TaskQuery()).map(\.id) == ["t9"])
    }

    @Test func alertsAreFilteredBySince() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteEventStore(path: directory.path("w.db"))
        func alert(_ id: String, at: Int64) -> AlertRow {
            AlertRow(
                id: id, caseID: "C", rule: "r", severity: "high", atNanoseconds: at, at: "x", message: "m", because: "b"
            )
        }
        try await store.applyProjection(
            ProjectionChange(upsertAlerts: [alert("late", at: 20), alert("early", at: 10)]))
        #expect(try await store.alerts(sinceNanoseconds: nil).map(\.id) == ["early", "late"])
        #expect(try await store.alerts(sinceNanoseconds: 15).map(\.id) == ["late"])
    }

    @Test func anUnknownStoreURLIsRefused() async {
        await #expect(throws: StoreURLError.self) { try await openEventStore(url: "mysql://x") }
    }
}
