import Foundation
import Testing
import WaymarkFEEL
import WaymarkModel
import WaymarkTestSupport

@testable import WaymarkEngine

@Suite struct RunReportTests {
    typealias F = Fixtures

    static let events = [
        F.event("e1", "C-2", "referral.received", "2025-01-03T10:00:00Z"),
        F.event("e2", "C-1", "referral.received", "2025-01-06T09:00:00Z"),
        F.event("e3", "C-1", "referral.accepted", "2025-01-07T09:00:00Z"),
        F.event("e4", "C-2", "referral.declined", "2025-01-08T09:00:00Z"),
        F.event("e5", "C-1", "fgc.held", "2025-01-20T09:00:00Z"),
        F.event("e6", "C-3", "referral.received", "2025-01-20T09:00:00Z"),
    ]

    @Test func jsonHasTheSpecShapeAndOrder() {
        let report = F.run(F.definitions(), Self.events, asOf: "2025-01-21").1
        let json = report.json()
        #expect(json.hasPrefix("{\n  \"as_of\": \"2025-01-21\",\n  \"tasks\": [\n    {\"id\": "))
        // Tasks by due date, then case: C-2's decision was due first.
        #expect(
            report.tasks.map(\.id) == [
                "C-2/right-balance/referral/decide-referral/1", "C-1/right-balance/referral/decide-referral/1",
                "C-3/right-balance/referral/decide-referral/1", "C-1/right-balance/fgc/arrange-fgc/1",
            ])
        #expect(
            json.contains(
                "{\"case\": \"C-1\", \"pathway\": \"right-balance\", \"version\": 1, \"stage\": \"plan\", "
                    + "\"since\": \"2025-01-20T09:00:00+00:00\", \"closed\": null}"))
        #expect(
            json.contains(
                "{\"id\": \"C-1/right-balance/fgc/arrange-fgc/1\", \"case\": \"C-1\", \"pathway\": \"right-balance\", "
                    + "\"stage\": \"fgc\", \"key\": \"arrange-fgc\", \"title\": \"Do arrange-fgc\", "
                    + "\"role\": \"fgc-coordinator\", \"raised\": \"2025-01-07T09:00:00+00:00\", \"due\": \"2025-01-28\", "
                    + "\"status\": \"done\", \"done\": \"2025-01-20T09:00:00+00:00\", \"because\": "))
        #expect(json.hasSuffix("\n  ]\n}\n"))
    }

    @Test func shuffledArrivalGivesByteIdenticalJSON() {
        let reference = F.run(F.definitions(), Self.events, asOf: "2025-02-01").1.json()
        var generator = SplitMix(seed: 7)
        for _ in 0..<10 {
            let shuffled = Self.events.shuffled(using: &generator)
            #expect(F.run(F.definitions(), shuffled, asOf: "2025-02-01").1.json() == reference)
        }
    }

    @Test func openOnlyKeepsOpenAndOverdue() {
        var engine = Engine(definitions: F.definitions())
        engine.ingest(Self.events)
        engine.advance(to: engine.endOfDay(F.date("2025-01-21")))
        let open = engine.report(openOnly: true)
        #expect(open.tasks.allSatisfy { $0.status == .open || $0.status == .overdue })
        #expect(open.tasks.count == 1)
        #expect(open.tasks[0].caseID == "C-3")
    }

    @Test func csvQuotesFieldsThatNeedIt() {
        #expect(RunReport.csvField("plain") == "plain")
        #expect(RunReport.csvField("a, b") == "\"a, b\"")
        #expect(RunReport.csvField("say \"hi\"") == "\"say \"\"hi\"\"\"")
        let report = F.run(F.definitions(), Self.events, asOf: "2025-01-21").1
        let lines = report.csv().components(separatedBy: "\r\n")
        #expect(lines[0] == "id,case,pathway,stage,key,title,role,raised,due,status,done,because")
        #expect(lines.count == report.tasks.count + 2)
    }

    /// C-3's decision goes overdue; C-4's, referred on the as-of day, is still open.
    static let tableEvents = events + [F.event("e7", "C-4", "referral.received", "2025-01-23T09:00:00Z")]

    @Test func tableGroupsByRoleWithOverdueFirst() throws {
        let report = F.run(F.definitions(), Self.tableEvents, asOf: "2025-01-23").1
        let table = report.table()
        let duty = try #require(table.range(of: "duty-social-worker: "))
        let fgc = try #require(table.range(of: "fgc-coordinator: "))
        #expect(duty.lowerBound < fgc.lowerBound)
        let overdueRow = try #require(table.range(of: "\n  OVERDUE ", range: duty.upperBound..<fgc.lowerBound))
        let openRow = try #require(table.range(of: "\n  OPEN ", range: duty.upperBound..<fgc.lowerBound))
        #expect(overdueRow.lowerBound < openRow.lowerBound)
        #expect(table[overdueRow.upperBound...].hasPrefix(" 2025-01-21  2 days late  C-3 "))
        // Finished work is counted in the role's heading, not listed.
        #expect(table.contains("duty-social-worker: 1 overdue, 1 open (2 cancelled)"))
        #expect(table.contains("fgc-coordinator: 0 overdue, 0 open (1 done)\n  Nothing to do."))
        #expect(!table.contains("\n  DONE "))
        #expect(table.contains("why: Raised when the case entered stage referral"))
    }

    @Test func tableLimitKeepsTheMostUrgentRows() throws {
        let report = F.run(F.definitions(), Self.tableEvents, asOf: "2025-01-23").1
        let table = report.table(limit: 1)
        let duty = try #require(table.range(of: "duty-social-worker: "))
        let rest = table[duty.upperBound...]
        #expect(rest.contains("OVERDUE"))
        #expect(!rest.contains("\n  OPEN "))
        #expect(rest.contains("… and 1 more for duty-social-worker"))
    }

    /// A list longer than a batch is written in several batches on several threads: the text must be
    /// the same as on one thread, and valid JSON with every record once, in order.
    @Test func aLongListIsWrittenInBatchesWithTheSameText() throws {
        let count = RunReport.recordsPerBatch * 2 + 1000
        let tasks = (0..<count).map { i in
            TaskRecord(
                id: "C-\(i)/p/s/k/1", caseID: "C-\(i)", pathway: i % 3 == 0 ? nil : "p", stage: "s", key: "k",
                title: "Title \"\(i)\"", role: "r", raised: Moment(epochSeconds: 1_736_000_000),
                due: FEELDate(year: 2025, month: 1, day: 1).addingDays(i % 400), status: .open, done: nil,
                because: "line\nbreak \(i)")
        }
        let report = RunReport(asOf: FEELDate(year: 2026, month: 1, day: 1), tasks: tasks, alerts: [], cases: [])
        var pieces = 0
        report.writeJSON(workers: 4) { _ in pieces += 1 }
        #expect(pieces > 8)
        let single = report.json(workers: 1)
        #expect(report.json(workers: 4) == single)
        let parsed = try JSONSerialization.jsonObject(with: Data(single.utf8)) as? [String: Any]
        let ids = (parsed?["tasks"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
        #expect(ids == report.tasks.map(\.id))
        #expect(ids?.count == count)
    }

    /// The stream (records made only as their batch is written) writes the report's text byte for
    /// byte, over more than one batch and on several threads, with open tasks only as well, and it
    /// keeps the cases as they were when it was made.
    @Test func theStreamWritesTheReportsJSON() {
        let rules = [F.rule("noted", on: ["referral.received"], then: [F.alert("Referred")])]
        var engine = Engine(definitions: F.definitions(rules: rules))
        engine.workers = 2
        // Enough cases for the stream to gather them in more than one chunk on two threads.
        let count = 5_000
        // Case ids out of their numeric order, due dates and moments spread, some cases moved on.
        var events = (0..<count).map { i in
            F.event(
                "r\(i)", "C-\((i * 7919) % count)", "referral.received", "2025-01-\(10 + i % 5)T09:\(10 + i % 40):00Z")
        }
        events += (0..<300).map { i in
            F.event(
                "a\(i)", "C-\(i * 3)", i % 2 == 0 ? "referral.accepted" : "referral.declined", "2025-01-16T10:00:00Z")
        }
        engine.ingest(events)
        engine.advance(to: engine.endOfDay(F.date("2025-01-31")))
        #expect(ParallelChunks.bounds(count: count, workers: 2).count > 1)
        let stream = engine.reportStream(openOnly: false)
        #expect(stream.taskCount > count && stream.alertCount > count && stream.enrolmentCount == count)
        // Batches of 1,000 records: each list is written in several.
        let text = stream.json(workers: 2, batch: 1_000)
        #expect(text == engine.report(openOnly: false).json(workers: 1))
        #expect(stream.json(workers: 1) == text)
        #expect(text.contains("\"because\": \"Rule noted fired on referral.received (event r7 at 2025-01-12T09:17"))
        #expect(
            engine.reportStream(openOnly: true).json(workers: 2, batch: 700) == engine.report(openOnly: true).json())

        // A late event for C-0 (referred on the 10th) replays it; the stream already made does not change.
        engine.ingest([F.event("d1", "C-0", "referral.declined", "2025-01-12T10:00:00Z")])
        engine.advance(to: engine.endOfDay(F.date("2025-01-31")))
        #expect(stream.json(workers: 2) == text)
        #expect(engine.reportStream(openOnly: false).json(workers: 2) != text)
    }

    /// Long lists are sorted in runs on several threads and merged: the order must be the one the
    /// comparison gives, whatever the number of threads.
    @Test func aLongListIsSortedTheSameOnSeveralThreads() {
        var generator = SplitMix(seed: 42)
        let records = (0..<20_000).map { i in
            TaskRecord(
                id: "C-\(i % 997)/p/s/k/\(i)", caseID: "C-\(i % 997)", pathway: "p", stage: "s", key: "k\(i % 3)",
                title: "t", role: "r", raised: Moment(epochSeconds: 1_736_000_000),
                due: FEELDate(year: 2025, month: 1, day: 1).addingDays(i % 50), status: .open, done: nil, because: "")
        }.shuffled(using: &generator)
        let expected = records.sorted(by: RunReport.taskOrder).map(\.id)
        for workers in [1, 2, 4] {
            let report = RunReport(
                asOf: FEELDate(year: 2026, month: 1, day: 1), tasks: records, alerts: [], cases: [], workers: workers)
            let actual = report.tasks.map(\.id)
            #expect(actual.count == expected.count)
            let firstDifference = zip(actual, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            #expect(firstDifference == nil, "\(workers) threads: first difference at position \(firstDifference ?? -1)")
        }
    }

    /// The stream's positions are sorted in place, in chunks on several threads merged pairwise:
    /// the same order as one sort, and among positions the comparison cannot tell apart, the order
    /// they came in (as ``RunReport/sorted(_:workers:by:)`` keeps it).
    @Test func theStreamsPositionsAreSortedInPlaceTheSameOnSeveralThreads() {
        var generator = SplitMix(seed: 7)
        // Few distinct keys, so that most comparisons reach the tie and many positions are equal.
        var refs: [ReportStream.Ref] = []
        for i in 0..<20_000 {
            let n = Int32(i)
            refs.append(ReportStream.Ref(first: Int64(n % 40), rank: n % 17, index: n))
        }
        refs.shuffle(using: &generator)
        let tie: @Sendable (ReportStream.Ref, ReportStream.Ref) -> Bool = { $0.index % 13 < $1.index % 13 }
        let once: [ReportStream.Ref] = RunReport.sorted(refs, workers: 1) {
            (r: UnsafeBufferPointer<ReportStream.Ref>, i: Int, j: Int) -> Bool in
            let (a, b) = (r[i], r[j])
            if a.first != b.first { return a.first < b.first }
            if a.rank != b.rank { return a.rank < b.rank }
            return tie(a, b)
        }
        let expected = once.map { $0.index }
        for workers in [1, 2, 3, 4] {
            var sorted = refs
            ReportStream.sort(&sorted, workers: workers, tie: tie)
            let actual = sorted.map { $0.index }
            let firstDifference = zip(actual, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            #expect(actual.count == expected.count)
            #expect(firstDifference == nil, "\(workers) threads: first difference at position \(firstDifference ?? -1)")
        }
        // More than one chunk was merged at two or more threads.
        #expect(ParallelChunks.bounds(count: refs.count, workers: 2).count > 1)
    }
}
