import Testing
import WaymarkFEEL
import WaymarkModel
import WaymarkTestSupport

@testable import WaymarkEngine

@Suite struct EngineTests {
    typealias F = Fixtures

    @Test func enrolsAndRaisesTheFirstStageTaskDueNextWorkingDay() {
        // Friday 3 January 2025: one working day later is Monday 6 January.
        let (_, report) = F.run(
            F.definitions(), [F.event("e1", "C1", "referral.received", "2025-01-03T10:00:00Z")], asOf: "2025-01-06")
        #expect(report.cases.map(\.stage) == ["referral"])
        #expect(report.tasks.count == 1)
        let task = report.tasks[0]
        #expect(task.id == "C1/right-balance/referral/decide-referral/1")
        #expect(task.due == F.date("2025-01-06"))
        #expect(task.status == .open)
        #expect(task.role == "duty-social-worker")
        #expect(task.because.contains("referral.received"))
        #expect(task.because.contains("workflows/test.yaml:12"))
    }

    @Test func taskBecomesOverdueAtMidnightAfterItsDueDate() {
        let events = [F.event("e1", "C1", "referral.received", "2025-01-03T10:00:00Z")]
        var engine = Engine(definitions: F.definitions())
        engine.ingest(events)
        engine.advance(to: F.zone.startOfDay(F.date("2025-01-07")))
        #expect(engine.report(openOnly: true).tasks[0].status == .open)
        engine.advance(to: Moment(epochNanoseconds: F.zone.startOfDay(F.date("2025-01-07")).epochNanoseconds + 1))
        #expect(engine.report(openOnly: true).tasks[0].status == .overdue)
    }

    @Test func taskOverdueIsAnEventRulesSee() {
        let rule = F.rule("overdue-alert", on: ["task.overdue"], then: [F.alert("A task is overdue")])
        let (_, report) = F.run(
            F.definitions(rules: [rule]), [F.event("e1", "C1", "referral.received", "2025-01-03T10:00:00Z")],
            asOf: "2025-01-07")
        #expect(report.alerts.count == 1)
        #expect(report.alerts[0].rule == "overdue-alert")
        #expect(report.alerts[0].at == F.zone.startOfDay(F.date("2025-01-07")))
        #expect(report.alerts[0].id == "C1/overdue-alert/task.overdue:C1/right-balance/referral/decide-referral/1")
    }

    @Test func timerAtTheSameMomentAsAnEventFiresFirst() {
        let rule = F.rule("overdue-alert", on: ["task.overdue"], then: [F.alert("A task is overdue")])
        let events = [
            F.event("e1", "C1", "referral.received", "2025-01-03T10:00:00Z"),
            // Exactly 00:00 after the due date: the overdue timer fires before this completes the task.
            F.event("e2", "C1", "referral.decided", "2025-01-07"),
        ]
        let (_, report) = F.run(F.definitions(rules: [rule]), events, asOf: "2025-01-07")
        #expect(report.alerts.count == 1)
        #expect(report.tasks[0].status == .done)
        #expect(report.tasks[0].done == F.zone.startOfDay(F.date("2025-01-07")))
    }

    @Test func doneOnCompletesAndLateCompletionStaysDone() {
        let events = [
            F.event("e1", "C1", "referral.received", "2025-01-03T10:00:00Z"),
            F.event("e2", "C1", "referral.decided", "2025-01-09T11:00:00Z"),
        ]
        let (_, report) = F.run(F.definitions(), events, asOf: "2025-01-10")
        #expect(report.tasks[0].status == .done)
        #expect(report.tasks[0].done == Moment.parse("2025-01-09T11:00:00Z", zone: .utc))
    }

    @Test func taskCompletedEventCompletesAnyTaskByID() {
        let data = FEELContext([("task", .string("C1/right-balance/referral/decide-referral/1"))])
        let events = [
            F.event("e1", "C1", "referral.received", "2025-01-03T10:00:00Z"),
            F.event("e2", "C1", "task.completed", "2025-01-03T12:00:00Z", data: data),
        ]
        let (_, report) = F.run(F.definitions(), events, asOf: "2025-01-10")
        #expect(report.tasks[0].status == .done)
    }

    @Test func transitionCancelsStageTasksButCarriesCarriedOnes() {
        let pathway = F.pathway(referralTasks: [
            F.task("decide-referral", due: "1 working day", doneOn: ["referral.decided"]),
            F.task("check-history", due: "10 working days", doneOn: ["history.checked"], carry: true),
        ])
        let events = [
            F.event("e1", "C1", "referral.received", "2025-01-06T10:00:00Z"),
            F.event("e2", "C1", "referral.accepted", "2025-01-07T10:00:00Z"),
        ]
        let (_, report) = F.run(F.definitions(pathway), events, asOf: "2025-01-08")
        let byKey = Dictionary(uniqueKeysWithValues: report.tasks.map { ($0.key, $0) })
        #expect(byKey["decide-referral"]?.status == .cancelled)
        #expect(byKey["check-history"]?.status == .open)
        #expect(byKey["arrange-fgc"]?.status == .open)
        #expect(byKey["arrange-fgc"]?.stage == "fgc")
        #expect(report.cases[0].stage == "fgc")
        #expect(report.cases[0].since == Moment.parse("2025-01-07T10:00:00Z", zone: .utc))
        // Closing the enrolment cancels even carried tasks.
        let closed = F.run(
            F.definitions(pathway), events + [F.event("e3", "C1", "case.closed", "2025-01-09")], asOf: "2025-01-10"
        ).1
        #expect(closed.tasks.allSatisfy { $0.status == .cancelled })
        #expect(closed.cases[0].closed == F.zone.startOfDay(F.date("2025-01-09")))
        #expect(closed.cases[0].stage == "closed")
    }

    @Test func stageBreachRaisesTheHookAlertAfterTheDeadline() {
        // Entered Monday 6 January; 5 working days later is Monday 13; breached at 00:00 on the 14th.
        let events = [F.event("e1", "C1", "referral.received", "2025-01-06T10:00:00Z")]
        let before = F.run(F.definitions(), events, asOf: "2025-01-13").1
        #expect(before.alerts.isEmpty)
        let after = F.run(F.definitions(), events, asOf: "2025-01-14").1
        #expect(after.alerts.count == 1)
        #expect(after.alerts[0].rule == "right-balance:referral:on_breach")
        #expect(after.alerts[0].at == F.zone.startOfDay(F.date("2025-01-14")))
        // Leaving the stage in time means no breach.
        let left = F.run(
            F.definitions(), events + [F.event("e2", "C1", "referral.accepted", "2025-01-13T16:00:00Z")],
            asOf: "2025-01-20"
        ).1
        #expect(left.alerts.isEmpty)
    }

    @Test func workingDaysSkipChristmas() {
        let events = [F.event("e1", "C1", "referral.received", "2025-12-24T10:00:00Z")]
        let report = F.run(F.definitions(), events, asOf: "2025-12-24").1
        #expect(report.tasks[0].due == F.date("2025-12-29"))
    }

    @Test func theDateOfAMomentIsItsDateInTheCalendarZone() {
        // 23:30 UTC on Monday 30 June is 00:30 on Tuesday 1 July in London: due Wednesday 2 July.
        let events = [F.event("e1", "C1", "referral.received", "2025-06-30T23:30:00Z")]
        let report = F.run(F.definitions(), events, asOf: "2025-07-01").1
        #expect(report.tasks[0].due == F.date("2025-07-02"))
    }

    @Test func monthsClampToTheEndOfAShorterMonth() {
        let pathway = F.pathway(referralTasks: [F.task("monthly", due: "1 month")])
        let report = F.run(
            F.definitions(pathway), [F.event("e1", "C1", "referral.received", "2025-01-31T10:00:00Z")],
            asOf: "2025-02-01"
        ).1
        #expect(report.tasks[0].due == F.date("2025-02-28"))
    }

    @Test func repeatingTaskRaisesTheNextOccurrenceFromThePreviousDueDate() {
        let pathway = F.pathway(planTasks: [
            F.task("review", due: "6 weeks", doneOn: ["review.held"], repeat: "6 weeks")
        ])
        let events = [
            F.event("e1", "C1", "referral.received", "2025-01-06T10:00:00Z"),
            F.event("e2", "C1", "referral.accepted", "2025-01-06T11:00:00Z"),
            F.event("e3", "C1", "fgc.held", "2025-01-10T11:00:00Z"),
            F.event("e4", "C1", "review.held", "2025-02-03T11:00:00Z"),
        ]
        let report = F.run(F.definitions(pathway), events, asOf: "2025-02-04").1
        let reviews = report.tasks.filter { $0.key == "review" }
        #expect(reviews.map(\.id) == ["C1/right-balance/plan/review/1", "C1/right-balance/plan/review/2"])
        #expect(reviews.map(\.due) == [F.date("2025-02-21"), F.date("2025-04-04")])
        #expect(reviews.map(\.status) == [.done, .open])
    }

    /// A review done weeks late raises the next one already past its due date: it is overdue at once,
    /// and what that sets off is dated when it happened, not back at the due date.
    @Test func aRepeatRaisedPastItsDueDateIsOverdueAtOnceNotBackThen() {
        let pathway = F.pathway(planTasks: [
            F.task("review", due: "2 weeks", doneOn: ["review.held"], repeat: "2 weeks")
        ])
        let rule = F.rule("overdue-alert", on: ["task.overdue"], then: [F.alert("A task is overdue")])
        // Asked as the late review's `task.done` is handled (as a manager's review of overdue work
        // asks whether to close): the next review is overdue already.
        var stillLate = F.rule("still-late", on: ["task.done"], then: [F.alert("Work is still overdue")])
        let condition = #"some t in case.tasks satisfies t.status = "overdue""#
        stillLate.when = Expression(
            source: condition, location: F.at(4, "rules/escalation.yaml"),
            compiled: try! FEELExpression(condition, names: Expression.scopeNames))
        let events = [
            F.event("e1", "C1", "referral.received", "2025-01-06T10:00:00Z"),
            F.event("e2", "C1", "referral.accepted", "2025-01-06T11:00:00Z"),
            F.event("e3", "C1", "fgc.held", "2025-01-10T11:00:00Z"),
            // The first review was due 2025-01-24; held 2025-03-03, it raises one due 2025-02-07.
            F.event("e4", "C1", "review.held", "2025-03-03T11:00:00Z"),
        ]
        let (engine, report) = F.run(F.definitions(pathway, rules: [rule, stillLate]), events, asOf: "2025-03-03")
        let reviews = report.tasks.filter { $0.key == "review" }
        #expect(reviews.map(\.due) == [F.date("2025-01-24"), F.date("2025-02-07")])
        #expect(reviews.map(\.status) == [.done, .overdue])
        let held = Moment.parse("2025-03-03T11:00:00Z", zone: F.zone)!
        let second = report.alerts.filter { $0.id.hasSuffix("review/2") }
        #expect(second.map(\.at) == [held])
        #expect(
            report.alerts.filter { $0.rule == "still-late" }.map(\.id) == [
                "C1/still-late/task.done:C1/right-balance/plan/review/1"
            ])
        // The case's history never runs back: every entry is at or after the one before.
        let times = engine.caseDetail("C1")?.history.map(\.at) ?? []
        #expect(times == times.sorted())
        #expect(times.last == held)
    }

    @Test func aReviewThatClosesTheCaseRaisesNoNextReview() {
        var pathway = F.pathway(planTasks: [
            F.task("review", due: "6 weeks", doneOn: ["review.held", "review.closing"], repeat: "6 weeks")
        ])
        pathway.stages[2].transitions = [
            Transition(on: ["review.closing"], when: nil, to: "closed", location: F.at(33))
        ]
        let events = [
            F.event("e1", "C1", "referral.received", "2025-01-06T10:00:00Z"),
            F.event("e2", "C1", "referral.accepted", "2025-01-06T11:00:00Z"),
            F.event("e3", "C1", "fgc.held", "2025-01-10T11:00:00Z"),
            F.event("e4", "C1", "review.held", "2025-02-03T11:00:00Z"),
            F.event("e5", "C1", "review.closing", "2025-03-03T11:00:00Z"),
        ]
        let (engine, report) = F.run(F.definitions(pathway), events, asOf: "2025-03-04")
        let reviews = report.tasks.filter { $0.key == "review" }
        // The first review raised the second; the closing one raised nothing to cancel.
        #expect(reviews.map(\.status) == [.done, .done])
        let history = engine.caseDetail("C1")?.history.map(\.type) ?? []
        let afterClosing = history.drop { $0 != "review.closing" }
        #expect(afterClosing == ["review.closing", "task.done", "stage.exited", "stage.entered"])
    }

    @Test func duplicateIDsAreIgnored() {
        var engine = Engine(definitions: F.definitions())
        let first = engine.ingest([F.event("e1", "C1", "referral.received", "2025-01-06T10:00:00Z")])
        let second = engine.ingest([
            F.event("e1", "C1", "referral.received", "2025-01-06T10:00:00Z"),
            F.event("e2", "C2", "referral.received", "2025-01-06T10:00:00Z"),
        ])
        #expect(first.accepted == 1)
        #expect(second.accepted == 1)
        #expect(second.duplicates == 1)
        engine.advance(to: engine.endOfDay(F.date("2025-01-06")))
        #expect(engine.report(openOnly: false).tasks.count == 2)
    }

    /// A batch is taken a window at a time, and each window's events go into their cases on several
    /// threads: the outcome must be what one event at a time gives, duplicates included, whether a
    /// duplicate's first copy is in the same window, an earlier one or an earlier batch, and whether
    /// it names the same case or another.
    @Test func aLargeBatchOnTwoThreadsFilesEventsAsOneAtATimeDoes() throws {
        let count = 2 * Engine.ingestWindow + 5_000
        var events: [Event] = []
        var ids: [(id: String, caseID: String)] = []
        var numbers = SeededSequence(seed: 7)
        func next(_ bound: Int) -> Int { numbers.next(below: bound) }
        for n in 0..<count {
            var (id, caseID) = ("e\(n)", "C\(next(700))")
            // One in ten repeats an earlier id: from a few events back (the same window, mostly) or
            // from anywhere before (often an earlier window); half of them name another case.
            if n > 0, next(10) == 0 {
                let earlier = next(2) == 0 ? max(0, n - 1 - next(50)) : next(n)
                id = ids[earlier].id
                if next(2) == 0 { caseID = ids[earlier].caseID }
            }
            ids.append((id, caseID))
            let minute = next(60 * 24 * 30)
            events.append(
                Event(
                    id: id, caseID: caseID, type: "note.recorded",
                    at: Moment(epochNanoseconds: (1_735_689_600 + Int64(minute) * 60) * 1_000_000_000), facts: nil,
                    data: nil))
        }
        var prior = Engine(definitions: F.definitions())
        prior.ingest(Array(events[..<1_000]))
        var batched = prior
        batched.workers = 2
        let result = batched.ingest(Array(events[1_000...]))
        var single = prior
        var accepted = 0
        var duplicates = 0
        for e in events[1_000...] {
            let r = single.ingest([e])
            accepted += r.accepted
            duplicates += r.duplicates
        }
        #expect(result.accepted == accepted && result.duplicates == duplicates)
        #expect(duplicates > count / 20)
        #expect(batched.caseCount == single.caseCount)
        for c in single.cases {
            let other = batched.cases[Int(try #require(batched.caseNumber(c.id)))]
            #expect(other.events.map(\.id) == c.events.map(\.id), "case \(c.id)")
        }
        #expect(batched.lastInWindow.allSatisfy { $0 == -1 })
    }

    @Test func lateEventsGiveTheSameOutcomeAsInOrder() {
        let rule = F.rule("overdue-alert", on: ["task.overdue"], then: [F.alert("A task is overdue")])
        let defs = F.definitions(rules: [rule])
        let events = [
            F.event("e1", "C1", "referral.received", "2025-01-03T10:00:00Z"),
            F.event("e2", "C1", "referral.accepted", "2025-01-06T10:00:00Z"),
            F.event("e3", "C2", "referral.received", "2025-01-06T10:00:00Z"),
            F.event("e4", "C1", "fgc.held", "2025-01-20T10:00:00Z"),
            F.event("e5", "C2", "case.closed", "2025-01-21T10:00:00Z"),
        ]
        let inOrder = F.run(defs, events, asOf: "2025-02-01").1.json()
        // Arrive in reverse, advancing the clock between arrivals so that each late one replays its case.
        var engine = Engine(definitions: defs)
        for e in events.reversed() {
            engine.ingest([e])
            engine.advance(to: engine.endOfDay(F.date("2025-02-01")))
        }
        #expect(engine.report(openOnly: false).json() == inOrder)
    }

    @Test func reEnrolmentAfterCloseOpensANewEnrolment() {
        let events = [
            F.event("e1", "C1", "referral.received", "2025-01-06T10:00:00Z"),
            F.event("e2", "C1", "referral.declined", "2025-01-07T10:00:00Z"),
            F.event("e3", "C1", "referral.received", "2025-03-03T10:00:00Z"),
        ]
        let report = F.run(F.definitions(), events, asOf: "2025-03-03").1
        #expect(report.cases.count == 2)
        #expect(report.cases.map(\.stage) == ["closed", "referral"])
        #expect(
            report.tasks.map(\.id).sorted() == [
                "C1/right-balance/referral/decide-referral/1", "C1/right-balance/referral/decide-referral/2",
            ])
    }

    @Test func enrollingEventWhileOpenGoesToTransitionsNotANewEnrolment() {
        let events = [
            F.event("e1", "C1", "referral.received", "2025-01-06T10:00:00Z"),
            F.event("e2", "C1", "referral.received", "2025-01-08T10:00:00Z"),
        ]
        let report = F.run(F.definitions(), events, asOf: "2025-01-08").1
        #expect(report.cases.count == 1)
    }

    @Test func cascadeDeeperThan32IsStoppedWithAnError() {
        let loop = F.rule(
            "loop", on: ["task.raised"],
            then: [.task(F.task("again", due: "1 day"))])
        let (engine, report) = F.run(
            F.definitions(rules: [loop]), [F.event("e1", "C1", "referral.received", "2025-01-06T10:00:00Z")],
            asOf: "2025-01-06")
        #expect(engine.problems.count == 1)
        #expect(engine.problems[0].contains("cascade"))
        #expect(engine.problems[0].contains("again"))
        #expect(report.tasks.count < 40)
    }

    @Test func dailyRuleIsEdgeTriggeredPerCase() {
        let daily = F.rule("daily-check", daily: true, then: [F.alert("Daily", .medium)])
        let events = [
            F.event("e1", "C1", "referral.received", "2025-01-06T10:00:00Z"),
            F.event("e2", "C1", "referral.accepted", "2025-01-08T10:00:00Z"),
        ]
        let report = F.run(F.definitions(rules: [daily]), events, asOf: "2025-01-31").1
        #expect(report.alerts.map(\.rule) == ["daily-check"])
        #expect(report.alerts[0].at == F.zone.startOfDay(F.date("2025-01-07")))
    }

    @Test func ruleTaskWithPathwayIsCancelledWhenTheEnrolmentCloses() {
        let scoped = F.rule(
            "review", on: ["referral.received"], pathway: "right-balance",
            then: [.task(F.task("manager-review", role: "team-manager", due: "1 working day"))])
        let unscoped = F.rule(
            "note", on: ["referral.received"], then: [.task(F.task("note", role: "admin", due: "1 working day"))])
        let events = [
            F.event("e1", "C1", "referral.received", "2025-01-06T10:00:00Z"),
            F.event("e2", "C1", "case.closed", "2025-01-06T12:00:00Z"),
        ]
        let report = F.run(F.definitions(rules: [scoped, unscoped]), events, asOf: "2025-01-06")
            .1
        let byKey = Dictionary(uniqueKeysWithValues: report.tasks.map { ($0.key, $0) })
        #expect(byKey["manager-review"]?.status == .cancelled)
        #expect(byKey["manager-review"]?.pathway == "right-balance")
        #expect(byKey["manager-review"]?.stage == nil)
        #expect(byKey["manager-review"]?.id == "C1/review/manager-review/1")
        #expect(byKey["note"]?.status == .open)
        #expect(byKey["note"]?.pathway == nil)
    }

    @Test func enrolmentStaysOnItsVersionAfterNewDefinitionsLoad() {
        var engine = Engine(definitions: F.definitions(F.pathway(version: 1)))
        engine.ingest([F.event("e1", "C1", "referral.received", "2025-01-06T10:00:00Z")])
        engine.advance(to: engine.endOfDay(F.date("2025-01-06")))
        engine.load(F.definitions(F.pathway(version: 2)))
        engine.ingest([
            F.event("e2", "C2", "referral.received", "2025-01-07T10:00:00Z"),
            F.event("e3", "C1", "referral.accepted", "2025-01-07T10:00:00Z"),
        ])
        engine.advance(to: engine.endOfDay(F.date("2025-01-07")))
        let cases = engine.report(openOnly: false).cases
        #expect(cases.map(\.version) == [1, 2])
        #expect(cases.map(\.stage) == ["fgc", "referral"])
    }

    /// A rule that names a pathway looks at every case open on it, whichever definitions version the
    /// enrolment opened on (the newest is told by its index, an older one by the pathway's id), and
    /// at no other case.
    @Test func aRuleOnAPathwaySeesEnrolmentsOfEveryVersion() {
        let rule = F.rule("seen", on: ["note.added"], pathway: "right-balance", then: [F.alert("seen")])
        var engine = Engine(definitions: F.definitions(F.pathway(version: 1), rules: [rule]))
        engine.ingest([F.event("e1", "C1", "referral.received", "2025-01-06T10:00:00Z")])
        engine.advance(to: engine.endOfDay(F.date("2025-01-06")))
        engine.load(F.definitions(F.pathway(version: 2), rules: [rule]))
        engine.ingest([
            F.event("e2", "C2", "referral.received", "2025-01-07T10:00:00Z"),
            F.event("e3", "C1", "note.added", "2025-01-07T11:00:00Z"),
            F.event("e4", "C2", "note.added", "2025-01-07T11:00:00Z"),
            F.event("e5", "C3", "note.added", "2025-01-07T11:00:00Z"),
        ])
        engine.advance(to: engine.endOfDay(F.date("2025-01-07")))
        let report = engine.report(openOnly: false)
        #expect(report.cases.map { "\($0.caseID) v\($0.version)" } == ["C1 v1", "C2 v2"])
        #expect(report.alerts.filter { $0.rule == "seen" }.map(\.caseID).sorted() == ["C1", "C2"])
    }

    @Test func nextTimerIsTheEarliestPendingWakeUp() {
        var engine = Engine(definitions: F.definitions())
        engine.ingest([F.event("e1", "C1", "referral.received", "2025-01-03T10:00:00Z")])
        #expect(engine.nextTimer == Moment.parse("2025-01-03T10:00:00Z", zone: .utc))
        engine.advance(to: engine.endOfDay(F.date("2025-01-03")))
        // The task is due Monday 6 January: it becomes overdue at 00:00 on the 7th.
        #expect(engine.nextTimer == F.zone.startOfDay(F.date("2025-01-07")))
    }
}

@Suite struct StageHookTests {
    typealias F = Fixtures

    @Test func entryHookAlertIsNamedByPathwayStageAndHookAndSeesTheEvent() {
        var pathway = F.pathway()
        pathway.stages[2].onEnter = [
            .alert(AlertTemplate(severity: .low, message: F.message("Plan started"), location: F.at(31)))
        ]
        let events = [
            F.event("e1", "C1", "referral.received", "2025-01-06T10:00:00Z"),
            F.event("e2", "C1", "referral.accepted", "2025-01-06T11:00:00Z"),
            F.event("e3", "C1", "fgc.held", "2025-01-10T11:00:00Z"),
        ]
        let report = F.run(F.definitions(pathway), events, asOf: "2025-01-10").1
        #expect(report.alerts.map(\.id) == ["C1/right-balance:plan:on_enter/e3"])
        #expect(report.alerts.map(\.rule) == ["right-balance:plan:on_enter"])
        #expect(report.alerts[0].because.contains("fgc.held"))
    }
}
