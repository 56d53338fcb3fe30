import Foundation
import Testing
import WaymarkEngine
import WaymarkServer
import WaymarkStore

@Suite(.serialized) struct DaemonHTTPTests {
    @Test func aBatchWithABadLineChangesNothingAndNamesEveryProblem() async throws {
        let directory = try TemporaryDirectory()
        let daemon = try await RunningDaemon.start(store: directory.path("w.db"))
        defer { Task { await daemon.stop() } }
        let at = Fixture.isoUTC(daysFromNow: -1)
        let batch = [
            Fixture.referral("e1", case: "C-1", at: at),
            #"{"id": "e2", "type": "referral.received", "at": "\#(at)"}"#,
            #"{"id": "e3", "case": "C-3", "type": "referral.received", "at": "not a date"}"#,
        ].joined(separator: "\n")
        let reply = try await HTTP.post(daemon.base + "/v1/events", batch)
        #expect(reply.status == 400)
        let problems = try #require(try reply.json()["problems"] as? [[String: Any]])
        #expect(problems.compactMap { $0["line"] as? Int }.sorted() == [2, 3])
        #expect(Set(problems.compactMap { $0["field"] as? String }) == ["case", "at"])
        let health = try await HTTP.get(daemon.base + "/healthz").json()
        #expect(health["events"] as? Int == 0)
        let tasks = try await HTTP.get(daemon.base + "/v1/tasks").json()
        #expect((tasks["tasks"] as? [Any])?.isEmpty == true)
        #expect(try await HTTP.get(daemon.base + "/v1/cases/C-1").status == 404)
    }

    /// One event dated 2999 overflowed the moment it was read into and stopped the daemon (found by
    /// fuzzing, `Fuzz/`). It is now a positioned problem like any other, and the daemon goes on.
    @Test func anEventDatedBeyondTheYearsAMomentHoldsIsRefusedAndTheDaemonGoesOn() async throws {
        let directory = try TemporaryDirectory()
        let daemon = try await RunningDaemon.start(store: directory.path("w.db"))
        defer { Task { await daemon.stop() } }
        let batch = [
            Fixture.referral("e1", case: "C-1", at: Fixture.isoUTC(daysFromNow: -1)),
            Fixture.referral("e2", case: "C-2", at: "2999-01-01T09:00:00Z"),
        ].joined(separator: "\n")
        let reply = try await HTTP.post(daemon.base + "/v1/events", batch)
        #expect(reply.status == 400)
        let problems = try #require(try reply.json()["problems"] as? [[String: Any]])
        #expect(problems.count == 1)
        #expect(problems.first?["line"] as? Int == 2)
        #expect(problems.first?["field"] as? String == "at")
        #expect((problems.first?["message"] as? String)?.contains("outside the years") == true)
        let health = try await HTTP.get(daemon.base + "/healthz").json()
        #expect(health["events"] as? Int == 0)
    }

    @Test func repeatedEventsAreDuplicatesAndChangeNothing() async throws {
        let directory = try TemporaryDirectory()
        let daemon = try await RunningDaemon.start(store: directory.path("w.db"))
        defer { Task { await daemon.stop() } }
        let at = Fixture.isoUTC(daysFromNow: -1)
        // A JSON array this time; the same events again as JSON Lines.
        let array =
            "[" + Fixture.referral("e1", case: "C-1", at: at) + ", " + Fixture.referral("e2", case: "C-2", at: at) + "]"
        let first = try await HTTP.post(daemon.base + "/v1/events", array).json()
        #expect(first["accepted"] as? Int == 2)
        #expect(first["duplicates"] as? Int == 0)
        let lines = Fixture.referral("e1", case: "C-1", at: at) + "\n" + Fixture.referral("e2", case: "C-2", at: at)
        let second = try await HTTP.post(daemon.base + "/v1/events", lines).json()
        #expect(second["accepted"] as? Int == 0)
        #expect(second["duplicates"] as? Int == 2)
        let tasks = try #require(try await HTTP.get(daemon.base + "/v1/tasks").json()["tasks"] as? [[String: Any]])
        #expect(tasks.count == 2)
        #expect(tasks.allSatisfy { $0["key"] as? String == "decide" && $0["role"] as? String == "social-worker" })
        #expect(try await HTTP.get(daemon.base + "/healthz").json()["events"] as? Int == 2)
    }

    @Test func concurrentPostersAreEachCountedOnce() async throws {
        let directory = try TemporaryDirectory()
        let daemon = try await RunningDaemon.start(store: directory.path("w.db"))
        defer { Task { await daemon.stop() } }
        let at = Fixture.isoUTC(daysFromNow: -2)
        // 8 posters x 5 batches x 20 events; each poster repeats 5 events of the previous one.
        let totals = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for poster in 0..<8 {
                group.addTask {
                    var accepted = 0
                    var duplicates = 0
                    for batch in 0..<5 {
                        let end = poster * 100 + batch * 20 + 20
                        let start = poster * 100 + batch * 20 - (poster > 0 && batch == 0 ? 5 : 0)
                        let lines = (start..<end).map { Fixture.referral("e\($0)", case: "C-\($0)", at: at) }
                        let reply = try await HTTP.post(daemon.base + "/v1/events", lines.joined(separator: "\n"))
                            .json()
                        accepted += reply["accepted"] as? Int ?? -1_000
                        duplicates += reply["duplicates"] as? Int ?? -1_000
                    }
                    return (accepted, duplicates)
                }
            }
            return try await group.reduce(into: (0, 0)) {
                $0.0 += $1.0; $0.1 += $1.1
            }
        }
        #expect(totals.0 == 800)
        #expect(totals.1 == 7 * 5)
        #expect(try await HTTP.get(daemon.base + "/healthz").json()["events"] as? Int == 800)
        let open = try await HTTP.get(daemon.base + "/v1/tasks?status=open&role=social-worker").json()
        #expect((open["tasks"] as? [Any])?.count == 800)
    }

    @Test func tasksComeAsJSONCSVAndICalendarAndACaseHasItsHistory() async throws {
        let directory = try TemporaryDirectory()
        let daemon = try await RunningDaemon.start(store: directory.path("w.db"), emit: directory.path("out"))
        defer { Task { await daemon.stop() } }
        let batch = [
            Fixture.referral("e1", case: "C-1", at: Fixture.isoUTC(daysFromNow: -5)),
            Fixture.referral("e2", case: "C-2", at: Fixture.isoUTC(daysFromNow: -0.1)),
            Fixture.decided("e3", case: "C-2", at: Fixture.isoUTC(daysFromNow: -0.05)),
        ].joined(separator: "\n")
        #expect(try await HTTP.post(daemon.base + "/v1/events", batch).status == 200)

        let json = try await HTTP.get(daemon.base + "/v1/tasks").json()
        let tasks = try #require(json["tasks"] as? [[String: Any]])
        #expect(tasks.map { "\($0["case"]!)/\($0["status"]!)" }.sorted() == ["C-1/overdue", "C-2/done"])
        let open = try await HTTP.get(daemon.base + "/v1/tasks?status=open").json()["tasks"] as? [[String: Any]]
        #expect(open?.map { $0["case"] as? String } == ["C-1"])
        let byCase = try await HTTP.get(daemon.base + "/v1/tasks?case=C-2").json()["tasks"] as? [[String: Any]]
        #expect(byCase?.count == 1)

        let csv = try await HTTP.get(daemon.base + "/v1/tasks?status=open", headers: ["Accept": "text/csv"])
        #expect(csv.contentType?.hasPrefix("text/csv") == true)
        #expect(csv.body.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 2)
        #expect(csv.body.contains(",C-1,intake,assess,decide,Decide on the referral,social-worker,"))

        let ics = try await HTTP.get(daemon.base + "/v1/tasks.ics")
        #expect(ics.contentType?.hasPrefix("text/calendar") == true)
        #expect(ics.body.components(separatedBy: "BEGIN:VTODO").count == 3)
        #expect(ics.body.contains("DUE;VALUE=DATE:"))

        let alerts = try await HTTP.get(daemon.base + "/v1/alerts").json()["alerts"] as? [[String: Any]]
        #expect(alerts?.map { $0["case"] as? String } == ["C-1"])
        let later = try await HTTP.get(daemon.base + "/v1/alerts?since=2200-01-01").json()["alerts"] as? [Any]
        #expect(later?.isEmpty == true)
        let yesterday = try await HTTP.get(daemon.base + "/v1/alerts?since=yesterday")
        #expect(yesterday.status == 400)
        #expect(yesterday.body.contains("since: 'yesterday' is not an ISO 8601 date or date-time"))
        let farOff = try await HTTP.get(daemon.base + "/v1/alerts?since=9999-01-01")
        #expect(farOff.status == 400)
        #expect(farOff.body.contains("since: '9999-01-01' is outside the years Waymark handles (1700 to 2200)"))

        let detail = try await HTTP.get(daemon.base + "/v1/cases/C-2").json()
        #expect(detail["case"] as? String == "C-2")
        let history = try #require(detail["history"] as? [[String: Any]])
        #expect(history.contains { $0["type"] as? String == "referral.decided" })
        #expect(history.contains { ($0["because"] as? String)?.isEmpty == false })
        let enrolments = try #require(detail["enrolments"] as? [[String: Any]])
        #expect(enrolments.first?["stage"] as? String == "closed")

        // The emitted files follow within the publish interval.
        let file = directory.path("out/tasks-social-worker.json")
        #expect(try await eventually { FileManager.default.fileExists(atPath: file) })
        let emitted = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any]
        )
        #expect((emitted["tasks"] as? [Any])?.count == 2)
        #expect(FileManager.default.fileExists(atPath: directory.path("out/tasks-social-worker.csv")))
    }

    @Test func aBodyOverTheLimitIs413() async throws {
        let directory = try TemporaryDirectory()
        let daemon = try await RunningDaemon.start(store: directory.path("w.db"), maxBodyBytes: 1_000)
        defer { Task { await daemon.stop() } }
        let at = Fixture.isoUTC(daysFromNow: -1)
        let lines = (0..<50).map { Fixture.referral("e\($0)", case: "C-\($0)", at: at) }.joined(separator: "\n")
        #expect(try await HTTP.post(daemon.base + "/v1/events", lines).status == 413)
        #expect(try await HTTP.get(daemon.base + "/healthz").json()["events"] as? Int == 0)
    }

    @Test func timersThatFellDueWhileDownFireAtStartUpAtTheirOwnMoments() async throws {
        let directory = try TemporaryDirectory()
        let store = directory.path("w.db")
        let tenDaysAgo = Date().addingTimeInterval(-10 * 86_400)
        let frozen = Moment(epochNanoseconds: Int64(tenDaysAgo.timeIntervalSince1970 * 1e9) + 60_000_000_000)
        // First life: the clock stands ten days ago, just after the referral; nothing is due yet.
        let first = try await RunningDaemon.start(store: store, clock: { frozen })
        let referralAt = tenDaysAgo.formatted(.iso8601)
        #expect(
            try await HTTP.post(first.base + "/v1/events", Fixture.referral("e1", case: "C-1", at: referralAt)).status
                == 200)
        let before = try await HTTP.get(first.base + "/v1/alerts").json()["alerts"] as? [Any]
        #expect(before?.isEmpty == true)
        let statusBefore = try await HTTP.get(first.base + "/v1/tasks").json()["tasks"] as? [[String: Any]]
        #expect(statusBefore?.first?["status"] as? String == "open")
        await first.stop()

        // Second life on the wall clock: the 3-day breach fired while the daemon was down.
        let second = try await RunningDaemon.start(store: store)
        defer { Task { await second.stop() } }
        let alerts = try #require(try await HTTP.get(second.base + "/v1/alerts").json()["alerts"] as? [[String: Any]])
        #expect(alerts.count == 1)
        let alertAt = try #require((alerts.first?["at"] as? String).flatMap { try? Date($0, strategy: .iso8601) })
        // The 3-day limit is a date: it breaches at 00:00 after the third day, not at start-up.
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        let breach = utc.date(byAdding: .day, value: 4, to: utc.startOfDay(for: tenDaysAgo))!
        #expect(alertAt == breach)
        #expect(Date().timeIntervalSince(alertAt) > 5 * 86_400)
        let tasks = try await HTTP.get(second.base + "/v1/tasks").json()["tasks"] as? [[String: Any]]
        #expect(tasks?.first?["status"] as? String == "overdue")
    }

    @Test func aBrokenDefinitionsChangeIsRefusedAndTheRunningOnesStay() async throws {
        let directory = try TemporaryDirectory()
        let folder = directory.path("defs")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let file = folder + "/workflows.yaml"
        try "good".write(toFile: file, atomically: true, encoding: .utf8)
        let source = DefinitionsSource(folders: [folder]) {
            let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
            if text.hasPrefix("good") {
                return .loaded(
                    Fixture.definitions(taskTitle: text == "good" ? "Decide on the referral" : "Decide (v2)"))
            }
            return .refused(["workflows.yaml:1:1: error: not a definitions file"])
        }
        let daemon = try await RunningDaemon.start(store: directory.path("w.db"), definitions: source)
        defer { Task { await daemon.stop() } }
        let at = Fixture.isoUTC(daysFromNow: -1)
        #expect(
            try await HTTP.post(daemon.base + "/v1/events", Fixture.referral("e1", case: "C-1", at: at)).status == 200)

        try "broken: [".write(toFile: file, atomically: true, encoding: .utf8)
        let refused = try await eventually {
            let health = try await HTTP.get(daemon.base + "/healthz").json()
            let definitions = health["definitions"] as? [String: Any]
            return definitions?["last_reload"] as? String == "refused"
                && (definitions?["diagnostics"] as? [String])?.first?.contains("not a definitions file") == true
        }
        #expect(refused)
        // The running definitions stay: the engine still serves, and a new case still enrols.
        #expect(
            try await HTTP.post(daemon.base + "/v1/events", Fixture.referral("e2", case: "C-2", at: at)).status == 200)
        let tasks = try await HTTP.get(daemon.base + "/v1/tasks").json()["tasks"] as? [[String: Any]]
        #expect(tasks?.count == 2)

        // A valid change applies to new enrolments; the running one keeps its version's task.
        try "good v2".write(toFile: file, atomically: true, encoding: .utf8)
        let accepted = try await eventually {
            let definitions = try await HTTP.get(daemon.base + "/healthz").json()["definitions"] as? [String: Any]
            return definitions?["generation"] as? Int == 2 && definitions?["last_reload"] as? String == "accepted"
        }
        #expect(accepted)
        #expect(
            try await HTTP.post(daemon.base + "/v1/events", Fixture.referral("e3", case: "C-3", at: at)).status == 200)
        let titles = try await HTTP.get(daemon.base + "/v1/tasks").json()["tasks"] as? [[String: Any]]
        let byCase = Dictionary(
            uniqueKeysWithValues: (titles ?? []).map { ($0["case"] as! String, $0["title"] as! String) })
        #expect(byCase["C-1"] == "Decide on the referral")
        #expect(byCase["C-3"] == "Decide (v2)")
    }

    @Test func withTokensEveryRequestIsAuthenticatedAndAuthorised() async throws {
        let directory = try TemporaryDirectory()
        let tokens = try TokenFile(
            json: Data(
                """
                {"tokens": [
                  {"name": "writer", "sha256": "\(TokenFile.hash(token: "w-token"))", "scopes": ["events:write"]},
                  {"name": "reader", "sha256": "\(TokenFile.hash(token: "r-token"))", "scopes": ["tasks:read", "alerts:read"],
                   "roles": ["manager"]}
                ]}
                """.utf8
            )
        )
        let daemon = try await RunningDaemon.start(store: directory.path("w.db"), tokens: tokens)
        defer { Task { await daemon.stop() } }
        let event = Fixture.referral("e1", case: "C-1", at: Fixture.isoUTC(daysFromNow: -1))
        let url = daemon.base + "/v1/events"
        #expect(try await HTTP.post(url, event).status == 401)
        #expect(try await HTTP.post(url, event, headers: ["Authorization": "Bearer wrong"]).status == 401)
        #expect(try await HTTP.post(url, event, headers: ["Authorization": "Bearer r-token"]).status == 403)
        #expect(try await HTTP.post(url, event, headers: ["Authorization": "Bearer w-token"]).status == 200)
        #expect(
            try await HTTP.get(daemon.base + "/v1/tasks", headers: ["Authorization": "Bearer w-token"]).status == 403)
        let reader = ["Authorization": "Bearer r-token"]
        #expect(try await HTTP.get(daemon.base + "/v1/tasks?role=social-worker", headers: reader).status == 403)
        let managers = try await HTTP.get(daemon.base + "/v1/tasks", headers: reader)
        #expect(managers.status == 200)
        #expect((try managers.json()["tasks"] as? [Any])?.isEmpty == true)
        #expect(try await HTTP.get(daemon.base + "/v1/cases/C-1", headers: reader).status == 403)
        #expect(try await HTTP.get(daemon.base + "/metrics", headers: reader).status == 403)
        #expect(try await HTTP.get(daemon.base + "/").status == 401)
    }

    @Test func withoutTokensOnlyLoopbackIsAllowed() async throws {
        let directory = try TemporaryDirectory()
        let configuration = DaemonConfiguration(
            listen: ListenAddress(host: "0.0.0.0", port: 0), storeURL: "sqlite:" + directory.path("w.db"),
            handlesSignals: false
        )
        await #expect(throws: ServeError.notLoopbackWithoutTokens("0.0.0.0:0")) {
            try await WaymarkDaemon.run(
                configuration: configuration, definitions: .fixed(Fixture.definitions()), logger: .init(label: "t")
            )
        }
        // Nothing was created: the refusal comes before the store is opened.
        #expect(!FileManager.default.fileExists(atPath: directory.path("w.db")))
    }

    @Test func metricsCountEvents() async throws {
        let directory = try TemporaryDirectory()
        let daemon = try await RunningDaemon.start(store: directory.path("w.db"))
        defer { Task { await daemon.stop() } }
        _ = try await HTTP.post(
            daemon.base + "/v1/events", Fixture.referral("e1", case: "C-1", at: Fixture.isoUTC(daysFromNow: -1)))
        let metrics = try await HTTP.get(daemon.base + "/metrics")
        #expect(metrics.body.contains("waymark_events_accepted_total 1"))
        #expect(metrics.body.contains("waymark_http_requests_total{route=\"events\",status=\"200\"} 1"))
    }
}
