import Foundation
import Synchronization
import Testing
import WaymarkStore

/// `waymark serve` as a child process on a definitions folder and a real SQLite file: what an
/// operator sees, including SIGKILL in the middle of ingestion and SIGTERM.
@Suite(.serialized) struct ServeProcessTests {
    /// Synthetic events in batches: 50 cases a batch, each referred in the last four days, every
    /// other one decided an hour later, so that the lists hold open, overdue and done tasks and alerts.
    static func batches(count: Int, now: Date = Date()) -> [[String]] {
        (0..<count).map { batch in
            (0..<50).flatMap { offset -> [String] in
                let number = batch * 50 + offset
                let referred = now.addingTimeInterval(-4 * 86_400 + Double(number) * 20)
                var lines = [Fixture.referral("r\(number)", case: "C-\(number)", at: referred.formatted(.iso8601))]
                if number.isMultiple(of: 2) {
                    let decided = referred.addingTimeInterval(3_600).formatted(.iso8601)
                    lines.append(Fixture.decided("d\(number)", case: "C-\(number)", at: decided))
                }
                return lines
            }
        }
    }

    static func eventID(_ line: String) -> String? {
        let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        return object?["id"] as? String
    }

    @Test func refusesANonLoopbackAddressWithoutTokens() async throws {
        let directory = try TemporaryDirectory()
        try FixtureFolder.write(to: directory.path("defs"))
        let (status, stderr) = try await ServeProcess.runToEnd([
            "--definitions", directory.path("defs"), "--store", "sqlite:" + directory.path("w.db"), "--listen",
            "0.0.0.0:0",
        ])
        #expect(status == 2)
        #expect(stderr.contains("refusing to listen on 0.0.0.0:0 without --tokens"))
        #expect(!FileManager.default.fileExists(atPath: directory.path("w.db")))
    }

    @Test func aKilledDaemonLosesNothingAcknowledgedAndDoublesNothing() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("w.db")
        try await Self.killedDaemonLosesNothing(
            in: directory, store: "sqlite:" + path, reference: "sqlite:" + directory.path("reference.db")
        ) { try await SQLiteEventStore(path: path, access: .shared).loadAll().map(\.id) }
    }

    /// The same on PostgreSQL: the acknowledged events are in the server's log, and the restarted
    /// daemon (which takes the writer lock the killed one's connection let go of) computes the
    /// same lists as a daemon that never crashed.
    @Test func aKilledDaemonOnPostgreSQLLosesNothingAcknowledgedAndDoublesNothing() async throws {
        let directory = try TemporaryDirectory()
        try await PostgresTestDatabase.with { url in
            try await PostgresTestDatabase.with { reference in
                // At trace level: postgres-nio logs the server's messages (rows of events) there,
                // which the store's logging must not pass on.
                try await Self.killedDaemonLosesNothing(
                    in: directory, store: url, reference: reference, logLevel: "trace"
                ) {
                    let store = try await PostgresEventStore.open(url: url, access: .shared)
                    let ids = try await store.loadAll().map(\.id)
                    await store.close()
                    return ids
                }
            }
        }
    }

    /// A second daemon on one SQLite file would miss the first one's events and overwrite its
    /// lists; it is refused, and the first keeps serving.
    @Test func aSecondDaemonOnOneSQLiteFileIsRefused() async throws {
        let directory = try TemporaryDirectory()
        try FixtureFolder.write(to: directory.path("defs"))
        let store = "sqlite:" + directory.path("w.db")
        let first = try await ServeProcess.start(["--definitions", directory.path("defs"), "--store", store])
        let (status, stderr) = try await ServeProcess.runToEnd([
            "--definitions", directory.path("defs"), "--store", store, "--listen", "127.0.0.1:0",
        ])
        #expect(status == 2)
        #expect(stderr.contains("waymark serve: --store: another waymark daemon is writing the SQLite database"))
        #expect(try await HTTP.get(first.base + "/healthz").status == 200)
        #expect(first.terminate() == 0)
        // Once the first has stopped, the file is free again.
        let next = try await ServeProcess.start(["--definitions", directory.path("defs"), "--store", store])
        #expect(try await HTTP.get(next.base + "/healthz").status == 200)
        #expect(next.terminate() == 0)
    }

    @Test func aSecondDaemonOnOnePostgreSQLDatabaseIsRefused() async throws {
        let directory = try TemporaryDirectory()
        try FixtureFolder.write(to: directory.path("defs"))
        try await PostgresTestDatabase.with { url in
            let first = try await ServeProcess.start(["--definitions", directory.path("defs"), "--store", url])
            let (status, stderr) = try await ServeProcess.runToEnd([
                "--definitions", directory.path("defs"), "--store", url, "--listen", "127.0.0.1:0",
            ])
            #expect(status == 2)
            #expect(
                stderr.contains("waymark serve: --store: another waymark daemon is writing this PostgreSQL database"))
            #expect(try await HTTP.get(first.base + "/healthz").status == 200)
            #expect(first.terminate() == 0)

            // A wrong password stops start-up with the server's words, and the password is not printed.
            let admin = try PostgresStoreURL(PostgresTestDatabase.adminURL)
            let wrong = "postgres://\(admin.username):Wr0ngSecret@\(admin.host):\(admin.port)/\(admin.database)"
            let (refused, message) = try await ServeProcess.runToEnd([
                "--definitions", directory.path("defs"), "--store", wrong, "--listen", "127.0.0.1:0",
            ])
            #expect(refused == 2)
            #expect(message.contains("password authentication failed"))
            #expect(!message.contains("Wr0ngSecret"))
        }
    }

    /// Posts batches from four clients, kills the daemon with SIGKILL after the tenth
    /// acknowledgement, restarts it on the same store, and checks nothing acknowledged was lost or
    /// doubled and that its lists equal a reference daemon's on `reference`.
    static func killedDaemonLosesNothing(
        in directory: borrowing TemporaryDirectory, store: String, reference referenceStore: String,
        logLevel: String = "debug", storedIDs: () async throws -> [String]
    ) async throws {
        let definitions = directory.path("defs")
        try FixtureFolder.write(to: definitions)
        let batches = Self.batches(count: 60)
        let total = batches.reduce(0) { $0 + $1.count }
        let first = try await ServeProcess.start(["--definitions", definitions, "--store", store], logLevel: logLevel)

        // Four posters share the batches; the tenth acknowledgement triggers SIGKILL mid-stream.
        let acknowledged = Acknowledged()
        await withTaskGroup(of: Void.self) { group in
            for poster in 0..<4 {
                group.addTask {
                    for index in stride(from: poster, to: batches.count, by: 4) {
                        let body = batches[index].joined(separator: "\n")
                        guard let reply = try? await HTTP.post(first.base + "/v1/events", body), reply.status == 200
                        else { continue }
                        let count = acknowledged.insert(index)
                        if count == 10 { first.kill9() }
                    }
                }
            }
        }
        let acked = acknowledged.indexes
        #expect(acked.count >= 10)
        #expect(acked.count < batches.count, "the kill came after every batch was acknowledged")

        // Restart on the same file: every acknowledged event is there, once.
        let second = try await ServeProcess.start(["--definitions", definitions, "--store", store], logLevel: logLevel)
        let stored = try await storedIDs()
        #expect(Set(stored).count == stored.count)
        let ackedIDs = Set(acked.flatMap { batches[$0] }.compactMap(Self.eventID))
        #expect(ackedIDs.isSubset(of: Set(stored)))
        let healthEvents = try await HTTP.get(second.base + "/healthz").json()["events"] as? Int
        #expect(healthEvents == stored.count)

        // The case system retries everything: what was stored comes back as duplicates.
        var accepted = 0
        var duplicates = 0
        for batch in batches {
            let reply = try await HTTP.post(second.base + "/v1/events", batch.joined(separator: "\n")).json()
            accepted += reply["accepted"] as? Int ?? -1
            duplicates += reply["duplicates"] as? Int ?? -1
        }
        #expect(duplicates == stored.count)
        #expect(accepted == total - stored.count)
        #expect(try await HTTP.get(second.base + "/healthz").json()["events"] as? Int == total)

        // And the task list is the one a daemon that never crashed computes from the same events.
        let reference = try await ServeProcess.start(
            ["--definitions", definitions, "--store", referenceStore], logLevel: logLevel)
        let all = batches.flatMap { $0 }.joined(separator: "\n")
        #expect(try await HTTP.post(reference.base + "/v1/events", all).status == 200)
        let survivor = try await HTTP.get(second.base + "/v1/tasks").body
        let expected = try await HTTP.get(reference.base + "/v1/tasks").body
        #expect(survivor.components(separatedBy: "\"overdue\"").count > 100)
        #expect(survivor == expected)
        #expect(try await HTTP.get(second.base + "/v1/alerts").body == HTTP.get(reference.base + "/v1/alerts").body)
        #expect(second.terminate() == 0)
        #expect(reference.terminate() == 0)

        // No personal data in the logs, even at debug level: no name or birth date of the events.
        #expect(all.contains("Sam Example") && all.contains("2014-02-03"))
        let logs = first.stderr + second.stderr + reference.stderr
        #expect(logs.contains("listening"))
        #expect(!logs.contains("Sam Example"))
        #expect(!logs.contains("2014-02-03"))
        // Nor as the hexadecimal bytes a database driver prints of the rows it reads.
        let hex = { (text: String) in text.utf8.map { String(format: "%02x", $0) }.joined() }
        #expect(!logs.contains(hex("Sam Example")))
        #expect(!logs.contains(hex("2014-02-03")))
    }

    @Test func sighupRefusesABrokenDefinitionsFileAndKeepsTheRunningOnes() async throws {
        let directory = try TemporaryDirectory()
        let definitions = directory.path("defs")
        try FixtureFolder.write(to: definitions)
        let daemon = try await ServeProcess.start([
            "--definitions", definitions, "--store", "sqlite:" + directory.path("w.db"),
        ])
        let at = Fixture.isoUTC(daysFromNow: -1)
        #expect(
            try await HTTP.post(daemon.base + "/v1/events", Fixture.referral("e1", case: "C-1", at: at)).status == 200)

        // A stage that leads nowhere known: the loader refuses it with a positioned diagnostic.
        let pathway = definitions + "/workflows/intake.yaml"
        let good = try String(contentsOfFile: pathway, encoding: .utf8)
        try good.replacingOccurrences(of: "to: closed", with: "to: nowhere")
            .write(toFile: pathway, atomically: true, encoding: .utf8)
        daemon.sendHangUp()
        let refused = try await eventually {
            let health = try await HTTP.get(daemon.base + "/healthz").json()
            let status = health["definitions"] as? [String: Any]
            return status?["last_reload"] as? String == "refused"
        }
        #expect(refused)
        let health = try await HTTP.get(daemon.base + "/healthz").json()["definitions"] as? [String: Any]
        let diagnostics = health?["diagnostics"] as? [String] ?? []
        #expect(diagnostics.contains { $0.contains("intake.yaml") && $0.contains("nowhere") })
        #expect(health?["generation"] as? Int == 1)
        #expect(daemon.stderr.contains("definitions reload refused"))
        // The running definitions stay in force: a new referral still opens its task.
        #expect(
            try await HTTP.post(daemon.base + "/v1/events", Fixture.referral("e2", case: "C-2", at: at)).status == 200)
        let tasks = try await HTTP.get(daemon.base + "/v1/tasks").json()["tasks"] as? [[String: Any]]
        #expect(tasks?.compactMap { $0["case"] as? String }.sorted() == ["C-1", "C-2"])

        // Putting the file right is accepted at the next reload.
        try good.write(toFile: pathway, atomically: true, encoding: .utf8)
        daemon.sendHangUp()
        let accepted = try await eventually {
            let status = try await HTTP.get(daemon.base + "/healthz").json()["definitions"] as? [String: Any]
            return status?["last_reload"] as? String == "accepted" && status?["generation"] as? Int == 2
        }
        #expect(accepted)
        #expect(daemon.terminate() == 0)
    }

    @Test func sigtermStopsGracefullyWithTheEmittedFilesCurrent() async throws {
        let directory = try TemporaryDirectory()
        try FixtureFolder.write(to: directory.path("defs"))
        let daemon = try await ServeProcess.start([
            "--definitions", directory.path("defs"), "--store", "sqlite:" + directory.path("w.db"), "--emit",
            directory.path("out"),
        ])
        let batches = Self.batches(count: 10)
        for batch in batches {
            #expect(try await HTTP.post(daemon.base + "/v1/events", batch.joined(separator: "\n")).status == 200)
        }
        let served = try #require(
            try await HTTP.get(daemon.base + "/v1/tasks?role=social-worker").json()["tasks"] as? [[String: Any]])
        // Stopped straight after the last acknowledgement: the final publish still covers it.
        #expect(daemon.terminate() == 0)
        #expect(daemon.stderr.contains("stopped"))
        let file = URL(fileURLWithPath: directory.path("out/tasks-social-worker.json"))
        let emitted = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        let emittedTasks = try #require(emitted["tasks"] as? [[String: Any]])
        #expect(!served.isEmpty)
        #expect(emittedTasks.compactMap { $0["id"] as? String } == served.compactMap { $0["id"] as? String })
        let csv = try String(contentsOfFile: directory.path("out/tasks-social-worker.csv"), encoding: .utf8)
        #expect(served.allSatisfy { csv.contains("\($0["id"] ?? "-")") })
    }
}

/// The batches the daemon acknowledged, shared by the posters.
private final class Acknowledged: Sendable {
    private let storage = Mutex<Set<Int>>([])
    var indexes: Set<Int> { storage.withLock { $0 } }
    /// Records one; returns how many there are now.
    func insert(_ index: Int) -> Int {
        storage.withLock {
            $0.insert(index); return $0.count
        }
    }
}
