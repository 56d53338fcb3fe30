import Foundation
import Testing

@Suite struct RunCommandTests {
    static let calendar = """
        calendar: england-and-wales
        time_zone: Europe/London
        working_days: [mon, tue, wed, thu, fri]
        holidays: []
        """

    static let pathway = """
        pathway: demo
        version: 1
        title: Demo
        calendar: england-and-wales
        enrol:
          on: referral.received
        start: referral
        stages:
          referral:
            tasks:
              - { key: decide, title: Decide on the referral, role: duty-social-worker, due: 1 working day,
                  done_on: referral.decided }
            transitions:
              - { on: referral.decided, when: event.data.decision = "accept", to: plan }
              - { on: referral.decided, to: closed }
          plan:
            tasks:
              - { key: write-plan, title: Write the plan, role: social-worker, due: 10 working days, done_on: plan.agreed }
            transitions:
              - { on: case.closed, to: closed }
          closed:
            final: true
        """

    /// Three children: C-1 accepted and planning, C-2 undecided (overdue by the end), C-3 referred
    /// on the last day (its decision still open).
    static let events = [
        #"{"id": "e1", "case": "C-1", "type": "referral.received", "at": "2025-01-06T10:00:00Z"}"#,
        #"{"id": "e2", "case": "C-2", "type": "referral.received", "at": "2025-01-06T11:00:00Z"}"#,
        #"{"id": "e3", "case": "C-1", "type": "referral.decided", "at": "2025-01-07T09:00:00Z", "data": {"decision": "accept"}}"#,
        #"{"id": "e4", "case": "C-1", "type": "note.added", "at": "2025-01-08T09:00:00Z"}"#,
        #"{"id": "e5", "case": "C-3", "type": "referral.received", "at": "2025-01-10T15:30:00Z"}"#,
    ]

    /// The definitions with one events file per ordering (`events-0.jsonl`, ...).
    func folder(events orders: [String]...) throws -> TempDefinitions {
        var files = ["workflows/calendars/ew.yaml": Self.calendar, "workflows/demo.yaml": Self.pathway]
        for (i, lines) in orders.enumerated() { files["events-\(i).jsonl"] = lines.joined(separator: "\n") + "\n" }
        return try TempDefinitions(files)
    }

    func run(
        _ folder: TempDefinitions, _ arguments: [String], file: Int = 0, environment: [String: String] = [:],
        standardOutput: FileHandle? = nil
    ) throws -> CLIRunner.Output {
        try CLIRunner.run(
            ["run", folder.root.appendingPathComponent("events-\(file).jsonl").path, "--definitions", folder.root.path]
                + arguments, environment: environment, standardOutput: standardOutput)
    }

    /// Output that cannot be written (here a full disk, as `/dev/full` always is) stops the run with
    /// the reason and a failing status, in every format.
    @Test func outputThatCannotBeWrittenIsReported() throws {
        let f = try folder(events: Self.events)
        for format in ["json", "csv", "table"] {
            let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
            let result = try run(f, ["--format", format], standardOutput: full)
            #expect(result.status == 2, "\(format)")
            #expect(result.stderr.contains("cannot write the task list to standard output: No space left on device"))
        }
        // The other commands that print to standard output stop the same way.
        for (command, arguments) in [
            ("check", ["check", "--definitions", f.root.path]),
            ("graph", ["graph", "demo", "--definitions", f.root.path]),
            ("simulate", ["simulate", "--cases", "2", "--seed", "1", "--from", "2025-01-01", "--to", "2025-02-01"]),
        ] {
            let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
            let result = try CLIRunner.run(arguments, standardOutput: full)
            #expect(result.status == 2, "\(command)")
            #expect(
                result.stderr.contains("waymark \(command): cannot write to standard output: No space left on device"),
                "\(result.stderr)")
        }
    }

    @Test func aMalformedLineIsNamedWithItsLineAndFieldAndNothingIsApplied() throws {
        var lines = Self.events
        lines[1] = #"{"id": "e2", "type": "referral.received", "at": "2025-01-06T11:00:00Z"}"#
        lines[3] = #"{"id": "e4", "case": "C-1", "type": "note.added", "at": "the eighth"}"#
        let f = try folder(events: lines)
        let result = try run(f, ["--format", "json"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("events-0.jsonl:2: case: "))
        #expect(result.stderr.contains("events-0.jsonl:4: at: "))
        #expect(result.stderr.contains("nothing was applied"))
        #expect(!result.stderr.contains("events-0.jsonl:1:"))
    }

    /// JSON and CSV keep the records of cases already run in a temporary file: where none can be
    /// made, the run stops with the reason and prints nothing.
    @Test func aTemporaryFolderThatCannotBeWrittenIsReported() throws {
        let f = try folder(events: Self.events)
        for format in ["json", "csv"] {
            let result = try run(f, ["--format", format], environment: ["TMPDIR": "/nonexistent/waymark"])
            #expect(result.status == 2)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.contains("cannot make a temporary file in /nonexistent/waymark"))
            let fine = try run(f, ["--format", format])
            #expect(fine.status == 0)
            #expect(fine.stdout.contains("C-2"))
        }
    }

    @Test func theSameEventsShuffledPrintIdenticalJSON() throws {
        let orders = [[0, 1, 2, 3, 4], [4, 3, 2, 1, 0], [2, 0, 4, 1, 3], [3, 1, 0, 4, 2]]
        let f = try folder(
            events: orders[0].map { Self.events[$0] }, orders[1].map { Self.events[$0] },
            orders[2].map { Self.events[$0] }, orders[3].map { Self.events[$0] })
        let inOrder = try run(f, ["--format", "json", "--as-of", "2025-01-20"])
        #expect(inOrder.status == 0)
        #expect(inOrder.stdout.contains("\"as_of\": \"2025-01-20\""))
        #expect(inOrder.stdout.contains("\"status\": \"done\""))
        for file in 1..<orders.count {
            let shuffled = try run(f, ["--format", "json", "--as-of", "2025-01-20"], file: file)
            #expect(shuffled.status == 0)
            #expect(shuffled.stdout == inOrder.stdout)
        }
    }

    @Test func withoutAsOfTheClockStopsAtTheEndOfTheLastEventsDate() throws {
        let result = try run(try folder(events: Array(Self.events.reversed())), ["--format", "json"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("{\n  \"as_of\": \"2025-01-10\","))
        // C-2's decision was due on the 7th: overdue by the 10th. C-3's is due on the 13th: open.
        #expect(result.stdout.contains(#""key": "decide", "title": "Decide on the referral""#))
        #expect(result.stdout.contains(#""due": "2025-01-07", "status": "overdue""#))
        #expect(result.stdout.contains(#""due": "2025-01-13", "status": "open""#))
    }

    @Test func theTableGroupsByRoleWithOverdueFirst() throws {
        let result = try run(try folder(events: Self.events), ["--as-of", "2025-01-10"])
        #expect(result.status == 0)
        let table = result.stdout
        #expect(table.hasPrefix("Task list as of 2025-01-10: 1 overdue and 2 open tasks"))
        let duty = try #require(table.range(of: "\nduty-social-worker: 1 overdue, 1 open (1 done)\n"))
        let social = try #require(table.range(of: "\nsocial-worker: 0 overdue, 1 open\n"))
        #expect(duty.upperBound < social.lowerBound)
        let block = table[duty.upperBound..<social.lowerBound]
        let overdue = try #require(block.range(of: "OVERDUE  2025-01-07  3 days late  C-2"))
        let open = try #require(block.range(of: "OPEN     2025-01-13  in 3 days    C-3"))
        #expect(overdue.lowerBound < open.lowerBound)
        #expect(block.contains("why: "))
    }

    @Test func csvListsEveryTaskAndOpenDropsTheFinishedOnes() throws {
        let f = try folder(events: Self.events)
        let all = try run(f, ["--format", "csv", "--as-of", "2025-01-10"])
        let open = try run(f, ["--format", "csv", "--as-of", "2025-01-10", "--open"])
        #expect(all.stdout.hasPrefix("id,case,pathway,stage,key,title,role,raised,due,status,done,because\r\n"))
        // Header, 4 tasks (one done), and the empty string after the final CRLF.
        #expect(all.stdout.components(separatedBy: "\r\n").count == 6)
        #expect(open.stdout.components(separatedBy: "\r\n").count == 5)
        #expect(!open.stdout.contains(",done,2025"))
        #expect(all.stdout.contains(",done,2025"))
    }

    @Test func aBadAsOfDateIsAUsageError() throws {
        let result = try run(try folder(events: Self.events), ["--as-of", "2025-02-30"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--as-of"))
    }
}
