import Foundation
import Testing
import WaymarkStore

@testable import WaymarkServer

@Suite struct TaskListFormatsTests {
    private let task = TaskRow(
        id: "C-1/p/s/arrange/1", caseID: "C-1", pathway: "p", stage: nil, key: "arrange",
        title: "Arrange a meeting, \"soon\"; with the family", role: "social-worker",
        raised: "2025-01-07T09:00:00+01:00", due: "2025-01-28", status: "overdue", done: nil, because: "b"
    )

    @Test func jsonKeepsTheSpecsKeysAndNulls() throws {
        let text = TaskListFormats.json(asOf: "2025-03-01", tasks: [task])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["as_of"] as? String == "2025-03-01")
        let tasks = try #require(object["tasks"] as? [[String: Any]])
        #expect(tasks.first?["stage"] is NSNull)
        #expect(tasks.first?["title"] as? String == task.title)
        #expect(text.contains("\"id\": \"C-1/p/s/arrange/1\", \"case\": \"C-1\", \"pathway\": \"p\""))
    }

    @Test func csvQuotesFieldsThatNeedIt() {
        let lines = TaskListFormats.csv(tasks: [task]).components(separatedBy: "\r\n")
        #expect(lines[0] == "id,case,pathway,stage,key,title,role,raised,due,status,done,because")
        #expect(
            lines[1]
                == "C-1/p/s/arrange/1,C-1,p,,arrange,\"Arrange a meeting, \"\"soon\"\"; with the family\","
                + "social-worker,2025-01-07T09:00:00+01:00,2025-01-28,overdue,,b"
        )
    }

    @Test func iCalendarHasOneTodoPerTaskWithItsDueDate() {
        let text = TaskListFormats.iCalendar(tasks: [task, task])
        #expect(text.components(separatedBy: "BEGIN:VTODO").count == 3)
        #expect(text.contains("DUE;VALUE=DATE:20250128\r\n"))
        #expect(text.contains("DTSTAMP:20250107T080000Z\r\n"))
        #expect(text.contains("SUMMARY:Arrange a meeting\\, \"soon\"\\; with the family\r\n"))
        #expect(text.contains("STATUS:NEEDS-ACTION"))
        for line in text.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 75) }
    }

    @Test func theBoardPutsOverdueFirstAndEscapesText() {
        var open = task
        open.id = "open-one"
        open.status = "open"
        open.due = "2025-01-01"
        open.title = "<script>x</script>"
        let snapshot = BoardSnapshot(
            version: 1, asOf: "2025-03-01", tasks: [open, task], alerts: [], openCases: ["C-1"]
        )
        let html = BoardPage.html(snapshot, roles: nil)
        let overdueAt = html.range(of: "C-1/p/s/arrange/1")!.lowerBound
        let openAt = html.range(of: "open-one")!.lowerBound
        #expect(overdueAt < openAt)
        #expect(html.contains("&lt;script&gt;x&lt;/script&gt;"))
        #expect(!html.contains("<script>"))
        #expect(!html.contains("http://") && !html.contains("https://"))
    }

    @Test func statusOpenIncludesOverdueAndQueriesUseIndexes() {
        var done = task
        done.id = "done-one"
        done.status = "done"
        done.role = "manager"
        let snapshot = BoardSnapshot(version: 1, asOf: "2025-03-01", tasks: [task, done], alerts: [], openCases: [])
        #expect(snapshot.tasks(matching: TaskQuery(status: "open")).map(\.id) == [task.id])
        #expect(snapshot.tasks(matching: TaskQuery(role: "manager")).map(\.id) == ["done-one"])
        #expect(snapshot.tasks(matching: TaskQuery(caseID: "C-1", status: "done")).map(\.id) == ["done-one"])
        #expect(snapshot.tasks(matching: TaskQuery(dueBefore: "2025-01-28")).isEmpty)
    }

    @Test func projectionChangesAreTheDifferenceByID() {
        var changed = task
        changed.status = "done"
        var added = task
        added.id = "new"
        let old = BoardSnapshot(version: 1, asOf: "a", tasks: [task], alerts: [], openCases: [])
        let new = BoardSnapshot(version: 2, asOf: "a", tasks: [changed, added], alerts: [], openCases: [])
        #expect(new.projectionChange(from: old).upsertTasks == [changed, added])
        #expect(old.projectionChange(from: new).deleteTaskIDs == ["new"])
        #expect(old.projectionChange(from: old).isEmpty)
    }
}

@Suite struct TaskFileEmitterTests {
    @Test func filesAreWrittenPerRoleOnlyWhenChanged() async throws {
        let directory = try TemporaryDirectory()
        let emitter = try TaskFileEmitter(directory: directory.path("out"))
        let task = TaskRow(
            id: "t", caseID: "C", pathway: nil, stage: nil, key: "k", title: "T", role: "social-worker",
            raised: "2025-01-01T00:00:00+00:00", due: "2025-01-02", status: "open", done: nil, because: "b"
        )
        let snapshot = BoardSnapshot(version: 1, asOf: "2025-01-01", tasks: [task], alerts: [], openCases: [])
        #expect(try await emitter.emit(snapshot, force: false) == 2)
        #expect(try await emitter.emit(snapshot, force: false) == 0)
        #expect(try await emitter.emit(snapshot, force: true) == 2)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path("out")).sorted()
        #expect(names == ["tasks-social-worker.csv", "tasks-social-worker.json"])
        let empty = BoardSnapshot(version: 2, asOf: "2025-01-01", tasks: [], alerts: [], openCases: [])
        #expect(try await emitter.emit(empty, force: false) == 2)
        let json = try String(contentsOfFile: directory.path("out/tasks-social-worker.json"), encoding: .utf8)
        #expect(json.contains("\"tasks\": []"))
    }
}
