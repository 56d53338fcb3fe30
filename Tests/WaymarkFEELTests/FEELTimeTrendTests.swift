import Testing

@testable import WaymarkFEEL

/// Which conditions the engine may stop checking once they hold: a wrong `rising` would silence an
/// alert that should fire again, so every shape the analysis cannot be sure of must be `unknown`.
@Suite struct FEELTimeTrendTests {
    static let names = ["case", "facts", "task", "event"]

    static func trend(_ source: String) throws -> FEELTimeTrend {
        try FEELExpression(source, names: names, functionNames: ["absence level"]).timeTrend
    }

    @Test(arguments: [
        ("facts.school.attendance <= 0.9", FEELTimeTrend.constant),
        ("today()", .rising),
        ("now() > task.due", .rising),
        ("task.due < today()", .rising),
        ("task.due >= today()", .falling),
        ("working days between(task.due, today()) > 5", .rising),
        ("working days between(today(), task.due) < 3", .rising),
        ("working days between(to: today(), from: task.due) > 5", .rising),
        ("today() - task.due > duration(\"P10D\")", .rising),
        ("task.due - today() > duration(\"P10D\")", .falling),
        ("add working days(task.due, 5) < today()", .rising),
        ("age(facts.birth, today()) >= 18", .rising),
        ("not(today() > task.due)", .falling),
        ("-(today() - task.due) < duration(\"P1D\")", .rising),
        (#"some t in case.tasks satisfies t.status = "overdue" and working days between(t.due, today()) > 5"#, .rising),
        ("every t in case.tasks satisfies t.due < today()", .rising),
        ("today() > task.due or facts.flag = true", .rising),
        ("today() > task.due and task.due > today() - duration(\"P30D\")", .unknown),
        ("today() = task.due", .unknown),
        ("today() > task.due and working days between(today(), task.due) > 1", .unknown),
        ("(today() - task.due) * 2 > duration(\"P1D\")", .unknown),
        ("today() between task.due and task.end", .unknown),
        ("if today() > task.due then true else false", .unknown),
        ("if facts.flag then today() > task.due else task.due < now()", .rising),
        ("some t in case.tasks[due < today()] satisfies true", .unknown),
        ("absence level() = \"severe\"", .unknown),
        ("string(today()) > \"2025\"", .unknown),
        ("count(case.tasks) > 3", .constant),
    ])
    func placesEachShape(source: String, expected: FEELTimeTrend) throws {
        #expect(try Self.trend(source) == expected)
    }

    /// The claim checked against values: a rising condition, once true on some day, is true on every
    /// later day, and a falling one the other way round.
    @Test func risingConditionsStayTrueOnLaterDays() throws {
        let sources = [
            "working days between(task.due, today()) > 5", "today() - task.due > duration(\"P10D\")",
            "working days between(today(), task.due) < 3", "not(task.due >= today())",
        ]
        struct Calendar: FEELWorkingDays {
            func isWorkingDay(_ date: FEELDate) -> Bool { date.isoWeekday <= 5 }
            func addWorkingDays(_ date: FEELDate, _ n: Int) -> FEELDate {
                var d = date
                var left = abs(n)
                while left > 0 {
                    d = d.addingDays(n > 0 ? 1 : -1)
                    if isWorkingDay(d) { left -= 1 }
                }
                return d
            }
            func workingDaysBetween(_ from: FEELDate, _ to: FEELDate) -> Int {
                var n = 0
                var d = min(from, to)
                while d < max(from, to) {
                    d = d.addingDays(1)
                    if isWorkingDay(d) { n += 1 }
                }
                return from <= to ? n : -n
            }
        }
        let due = FEELDate(year: 2025, month: 1, day: 6)
        let task = FEELValue.context(FEELContext([("due", .date(due))]))
        for source in sources {
            let expression = try FEELExpression(source, names: Self.names)
            #expect(expression.timeTrend == .rising)
            var seenTrue = false
            for offset in -30...60 {
                let day = due.addingDays(offset)
                let environment = FEELEnvironment(
                    now: FEELDateTime(date: day, time: FEELTime(hour: 0, minute: 0, second: 0)),
                    workingDays: Calendar())
                let value = expression.evaluate([.null, .null, task, .null], environment: environment)
                if case .boolean(true) = value {
                    seenTrue = true
                } else {
                    #expect(!seenTrue, "\(source) fell \(offset) days after the due date")
                }
            }
            #expect(seenTrue, "\(source) never held")
        }
    }
}
