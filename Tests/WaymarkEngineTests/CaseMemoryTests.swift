import Testing
import WaymarkFEEL
import WaymarkModel

@testable import WaymarkEngine

/// The engine keeps every case in memory, so the size of what a case holds is part of its design:
/// these tests pin what was made small, and check that making it small changed no outcome.
@Suite struct CaseMemoryTests {
    typealias F = Fixtures

    @Test func aHistoryEntryIsSixteenBytesAndATaskFortyEight() {
        #expect(MemoryLayout<HistoryItem>.stride == 16)
        #expect(MemoryLayout<TaskState>.stride == 48)
    }

    @Test func shrinkingKeepsTheElementsAndGivesBackTheRoom() {
        var list: [Int] = []
        list.reserveCapacity(1_000)
        list.append(contentsOf: 1...10)
        list.shrinkToFit()
        #expect(list == Array(1...10))
        #expect(list.capacity < 20)
        var empty: [Int] = []
        empty.reserveCapacity(100)
        empty.shrinkToFit()
        #expect(empty.capacity == 0)
    }

    @Test func packedFactsAndDataKeepNoSpareRoom() throws {
        let facts = FEELContext([("child", .context(FEELContext([("birth_date", .string("2012-04-01"))])))])
        let data = FEELContext([("source", .string("school"))])
        let bytes = try #require(PackedValues.pack(facts, data))
        #expect(bytes.capacity < bytes.count + 16)
        let (f, d) = PackedValues.unpack(bytes)
        #expect(f.map { feelText(.context($0)) } == feelText(.context(facts)))
        #expect(d.map { feelText(.context($0)) } == feelText(.context(data)))
    }

    /// A referral followed by 40 visits and a decision: enough history for doubling to leave room.
    static func events(_ caseID: String, decision: String, from n: Int = 0) -> [Event] {
        var events = [F.event("\(caseID)-r", caseID, "referral.received", "2025-03-03T09:00")]
        for i in 0..<40 {
            events.append(F.event("\(caseID)-v\(i)", caseID, "visit.recorded", "2025-03-04T09:\(10 + i)"))
        }
        events.append(F.event("\(caseID)-d", caseID, decision, "2025-03-05T10:00"))
        return events
    }

    @Test func aCaseWithNoOpenEnrolmentIsCutToSizeAndStillTakesAReReferral() throws {
        let events = Self.events("C1", decision: "referral.declined") + Self.events("C2", decision: "referral.accepted")
        var (engine, report) = F.run(F.definitions(), events, asOf: "2025-03-31")
        #expect(report.cases.map(\.stage) == ["closed", "fgc"])
        let closed = engine.cases[Int(try #require(engine.caseIndex["C1"]))]
        #expect(closed.history.count > 40)
        #expect(closed.history.capacity <= closed.history.count + 2 + closed.history.count / 16)
        #expect(closed.events.capacity <= closed.events.count + 2 + closed.events.count / 16)

        // Re-referred after it was cut to size, the case opens again and raises its first task.
        engine.ingest([F.event("C1-r2", "C1", "referral.received", "2025-04-01T09:00")])
        engine.advance(to: engine.endOfDay(F.date("2025-04-01")))
        let tasks = engine.report(openOnly: true).tasks.filter { $0.caseID == "C1" }
        #expect(tasks.map(\.key) == ["decide-referral"])
        #expect(tasks.map(\.due) == [F.date("2025-04-02")])
        #expect(tasks[0].because.contains("referral.received (event C1-r2 at 2025-04-01T09:00"))
    }
}
