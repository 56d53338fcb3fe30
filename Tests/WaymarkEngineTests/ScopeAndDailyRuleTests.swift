import Foundation
import Testing
import WaymarkDefinitions
import WaymarkFEEL
import WaymarkModel
import WaymarkSpill

@testable import WaymarkEngine

/// Daily rules on an unchanged case, and the parts of `case` built for an expression: the shortcuts
/// must give the same results as building everything and evaluating every rule every day.
@Suite struct ScopeAndDailyRuleTests {
    typealias F = Fixtures

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
              - { key: decide, title: Decide, role: duty-social-worker, due: 1 working day, done_on: referral.decided }
            transitions:
              - { on: case.closed, to: closed }
          closed:
            final: true
        """

    static func definitions(rules: String, pathway: String = pathway) throws -> Definitions {
        try definitions(ruleset: "ruleset: test\ncalendar: england-and-wales\nrules:\n" + rules, pathway: pathway)
    }

    /// The calendar, `pathway` and `ruleset`, a whole rules file (one with tables, say).
    static func definitions(ruleset: String, pathway: String = pathway) throws -> Definitions {
        let files = [
            ("workflows/calendars/ew.yaml", calendar), ("workflows/demo.yaml", pathway), ("rules/test.yaml", ruleset),
        ]
        let loaded = DefinitionsLoader.load(files: files.map { ($0.0, Array($0.1.utf8)) })
        let errors = loaded.diagnostics.filter { $0.severity == .error }.map { "\($0.location): \($0.message)" }
        #expect(errors == [])
        return loaded.definitions
    }

    /// A crisis presentation of case C1 in `setting` (`event.data.setting`).
    static func crisis(_ id: String, _ at: String, _ setting: String) -> Event {
        Event(
            id: id, caseID: "C1", type: "crisis.presented", at: Moment.parse(at, zone: F.zone)!, facts: nil,
            data: FEELContext([("setting", .string(setting))]))
    }

    /// A daily rule on the facts alone (persistent absence), as a rules file lists it.
    static func absentRule(message: String = "absent") -> String {
        """
          - id: absent
            every: day
            when: facts.school.attendance <= 0.9
            then:
              - alert: { severity: medium, message: "\(message)" }

        """
    }

    static func event(_ id: String, _ type: String, _ at: String, facts: FEELContext? = nil) -> Event {
        Event(id: id, caseID: "C1", type: type, at: Moment.parse(at, zone: F.zone)!, facts: facts, data: nil)
    }

    static func attendance(_ v: String) -> FEELContext {
        FEELContext([("school", .context(FEELContext([("attendance", .number(Decimal(string: v)!))])))])
    }

    /// A daily rule `late` on `condition`, as written and behind an `if` on the clock, which hides
    /// from the engine's analysis what the condition reads, so that it is looked at every day.
    static func watchedAndDaily(_ condition: String) throws -> (watched: Definitions, daily: Definitions) {
        let rule = { (when: String) in
            """
              - id: late
                every: day
                when: \(when)
                then:
                  - alert: { severity: medium, message: "late" }
            """
        }
        return (
            try definitions(rules: rule(condition)),
            try definitions(rules: rule(#"if today() > @"1900-01-01" then ("# + condition + ") else false"))
        )
    }

    /// `task` is kept between the evaluations that read it until a task changes: a rule on the
    /// task being done must see it done, though a rule on its being raised read it open earlier in
    /// the same run, and a message must see the task as it is when the alert is raised.
    @Test func theTaskInScopeIsReadAgainOnceItChanges() throws {
        // No expression names `done`, `raised` or an id, so that each reads the same fields of the
        // task and a kept value would serve them all.
        let defs = try Self.definitions(
            rules: """
                  - id: on-raised
                    on: task.raised
                    when: task.key = "decide"
                    then:
                      - alert: { severity: low, message: "{{ task.status }}" }
                  - id: on-finished
                    on: task.done
                    when: task.key = "decide"
                    then:
                      - alert: { severity: low, message: "{{ task.status }}" }
                  - id: still-open
                    on: task.done
                    when: task.status = "open"
                    then:
                      - alert: { severity: low, message: "still open" }
                """)
        // Both events in one run, so that nothing made for the first is let go before the second.
        let events = [
            Self.event("e1", "referral.received", "2025-01-06T10:00:00Z"),
            Self.event("e2", "referral.decided", "2025-01-06T15:00:00Z"),
        ]
        let report = F.run(defs, events, asOf: "2025-01-06").1
        #expect(report.alerts.map { "\($0.rule): \($0.message)" }.sorted() == ["on-finished: done", "on-raised: open"])
    }

    @Test func aClockRuleIsEvaluatedOnDaysWhenNothingHappens() throws {
        let defs = try Self.definitions(
            rules: """
                  - id: late
                    every: day
                    when: some t in case.tasks satisfies t.status = "overdue" and working days between(t.due, today()) > 2
                    then:
                      - alert: { severity: medium, message: "late" }
                """)
        // Referred Monday 6 January: due Tuesday 7th, overdue from the 8th; three working days after
        // the due date is Friday 10th, so the rule first holds at 00:00 on Friday.
        let report = F.run(defs, [Self.event("e1", "referral.received", "2025-01-06T10:00:00Z")], asOf: "2025-01-20").1
        #expect(report.alerts.map(\.rule) == ["late"])
        #expect(report.alerts.first?.at == F.zone.startOfDay(F.date("2025-01-10")))
        // The reason names the overdue work that made the condition hold.
        #expect(
            report.alerts.first?.because.contains(
                #"(the task: "Decide" C1/demo/referral/decide/1, due 2025-01-07, overdue)"#) == true)
    }

    /// A clock-reading condition that did not read the clock (no task overdue, so `today()` was never
    /// reached) is not checked again until the case changes; once a task is overdue it is checked daily.
    @Test func aClockRuleIsCheckedDailyOnlyWhileItsValueDependsOnTheDate() throws {
        let defs = try Self.definitions(
            rules: """
                  - id: late
                    every: day
                    when: some t in case.tasks satisfies t.status = "overdue" and working days between(t.due, today()) > 2
                    then:
                      - alert: { severity: medium, message: "late" }
                """)
        let referral = Self.event("e1", "referral.received", "2025-01-06T10:00:00Z")
        let decided = Self.event("e2", "referral.decided", "2025-01-06T15:00:00Z")
        // Decided on the day: no task is ever overdue, so after the check at 00:00 on the 7th nothing
        // fires for the rest of the month (the task's overdue timer is gone with the task).
        let (onTime, onTimeReport) = F.run(defs, [referral, decided], asOf: "2025-01-31")
        #expect(onTimeReport.alerts.isEmpty)
        #expect(onTime.timersFired <= 2)
        // Never decided: overdue from the 8th, checked every day from then, and the alert still comes
        // at 00:00 on Friday the 10th. Once it holds it holds for good (the task only gets later), so
        // the unchanged case is not looked at again for the rest of the month.
        let (late, lateReport) = F.run(defs, [referral], asOf: "2025-01-31")
        #expect(lateReport.alerts.map(\.at) == [F.zone.startOfDay(F.date("2025-01-10"))])
        #expect(late.timersFired >= 4)
        #expect(late.timersFired <= 7)
    }

    /// A condition that sees only overdue tasks is not looked at again when a task that is not
    /// overdue comes or goes, nor when the facts change and wake the case for another rule: its last
    /// evaluation did not read the date (no task was overdue), so its value cannot have moved.
    @Test func aConditionOnOverdueTasksIgnoresOtherChanges() throws {
        let defs = try Self.definitions(
            rules: Self.absentRule() + """
                  - id: late
                    every: day
                    when: some t in case.tasks satisfies t.status = "overdue" and working days between(t.due, today()) > 2
                    then:
                      - alert: { severity: medium, message: "late" }
                """)
        #expect(CompiledDefinitions(defs).dailyReads == [.enrolled, .facts, .filteredTasks])
        let events = [
            Self.event("e1", "referral.received", "2025-01-06T10:00:00Z", facts: Self.attendance("0.95")),
            Self.event("e2", "referral.decided", "2025-01-06T15:00:00Z"),
            Self.event("e3", "attendance.recorded", "2025-01-13T10:00:00Z", facts: Self.attendance("0.80")),
            Self.event("e4", "attendance.recorded", "2025-01-20T10:00:00Z", facts: Self.attendance("0.97")),
        ]
        let (engine, report) = F.run(defs, events, asOf: "2025-01-31")
        #expect(report.alerts.map { "\($0.rule) \($0.at)" } == ["absent \(F.zone.startOfDay(F.date("2025-01-14")))"])
        // 7th: both (the case opened). 14th and 21st: `absent` only. Looking at `late` whenever the
        // case woke, as a rule that reads the clock was, would be 6.
        #expect(engine.dailyChecks == 4)
    }

    /// Which mentions of `case` read more than its task list and history.
    @Test func aConditionOnTheCasesListsAloneDoesNotReadTheRestOfIt() {
        let lists = [
            #"some t in case.tasks satisfies t.status = "overdue""#,
            #"count(case.history[type = "crisis.presented"]) > 1 and case.tasks = []"#,
            "facts.school.attendance <= 0.9", "showcase.tasks = 1",
        ]
        let more = [
            #"case.stage.demo = "assessment""#, "case.history2 = 1", #"get value(case, "id") = "C1""#,
            #"some h in case.history satisfies h.type = "case.closed""#, "case = null",
        ]
        #expect(lists.filter { ScopeNeeds.readsCaseBeyondLists($0) } == [])
        #expect(more.filter { !ScopeNeeds.readsCaseBeyondLists($0) } == [])
    }

    /// The same condition written so that the analysis cannot tell it stays true (`if` on the clock)
    /// is checked every day; both must raise the same alerts at the same moments, including a second
    /// alert after the case changed and the condition fell and rose again.
    @Test func aConditionThatStaysTrueIsNotCheckedAgainButFiresTheSame() throws {
        let (quiet, busy, alerts) = try Self.watchedAgainstDaily(
            #"some t in case.tasks satisfies t.status = "overdue" and working days between(t.due, today()) > 2"#,
            on: ["2025-01-06", "2025-01-20", "2025-01-21", "2025-02-03"], asOf: "2025-03-31")
        #expect(alerts.count == 2)
        #expect(quiet.timersFired * 3 < busy.timersFired)
    }

    /// A referral, its decision, the case closed and referred again, on `days` (at 10:00), run with
    /// the daily rule `late` on `condition` as written and looked at every day (see
    /// ``watchedAndDaily(_:)``): both must raise the same alerts at the same moments.
    static func watchedAgainstDaily(_ condition: String, on days: [String], asOf: String) throws
        -> (quiet: Engine, busy: Engine, alerts: [Moment])
    {
        let (watched, opaque) = try watchedAndDaily(condition)
        let types = ["referral.received", "referral.decided", "case.closed", "referral.received"]
        let events = zip(types, days).enumerated().map { i, e in event("e\(i + 1)", e.0, e.1 + "T10:00:00Z") }
        let (quiet, quietReport) = F.run(watched, events, asOf: asOf)
        let (busy, busyReport) = F.run(opaque, events, asOf: asOf)
        #expect(quietReport.alerts.map(\.at) == busyReport.alerts.map(\.at))
        return (quiet, busy, quietReport.alerts.map(\.at))
    }

    /// A condition that only rises with the date is looked for ahead: evaluated at the end of a span
    /// of days and, if it holds there, at days between, instead of on every morning. It must fire on
    /// the same mornings as when it is looked at every day, whether it turns true within the span,
    /// after it (12 and 30 working days, across the new year), or not before the work is done, and
    /// again after the case was closed and referred again; with fewer wake-ups.
    @Test(arguments: [0, 2, 5, 6, 12, 30])
    func aRisingConditionIsLookedForAheadAndFiresTheSame(threshold: Int) throws {
        let (quiet, busy, alerts) = try Self.watchedAgainstDaily(
            "some t in case.tasks satisfies t.status = \"overdue\" and working days between(t.due, today()) > \(threshold)",
            on: ["2025-12-15", "2026-01-09", "2026-01-12", "2026-01-19"], asOf: "2026-03-31")
        #expect(!alerts.isEmpty)
        #expect(quiet.timersFired < busy.timersFired)
    }

    /// Work overdue from 17 December that turns the rule true only after 30 working days (00:00 on
    /// Wednesday 28 January): looked at every morning, the case woke 43 times before then. Looked
    /// for ahead, it wakes once in each span of days the look showed false, then on the 28th.
    @Test func aRisingConditionWakesItsCaseOncePerSpanUntilItHolds() throws {
        let (watched, _) = try Self.watchedAndDaily(
            #"some t in case.tasks satisfies t.status = "overdue" and working days between(t.due, today()) > 30"#)
        let (engine, report) = F.run(
            watched, [Self.event("e1", "referral.received", "2025-12-15T10:00:00Z")], asOf: "2026-02-28")
        #expect(report.alerts.map(\.at) == [F.zone.startOfDay(F.date("2026-01-28"))])
        #expect(engine.timersFired <= 10)
    }

    /// The daily rules run at 00:00 after that midnight's timers: a task that goes overdue at 00:00 on
    /// Wednesday 8 January is seen by the rules that same midnight, on a case with nothing else to
    /// wake it, as on one looked at every day (the `if` on the clock makes the engine do that).
    @Test func aTimersChangeAtMidnightIsSeenByThatMidnightsDailyRules() throws {
        let (watched, daily) = try Self.watchedAndDaily(#"some t in case.tasks satisfies t.status = "overdue""#)
        let events = [Self.event("e1", "referral.received", "2025-01-06T10:00:00Z")]
        let quiet = F.run(watched, events, asOf: "2025-01-31").1
        let busy = F.run(daily, events, asOf: "2025-01-31").1
        #expect(quiet.alerts.map(\.at) == [F.zone.startOfDay(F.date("2025-01-08"))])
        #expect(quiet.alerts.map(\.at) == busy.alerts.map(\.at))
    }

    @Test func aClockFreeRuleSeesFactsThatChangeLaterAndFiresOnEachRisingEdge() throws {
        let defs = try Self.definitions(rules: Self.absentRule(message: "absent {{ facts.school.attendance }}"))
        let events = [
            Self.event("e1", "referral.received", "2025-01-06T10:00:00Z", facts: Self.attendance("0.95")),
            Self.event("e2", "attendance.recorded", "2025-01-13T10:00:00Z", facts: Self.attendance("0.80")),
            Self.event("e3", "attendance.recorded", "2025-01-20T10:00:00Z", facts: Self.attendance("0.97")),
            Self.event("e4", "attendance.recorded", "2025-01-27T10:00:00Z", facts: Self.attendance("0.70")),
        ]
        let report = F.run(defs, events, asOf: "2025-02-10").1
        #expect(report.alerts.map(\.message) == ["absent 0.8", "absent 0.7"])
        #expect(
            report.alerts.map(\.at) == [
                F.zone.startOfDay(F.date("2025-01-14")), F.zone.startOfDay(F.date("2025-01-28")),
            ])
    }

    /// A change to nothing a daily rule reads does not wake the case at midnight: ten notes on ten
    /// days go into the history, which the rule does not read, and wake no one, nor does the alert
    /// the rule raises; the day after the case opened and the day after its facts changed do.
    @Test func aChangeNoDailyRuleReadsWakesNoOne() throws {
        let defs = try Self.definitions(rules: Self.absentRule())
        var events = [
            Self.event("e1", "referral.received", "2025-01-06T10:00:00Z", facts: Self.attendance("0.95")),
            Self.event("e2", "referral.decided", "2025-01-06T11:00:00Z"),
        ]
        events += (0..<10).map { Self.event("n\($0)", "note.added", "2025-01-\(13 + $0)T10:00:00Z") }
        events.append(
            Self.event("e3", "attendance.recorded", "2025-01-27T10:00:00Z", facts: Self.attendance("0.80")))
        let (engine, report) = F.run(defs, events, asOf: "2025-02-10")
        #expect(report.alerts.map(\.at) == [F.zone.startOfDay(F.date("2025-01-28"))])
        // 7 January (opened) and 28 January (facts changed). Without what the rule reads known, each
        // note woke the case, and so did the day after the alert (13 wake-ups).
        #expect(engine.timersFired == 2)
    }

    /// A daily condition is evaluated again only after a change to what it reads: the facts rule after
    /// facts change, the history rule after anything is recorded, and both after the case opens.
    @Test func aConditionIsCheckedAgainOnlyWhenWhatItReadsChanges() throws {
        let defs = try Self.definitions(
            rules: Self.absentRule() + """
                  - id: notes
                    every: day
                    when: count(case.history[type = "note.added"]) >= 2
                    then:
                      - alert: { severity: low, message: "two notes" }
                """)
        let events = [
            Self.event("e1", "referral.received", "2025-01-06T10:00:00Z", facts: Self.attendance("0.95")),
            Self.event("e2", "referral.decided", "2025-01-06T11:00:00Z"),
            Self.event("e3", "note.added", "2025-01-08T10:00:00Z"),
            Self.event("e4", "note.added", "2025-01-10T10:00:00Z"),
            Self.event("e5", "attendance.recorded", "2025-01-14T10:00:00Z", facts: Self.attendance("0.80")),
        ]
        let (engine, report) = F.run(defs, events, asOf: "2025-01-31")
        #expect(
            report.alerts.map { "\($0.rule) \($0.at)" } == [
                "notes \(F.zone.startOfDay(F.date("2025-01-11")))", "absent \(F.zone.startOfDay(F.date("2025-01-15")))",
            ])
        // 7th: both (the case opened). 9th and 11th: notes (a note). 15th: both (facts, and the
        // attendance event in the history). The alerts raised on the 11th and 15th do not change the
        // history, which keeps no emitted event as no condition reads one. Looking at both rules after
        // every change would be 12; with every history entry kept, 8.
        #expect(engine.dailyChecks == 6)
    }

    /// A condition on the facts alone is not looked at again when the case only moves stage; one that
    /// reads `case` is, and both are when an enrolment opens.
    @Test func aStageMoveIsNotAChangeForAConditionOnTheFactsAlone() throws {
        let pathway = """
            pathway: demo
            version: 1
            title: Demo
            calendar: england-and-wales
            enrol:
              on: referral.received
            start: referral
            stages:
              referral:
                transitions:
                  - { on: referral.decided, to: assessment }
              assessment:
                transitions:
                  - { on: case.closed, to: closed }
              closed:
                final: true
            """
        let defs = try Self.definitions(
            rules: Self.absentRule() + """
                  - id: assessing
                    every: day
                    when: case.stage.demo = "assessment"
                    then:
                      - alert: { severity: low, message: "assessing" }
                """, pathway: pathway)
        let events = [
            Self.event("e1", "referral.received", "2025-01-06T10:00:00Z", facts: Self.attendance("0.95")),
            Self.event("e2", "referral.decided", "2025-01-08T10:00:00Z"),
            Self.event("e3", "case.closed", "2025-01-13T10:00:00Z"),
        ]
        let (engine, report) = F.run(defs, events, asOf: "2025-01-31")
        #expect(report.alerts.map { "\($0.rule) \($0.at)" } == ["assessing \(F.zone.startOfDay(F.date("2025-01-09")))"])
        // 7th: both (the case opened). 9th: `assessing` only (a stage move). From the 14th neither
        // applies (the enrolment closed). Counting a stage move as a change for both would be 4.
        #expect(engine.dailyChecks == 3)
    }

    @Test func listEntriesCarryTheFieldsAnExpressionNames() throws {
        let defs = try Self.definitions(
            rules: """
                  - id: by-id
                    on: note.added
                    when: some t in case.tasks satisfies t.id = "C1/demo/referral/decide/1" and t.raised < event.at
                    then:
                      - alert: { severity: low, message: "found by id" }
                  - id: by-history
                    on: note.added
                    when: some h in case.history satisfies h.type = "task.raised" and h.data.key = "decide"
                    then:
                      - alert: { severity: low, message: "found in history" }
                """)
        let events = [
            Self.event("e1", "referral.received", "2025-01-06T10:00:00Z"),
            Self.event("e2", "note.added", "2025-01-06T11:00:00Z"),
        ]
        let report = F.run(defs, events, asOf: "2025-01-06").1
        #expect(report.alerts.map(\.rule).sorted() == ["by-history", "by-id"])
    }

    /// Applied events keep their facts and data packed; an expression that names them in the history
    /// gets them back, and a late event that replays the case unpacks them to the same result.
    @Test func historyEntriesGiveBackTheFactsAndDataOfAppliedEvents() throws {
        let defs = try Self.definitions(
            rules: """
                  - id: by-data
                    on: note.added
                    when: some h in case.history satisfies h.type = "referral.received" and h.data.source = "school"
                    then:
                      - alert: { severity: low, message: "referred by the school" }
                  - id: by-facts
                    on: note.added
                    when: some h in case.history satisfies h.facts.school.attendance = 0.875
                    then:
                      - alert: { severity: low, message: "attendance {{ facts.school.attendance }}" }
                """)
        let facts = FEELContext([
            ("school", .context(FEELContext([("attendance", .number(Decimal(string: "0.875")!))])))
        ])
        let referral = Event(
            id: "e1", caseID: "C1", type: "referral.received", at: Moment.parse("2025-01-06T10:00:00Z", zone: F.zone)!,
            facts: facts, data: FEELContext([("source", .string("school")), ("codes", .list([.number(1), .null]))]))
        let note = Self.event("e2", "note.added", "2025-01-08T10:00:00Z")
        let late = Self.event("e0", "note.added", "2025-01-06T09:00:00Z")
        let inOrder = F.run(defs, [referral, note], asOf: "2025-01-31").1
        #expect(inOrder.alerts.map(\.message).sorted() == ["attendance 0.875", "referred by the school"])
        // Applied in two steps, so that the referral is packed before the late note replays the case.
        var engine = Engine(definitions: defs)
        engine.ingest([referral, note])
        engine.advance(to: engine.endOfDay(F.date("2025-01-20")))
        engine.ingest([late])
        engine.advance(to: engine.endOfDay(F.date("2025-01-31")))
        #expect(engine.report(openOnly: false).alerts.map(\.message).sorted() == inOrder.alerts.map(\.message).sorted())
        #expect(engine.caseDetail("C1")?.history.first { $0.id == "e1" }?.data?["source"].map(feelText) == "school")
    }

    @Test func packedValuesReadBackExactly() throws {
        let numbers = ["0.950", "0.95", "1e-10", "123456789012345678901234567890", "-0", "-42.5000"]
        let context = FEELContext([
            ("n", .list(numbers.map { .number(Decimal(string: $0)!) })),
            ("s", .string("é, \"quoted\", \u{1F600} and a line\nbreak")), ("b", .boolean(true)), ("f", .boolean(false)),
            ("z", .null), ("nested", .context(FEELContext([("empty", .context(FEELContext())), ("list", .list([]))]))),
            (String(repeating: "k", count: 200), .string(String(repeating: "v", count: 300))),
        ])
        let bytes = try #require(PackedValues.pack(context, nil))
        let (facts, data) = PackedValues.unpack(bytes)
        #expect(data == nil)
        #expect(facts.map { feelText(.context($0)) } == feelText(.context(context)))
        if case .list(let back)? = facts?["n"] {
            for (original, read) in zip(numbers, back) {
                guard case .number(let n) = read else { continue }
                var a = Decimal(string: original)!
                var b = n
                #expect(withUnsafeBytes(of: &a) { Array($0) } == withUnsafeBytes(of: &b) { Array($0) })
            }
        }
        // A small number keeps the bytes it uses: tag, count, the 4 bytes of exponent, length and
        // sign, and one 16-bit mantissa word; the context around it takes 4 bytes, absent data 1.
        #expect(PackedValues.pack(FEELContext([("a", .number(Decimal(string: "0.483")!))]), nil)?.count == 13)
        // A value JSON cannot hold is left unpacked.
        #expect(PackedValues.pack(FEELContext([("d", .date(F.date("2025-01-06")))]), nil) == nil)
    }

    /// A filtered task list is kept between daily looks while the tasks stay as they are: a task going
    /// overdue at 00:00 must reach that midnight's look, not the list kept from the day before.
    @Test func aKeptTaskListIsLetGoWhenATaskGoesOverdue() throws {
        let defs = try Self.definitions(
            rules: """
                  - id: late
                    every: day
                    when: some t in case.tasks satisfies t.status = "overdue"
                    then:
                      - alert: { severity: medium, message: "late" }
                """)
        let compiled = CompiledDefinitions(defs)
        let when = try #require(compiled.rules.first?.rule.when)
        #expect(compiled.taskFilters[when.identity] != nil)
        // Referred Monday 6 January: the rule is looked at, false, at 00:00 on the 7th; the task is
        // due that day and goes overdue at 00:00 on the 8th, when the rule is looked at again.
        let report = F.run(defs, [Self.event("e1", "referral.received", "2025-01-06T10:00:00Z")], asOf: "2025-01-20").1
        #expect(report.alerts.map(\.rule) == ["late"])
        #expect(report.alerts.first?.at == F.zone.startOfDay(F.date("2025-01-08")))
    }

    /// `event` and `task` are built only for expressions that name them: one that reads the event
    /// only through a decision table's inputs, or the task only in its message, must still see them.
    @Test func eventAndTaskReachExpressionsThatReadThemThroughATableOrAMessage() throws {
        let rules = """
            ruleset: test
            calendar: england-and-wales
            tables:
              - name: setting level
                hit_policy: first
                inputs: [event.data.setting]
                outputs: [level]
                rules:
                  - { when: ['"missing"'], then: ['"urgent"'] }
                  - { when: ["-"], then: ['"other"'] }
            rules:
              - id: urgent
                on: crisis.presented
                when: setting level() = "urgent"
                then:
                  - alert: { severity: high, message: "urgent" }
              - id: late
                on: task.overdue
                when: case.id = "C1"
                then:
                  - alert: { severity: low, message: "late: {{ task.key }} due {{ task.due }}" }
            """
        let events = [
            Self.event("e1", "referral.received", "2025-01-06T10:00:00Z"),
            Self.crisis("e2", "2025-01-09T10:00:00Z", "home"), Self.crisis("e3", "2025-01-10T10:00:00Z", "missing"),
        ]
        let report = F.run(try Self.definitions(ruleset: rules), events, asOf: "2025-01-20").1
        #expect(report.alerts.map(\.rule) == ["late", "urgent"])
        #expect(report.alerts.first?.message == "late: decide due 2025-01-07")
        #expect(report.alerts.last?.id == "C1/urgent/e3")
    }

    /// A condition on what a task has from its definition is evaluated once per definition and kept
    /// for the run: each task must still get the value for its own definition, in every case that
    /// shares the run's scope, and a condition on anything else must not be kept at all.
    @Test func aConditionOnATasksDefinitionIsKeptPerDefinition() throws {
        let review =
            "- { key: review, title: Review, role: team-manager, due: 1 working day, done_on: referral.decided }"
        let pathway = Self.pathway.replacingOccurrences(
            of: "      - { key: decide,", with: "      \(review)\n      - { key: decide,")
        #expect(pathway.contains(review))
        let defs = try Self.definitions(
            rules: """
                  - id: decide-late
                    on: task.overdue
                    when: task.key = "decide" and task.pathway = "demo"
                    then:
                      - alert: { severity: low, message: "decide late" }
                  - id: review-late
                    on: task.overdue
                    when: list contains(["review"], task.key)
                    then:
                      - alert: { severity: low, message: "review late" }
                  - id: c2-late
                    on: task.overdue
                    when: case.id = "C2" and task.key = "decide"
                    then:
                      - alert: { severity: low, message: "C2 decide late" }
                """, pathway: pathway)
        let compiled = CompiledDefinitions(defs)
        let whens = compiled.rules.map { $0.rule.when! }
        #expect(whens.map { compiled.needs(of: $0).contains(.staticTask) } == [true, true, false])
        // Two cases, each with both tasks overdue from 00:00 on Wednesday 8 January.
        let lines = ["C1", "C2"].map { id in
            #"{"id":"\#(id)-r","case":"\#(id)","type":"referral.received","at":"2025-01-06T10:00:00Z"}"#
        }
        var run = CaseByCaseRun(definitions: defs)
        run.workers = 1
        try run.add(Array(lines.joined(separator: "\n").utf8))
        var out: [UInt8] = []
        _ = try run.writeJSON(through: F.date("2025-01-20"), openOnly: false, spill: MemorySpill()) { out += $0 }
        let json = String(decoding: out, as: UTF8.self)
        let alerts = json.split(separator: "\n").filter { $0.contains(#""rule": "#) }.map { line in
            let id = line.firstMatch(of: #/"id": "([^"]+)"/#).map { String($0.1) } ?? ""
            let message = line.firstMatch(of: #/"message": "([^"]+)"/#).map { String($0.1) } ?? ""
            return "\(id): \(message)"
        }
        #expect(
            alerts.sorted() == [
                "C1/decide-late/task.overdue:C1/demo/referral/decide/1: decide late",
                "C1/review-late/task.overdue:C1/demo/referral/review/1: review late",
                "C2/c2-late/task.overdue:C2/demo/referral/decide/1: C2 decide late",
                "C2/decide-late/task.overdue:C2/demo/referral/decide/1: decide late",
                "C2/review-late/task.overdue:C2/demo/referral/review/1: review late",
            ])
    }

    @Test func needsAreReadFromWholeNames() {
        let overdue = ScopeNeeds(
            source: #"some t in case.tasks satisfies t.status = "overdue" and t.due < today()"#, tableNames: [])
        #expect(overdue.contains(.tasks))
        #expect(!overdue.contains(.entryIDs))
        #expect(!overdue.contains(.entryTimes))
        #expect(!overdue.contains(.history))
        let times = ScopeNeeds(source: #"some r in case.history satisfies r.at >= event.at"#, tableNames: [])
        #expect(times.contains([.history, .entryTimes]))
        #expect(!times.contains(.entryData))
        #expect(ScopeNeeds(source: "get value(t, k)", tableNames: []).contains([.entryIDs, .entryTimes, .entryData]))
        #expect(!overdue.contains(.event))
        #expect(!overdue.contains(.task))
        #expect(times.contains(.event))
        #expect(ScopeNeeds(source: #"task.key = "review""#, tableNames: []).contains(.task))
        #expect(!ScopeNeeds(source: #"task.key = "review""#, tableNames: []).contains(.tasks))
        #expect(ScopeNeeds.mentions("t.id = x", "id"))
        #expect(!ScopeNeeds.mentions("valid(x)", "id"))
        #expect(!ScopeNeeds.mentions("status", "at"))
    }
}
