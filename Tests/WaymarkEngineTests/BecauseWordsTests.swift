import Testing
import WaymarkModel

@testable import WaymarkEngine

/// `because` in full for the parts of an explanation that the shipped definitions and the example
/// cohort do not reach: more than five earlier events, more than three tasks that make a condition
/// hold, a task raised on a stage that a stage's `goto` entered, and conditions on decision tables.
@Suite struct BecauseWordsTests {
    typealias F = Fixtures
    typealias D = ScopeAndDailyRuleTests

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
            transitions:
              - { on: case.closed, to: closed }
          triage:
            on_enter:
              - goto: escalated
          escalated:
            title: Escalated
            tasks:
              - { key: review, title: Review, role: team-manager, due: 1 working day, done_on: review.held }
            transitions:
              - { on: case.closed, to: closed }
          closed:
            final: true
        """

    static let rules = """
          - id: follow-up
            on: note.added
            then:
              - task: { key: follow-up, title: Follow up the note, role: social-worker, due: 1 working day, done_on: [case.closed] }
          - id: many-notes
            title: Many notes
            on: note.added
            pathway: demo
            when: count(case.history[type = "note.added"]) >= 7
            then:
              - alert: { severity: low, message: "many notes" }
              - goto: triage
          - id: overdue-work
            every: day
            when: some t in case.tasks satisfies t.status = "overdue" and t.key = "follow-up"
            then:
              - alert: { severity: medium, message: "overdue work" }
        """

    @Test func longExplanationsAreCutAndTheirPartsSeparated() throws {
        let defs = try D.definitions(rules: Self.rules, pathway: Self.pathway)
        let events =
            [D.event("r1", "referral.received", "2025-01-06T09:00:00Z")]
            + (1...8).map { D.event("n\($0)", "note.added", "2025-01-06T1\($0):00:00Z") }
        let report = F.run(defs, events, asOf: "2025-01-10").1
        let alerts = Dictionary(uniqueKeysWithValues: report.alerts.map { ($0.rule, $0.because) })
        #expect(
            alerts["many-notes"]
                == #"Rule many-notes (Many notes) fired on note.added (event n8 at "#
                + #"2025-01-06T18:00:00+00:00), because `count(case.history[type = "note.added"]) >= 7` "#
                + #"held (earlier events: note.added n3 on 2025-01-06, note.added n4 on 2025-01-06, "#
                + #"note.added n5 on 2025-01-06, note.added n6 on 2025-01-06, note.added n7 on 2025-01-06) "#
                + #"[rules/test.yaml:8]. Alert defined at rules/test.yaml:14."#)
        #expect(
            alerts["overdue-work"]
                == #"Daily rule overdue-work became true on 2025-01-08, because `some t in case.tasks "#
                + #"satisfies t.status = "overdue" and t.key = "follow-up"` held (the tasks: "Follow up the "#
                + #"note" C1/follow-up/follow-up/1, due 2025-01-07, overdue; "Follow up the note" "#
                + #"C1/follow-up/follow-up/2, due 2025-01-07, overdue; "Follow up the note" "#
                + #"C1/follow-up/follow-up/3, due 2025-01-07, overdue and 5 more) [rules/test.yaml:16]. "#
                + #"Alert defined at rules/test.yaml:20."#)
        #expect(
            report.tasks.first { $0.key == "review" }?.because
                == #"Raised when the case entered stage escalated (Escalated) of demo v1 on 2025-01-06: "#
                + #"Raised when the case entered stage triage of demo v1 on 2025-01-06: Rule many-notes "#
                + #"(Many notes) fired on note.added (event n8 at 2025-01-06T18:00:00+00:00), because "#
                + #"`count(case.history[type = "note.added"]) >= 7` held (earlier events: note.added n3 on "#
                + #"2025-01-06, note.added n4 on 2025-01-06, note.added n5 on 2025-01-06, note.added n6 on "#
                + #"2025-01-06, note.added n7 on 2025-01-06) [rules/test.yaml:8] (then goto escalated). "#
                + #"Task "Review" due 1 working day (defined at workflows/demo.yaml:18)."#)
    }

    /// A condition that calls a decision table names no fact itself (`absence level() = "severe"`):
    /// its explanation quotes what the table reads, the fact of one table and the event field and
    /// earlier events of the other, so that a manager sees the attendance behind "severe".
    @Test func aConditionOnADecisionTableQuotesWhatTheTableReads() throws {
        let ruleset = """
            ruleset: test
            calendar: england-and-wales
            tables:
              - name: absence level
                hit_policy: first
                inputs: [facts.school.attendance]
                outputs: [level]
                rules:
                  - { when: ["<= 0.5"], then: ['"severe"'] }
                  - { when: ["-"], then: ['"none"'] }
              - name: crisis level
                hit_policy: first
                inputs:
                  - count(case.history[type = "crisis.presented"])
                  - event.data.setting
                outputs: [level]
                rules:
                  - { when: ["-", '"missing"'], then: ['"urgent"'] }
                  - { when: [">= 1", "-"], then: ['"repeated"'] }
                  - { when: ["-", "-"], then: ['"single"'] }
            rules:
              - id: severe
                every: day
                when: absence level() = "severe"
                then:
                  - alert: { severity: high, message: "severe" }
              - id: repeated
                on: crisis.presented
                when: crisis level() = "repeated"
                then:
                  - alert: { severity: high, message: "repeated" }
            """
        let events = [
            D.event("r1", "referral.received", "2025-01-06T09:00:00Z", facts: D.attendance("0.45")),
            D.crisis("c1", "2025-01-06T10:00:00Z", "police"), D.crisis("c2", "2025-01-07T10:00:00Z", "home"),
        ]
        let report = F.run(try D.definitions(ruleset: ruleset), events, asOf: "2025-01-08").1
        let alerts = Dictionary(uniqueKeysWithValues: report.alerts.map { ($0.rule, $0.because) })
        let severe = try #require(alerts["severe"])
        #expect(severe.contains(#"`absence level() = "severe"` held (school.attendance = 0.45) [rules/test.yaml:"#))
        let repeated = try #require(alerts["repeated"])
        #expect(
            repeated.contains(
                #"`crisis level() = "repeated"` held (event setting = home; earlier events: crisis.presented c1 "#
                    + #"on 2025-01-06) [rules/test.yaml:"#))
    }
}
