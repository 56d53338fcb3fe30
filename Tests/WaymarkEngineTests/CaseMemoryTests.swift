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

    /// The handling scratch (the moment, the cascade, the FEEL caches) is made when a case runs and let
    /// go when it returns, so a case at rest is its record alone.
    @Test func aCaseAtRestCarriesNoHandlingScratch() throws {
        #expect(MemoryLayout<CaseState>.stride <= 200)
        let events = [
            F.event("a1", "C1", "referral.received", "2025-03-03T09:00"),
            F.event("a2", "C1", "visit.recorded", "2025-03-04T09:00"),
        ]
        let (engine, _) = F.run(F.definitions(), events, asOf: "2025-03-10")
        let c1 = engine.cases[Int(try #require(engine.caseNumber("C1")))]
        #expect(!c1.tasks.isEmpty)
        #expect(!c1.hasScratch)
        #expect(c1.pending.isEmpty && c1.scopeCache == nil)
    }

    /// A copy of a case made while its scratch is in use does not share it: a case stays a value.
    @Test func aCopyOfACaseDoesNotShareItsScratch() {
        var a = CaseState(id: "C1")
        a.now = Moment(epochNanoseconds: 1)
        a.depth = 2
        var b = a
        b.now = Moment(epochNanoseconds: 5)
        b.depth = 3
        #expect(a.now == Moment(epochNanoseconds: 1) && a.depth == 2)
        #expect(b.now == Moment(epochNanoseconds: 5) && b.depth == 3)
    }

    /// The evaluation scope, its table functions and the values of the last evaluation go with the
    /// scratch: the functions hold the values they read, and when the scope held both, every case's
    /// last scope outlived it.
    @Test func theEvaluationScopeGoesWithTheScratch() throws {
        let compiled = CompiledDefinitions(DecisionTableTests.definitions())
        #expect(!compiled.feelTables.isEmpty)
        var c = CaseState(id: "C1")
        c.scopeDefinitions = EngineDefinitions(versions: [compiled])
        c.now = Moment(epochNanoseconds: 0)
        weak var scope: EvaluationScope?
        weak var bindings: ScopeBindings?
        do {
            let (made, environment) = c.evaluationScope(compiled.defaultCalendar, tables: true)
            #expect(environment.functions.keys.sorted() == ["crisis level"])
            made.bindings.values[2] = .context(FEELContext([("school", .string("kept until the next evaluation"))]))
            scope = made
            bindings = made.bindings
        }
        #expect(scope != nil && bindings != nil)
        c = CaseState(id: "C2")
        #expect(scope == nil && bindings == nil)
    }

    /// An alert shares its rule, severity and place with every alert of its action, and its id is made
    /// when read: ids stay unique in a case, `#2` for a second alert of one rule and trigger.
    @Test func alertsShareTheirSiteAndMakeUniqueIdsWhenRead() throws {
        #expect(MemoryLayout<AlertState>.stride <= 64)
        let rule = F.rule(
            "twice", on: ["visit.recorded"], then: [F.alert("First {{ event.id }}"), F.alert("Second", .low)])
        let events = [
            F.event("a1", "C1", "referral.received", "2025-03-03T09:00"),
            F.event("v1", "C1", "visit.recorded", "2025-03-04T09:00"),
            F.event("v2", "C1", "visit.recorded", "2025-03-05T09:00"),
        ]
        let (engine, report) = F.run(F.definitions(rules: [rule]), events, asOf: "2025-03-10")
        #expect(
            report.alerts.map(\.id).sorted() == ["C1/twice/v1", "C1/twice/v1#2", "C1/twice/v2", "C1/twice/v2#2"])
        #expect(report.alerts.map(\.severity).sorted { $0.rawValue < $1.rawValue } == [.high, .high, .low, .low])
        let c1 = engine.cases[Int(try #require(engine.caseNumber("C1")))]
        #expect(c1.alerts[0].site === c1.alerts[2].site)
        #expect(c1.alerts[0].site !== c1.alerts[1].site)
        let raised = HistoryItem.emitted(at: c1.alerts[3].at, subject: 3, stage: -1, .alertRaised)
        #expect(c1.emittedID(raised) == "alert.raised:C1/twice/v2#2")
    }

    /// A message whose placeholders are all `case.id` is written when read, not kept with each
    /// alert; one with any other placeholder is written when the alert is raised. The report shows
    /// the same words either way, and so does `event.data.message` of the `alert.raised` it emits.
    @Test func aMessageOfTheCaseIdAloneIsWrittenWhenRead() throws {
        func alert(_ parts: [MessageTemplate.Part]) -> Action {
            .alert(
                AlertTemplate(
                    severity: .high, message: MessageTemplate(source: "", location: F.at(1), parts: parts),
                    location: F.at(7, "rules/escalation.yaml")))
        }
        let e = DecisionTableTests.expression
        let seen = F.rule(
            "seen", on: ["visit.recorded"],
            then: [
                alert([.text("Case "), .expression(e(" case.id ")), .text(" seen, again "), .expression(e("case.id"))]),
                alert([.text("Visit "), .expression(e("event.id")), .text(" for "), .expression(e("case.id"))]),
            ])
        let echo = Rule(
            id: "echo", title: nil, trigger: .events(["alert.raised"]), pathway: nil,
            when: e(#"event.data.rule = "seen""#),
            then: [alert([.text("Echo: "), .expression(e("event.data.message"))])],
            location: F.at(3, "rules/escalation.yaml"))
        let events = [
            F.event("a1", "C1", "referral.received", "2025-03-03T09:00"),
            F.event("v1", "C1", "visit.recorded", "2025-03-04T09:00"),
        ]
        let (engine, report) = F.run(F.definitions(rules: [seen, echo]), events, asOf: "2025-03-10")
        #expect(
            report.alerts.map(\.message).sorted() == [
                "Case C1 seen, again C1", "Echo: Case C1 seen, again C1", "Echo: Visit v1 for C1", "Visit v1 for C1",
            ])
        let c1 = engine.cases[Int(try #require(engine.caseNumber("C1")))]
        let kept = c1.alerts.filter { $0.rule == "seen" }.map(\.writtenMessage)
        #expect(kept == ["", "Visit v1 for C1"])
    }

    /// A finished task's overdue check and the deadline of a stage the case has left are dropped, not
    /// kept to wake the case for nothing; the open work keeps its checks.
    @Test func timersThatCanNoLongerFireAreDropped() throws {
        let events = [
            F.event("r1", "C1", "referral.received", "2025-03-03T09:00"),
            F.event("d1", "C1", "referral.decided", "2025-03-03T11:00"),
            F.event("a1", "C1", "referral.accepted", "2025-03-04T09:00"),
        ]
        func timers(after count: Int) throws -> [CaseTimer.Kind] {
            var engine = Engine(definitions: F.definitions())
            engine.ingest(Array(events.prefix(count)))
            engine.advance(to: Moment(epochNanoseconds: events[count - 1].at.epochNanoseconds + 1))
            return engine.cases[Int(try #require(engine.caseNumber("C1")))].timers.map(\.kind)
        }
        func describe(_ kinds: [CaseTimer.Kind]) -> [String] {
            kinds.map {
                switch $0 {
                case .overdue(let t): "overdue \(t)"
                case .breach(let e, let entry): "breach \(e)/\(entry)"
                case .daily: "daily"
                }
            }
        }
        // Referred: the decision is due and the referral stage has its 5-working-day deadline.
        #expect(describe(try timers(after: 1)) == ["overdue 0", "breach 0/1"])
        // Decided: its check goes; the deadline stays while the case is in the stage.
        #expect(describe(try timers(after: 2)) == ["breach 0/1"])
        // Accepted: the referral stage's deadline goes, the conference task's check comes.
        #expect(describe(try timers(after: 3)) == ["overdue 1"])
    }

    /// An event id holding `#` could make an alert id another alert already has: ids are still unique.
    @Test func alertIdsStayUniqueWhenAnEventIdLooksLikeANumberedOne() {
        let rule = F.rule("twice", on: ["visit.recorded"], then: [F.alert("First"), F.alert("Second")])
        let events = [
            F.event("a1", "C1", "referral.received", "2025-03-03T09:00"),
            F.event("v1", "C1", "visit.recorded", "2025-03-04T09:00"),
            F.event("v1#2", "C1", "visit.recorded", "2025-03-05T09:00"),
        ]
        let (_, report) = F.run(F.definitions(rules: [rule]), events, asOf: "2025-03-06")
        #expect(
            report.alerts.map(\.id).sorted() == [
                "C1/twice/v1", "C1/twice/v1#2", "C1/twice/v1#2#2", "C1/twice/v1#2#3",
            ])
    }

    /// A rule id holding `/` can make the id of another rule's alert (`a/b` on event `c`, `a` on event
    /// `b/c`): the second is numbered `#2`. Trigger keys that hold `/` with plain rule ids (an alert
    /// on an emitted event, whose id names a task) are counted by rule and key, and number the same.
    @Test func alertIdsStayUniqueWhenIdsHoldSlashes() throws {
        let events = [
            F.event("a1", "C1", "referral.received", "2025-03-03T09:00"),
            F.event("c", "C1", "visit.recorded", "2025-03-04T09:00"),
            F.event("b/c", "C1", "visit.recorded", "2025-03-05T09:00"),
        ]
        let slashed = [
            F.rule("a/b", on: ["visit.recorded"], then: [F.alert("x")]),
            F.rule("a", on: ["visit.recorded"], then: [F.alert("y")]),
        ]
        let (_, report) = F.run(F.definitions(rules: slashed), events, asOf: "2025-03-06")
        #expect(report.alerts.map(\.id).sorted() == ["C1/a/b/b/c", "C1/a/b/c", "C1/a/b/c#2", "C1/a/c"])
        let onTasks = F.rule("raised", on: ["task.raised"], then: [F.alert("First"), F.alert("Second")])
        let (_, tasks) = F.run(F.definitions(rules: [onTasks]), Array(events.prefix(1)), asOf: "2025-03-04")
        let key = "task.raised:C1/right-balance/referral/decide-referral/1"
        #expect(tasks.alerts.map(\.id).sorted() == ["C1/raised/\(key)", "C1/raised/\(key)#2"])
    }

    /// A case's lists grow by a quarter, not by doubling: never more than a quarter (or 4) empty.
    @Test func listsGrowByAQuarter() {
        var list: [Int] = []
        for n in 0..<1_000 {
            list.makeRoomForOneMore()
            list.append(n)
            #expect(list.capacity <= list.count + max(4, list.count / 4) + 2, "\(list.count)")
        }
        #expect(list == Array(0..<1_000))
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

    /// A case at rest keeps its facts packed, and a run unpacks them first: a rule sees facts recorded
    /// before the case last rested together with new ones, and the case detail shows them all. Facts
    /// holding a value JSON cannot (a FEEL date, built in Swift) are kept as they are.
    @Test func factsArePackedAtRestAndReadTheSameAfterwards() throws {
        func event(_ id: String, _ type: String, _ at: String, _ facts: FEELContext) -> Event {
            Event(id: id, caseID: "C1", type: type, at: Moment.parse(at, zone: F.zone)!, facts: facts, data: nil)
        }
        func context(_ key: String, _ inner: String, _ value: FEELValue) -> FEELContext {
            FEELContext([(key, .context(FEELContext([(inner, value)])))])
        }
        var rule = F.rule("absent", on: ["visit.recorded"], then: [F.alert("Absent and known")])
        let condition = "facts.school.attendance <= 0.9 and facts.child.known"
        rule.when = Expression(
            source: condition, location: F.at(4, "rules/escalation.yaml"),
            compiled: try FEELExpression(condition, names: Expression.scopeNames))
        var engine = Engine(definitions: F.definitions(rules: [rule]))
        engine.ingest([
            event("r1", "referral.received", "2025-03-03T09:00", context("school", "attendance", .number(0.85)))
        ])
        engine.advance(to: engine.endOfDay(F.date("2025-03-03")))
        let index = Int(try #require(engine.caseNumber("C1")))
        guard case .packed = engine.cases[index].factsStorage else {
            Issue.record("the facts of a case at rest are not packed")
            return
        }
        engine.ingest([event("v1", "visit.recorded", "2025-03-04T09:00", context("child", "known", .boolean(true)))])
        engine.advance(to: engine.endOfDay(F.date("2025-03-04")))
        #expect(engine.report(openOnly: false).alerts.map(\.id) == ["C1/absent/v1"])
        let shown = try #require(engine.caseDetail("C1")).facts
        #expect(feelText(.context(shown)) == #"{school: {attendance: 0.85}, child: {known: true}}"#)
        // A date is not a JSON value: those facts stay FEEL values at rest.
        engine.ingest([
            event("v2", "visit.recorded", "2025-03-05T09:00", context("plan", "agreed", .date(F.date("2025-03-05"))))
        ])
        engine.advance(to: engine.endOfDay(F.date("2025-03-05")))
        guard case .values(let kept) = engine.cases[index].factsStorage else {
            Issue.record("facts holding a date were packed")
            return
        }
        #expect(feelText(.context(kept)).contains("plan: {agreed: 2025-03-05}"))
    }

    /// Applied events' facts and data go into the case's one packed list and read back the same; one
    /// holding a value JSON cannot (a FEEL date, built in Swift) stays loose, and a late event
    /// replays both kinds to the outcome of an in-order run.
    @Test func appliedEventsArePackedIntoOneListAndTheLooseOnesGo() throws {
        func event(_ id: String, _ caseID: String, _ type: String, _ at: String, facts: FEELContext?) -> Event {
            var e = F.event(id, caseID, type, at, data: FEELContext([("source", .string("school \(id)"))]))
            e.facts = facts
            return e
        }
        let child = FEELContext([("child", .context(FEELContext([("birth_date", .string("2012-04-01"))])))])
        let dated = FEELContext([("seen", .date(F.date("2025-03-04")))])
        let events = [
            event("a1", "C1", "referral.received", "2025-03-03T09:00", facts: child),
            event("a2", "C1", "visit.recorded", "2025-03-04T09:00", facts: nil),
            event("b1", "C2", "referral.received", "2025-03-03T09:00", facts: child),
            event("b2", "C2", "visit.recorded", "2025-03-04T09:00", facts: dated),
        ]
        var (engine, _) = F.run(F.definitions(), events, asOf: "2025-03-10")
        let c1 = engine.cases[Int(try #require(engine.caseNumber("C1")))]
        #expect(c1.looseContents.isEmpty && c1.looseCount == 0)
        #expect(!c1.packedContents.isEmpty && c1.events.allSatisfy { !$0.isLoose })
        let c2 = engine.cases[Int(try #require(engine.caseNumber("C2")))]
        #expect(c2.looseCount == 1 && c2.events.map(\.isLoose) == [false, true])
        for (c, originals) in [(c1, events[0..<2]), (c2, events[2..<4])] {
            for (stored, original) in zip(c.events, originals) {
                let (facts, data) = c.contents(stored)
                #expect(facts.map { feelText(.context($0)) } == original.facts.map { feelText(.context($0)) })
                #expect(data.map { feelText(.context($0)) } == original.data.map { feelText(.context($0)) })
            }
        }

        let late = event("z0", "C2", "referral.accepted", "2025-03-03T12:00", facts: nil)
        engine.ingest([late])
        engine.advance(to: engine.endOfDay(F.date("2025-03-10")))
        let inOrder = F.run(F.definitions(), events + [late], asOf: "2025-03-10").1
        #expect(engine.report(openOnly: false).json() == inOrder.json())
        #expect(engine.report(openOnly: false).cases.map(\.stage) == ["referral", "fgc"])
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
        let closed = engine.cases[Int(try #require(engine.caseNumber("C1")))]
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
