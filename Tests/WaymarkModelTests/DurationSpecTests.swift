import Testing
import WaymarkFEEL
import WaymarkModel
import WaymarkTestSupport

@Suite struct DurationSpecTests {
    @Test(arguments: [
        ("1 working day", 1, DurationSpec.Unit.workingDays),
        ("45 working days", 45, .workingDays),
        ("3 days", 3, .days),
        ("6 weeks", 42, .days),
        ("3 months", 3, .months),
        ("1 year", 12, .months),
        ("P20D", 20, .days),
        ("P2W", 14, .days),
        ("P1Y6M", 18, .months),
    ])
    func parses(text: String, amount: Int, unit: DurationSpec.Unit) {
        let spec = DurationSpec.parse(text)
        #expect(spec?.amount == amount)
        #expect(spec?.unit == unit)
    }

    @Test(arguments: ["", "soon", "3", "three days", "P", "P1DT2H", "P1M2D", "-1 days", "2 fortnights"])
    func rejects(text: String) {
        #expect(DurationSpec.parse(text) == nil)
    }
}

@Suite struct WorkingCalendarTests {
    let calendar = WorkingCalendar(
        id: "test", timeZoneID: "Europe/London", workingWeekdays: [1, 2, 3, 4, 5],
        holidays: [
            .init(date: FEELDate(year: 2025, month: 12, day: 25), name: "Christmas Day"),
            .init(date: FEELDate(year: 2025, month: 12, day: 26), name: "Boxing Day"),
        ])

    @Test func countsStrictlyAfterTheDate() {
        // Friday 2025-01-03 + 1 working day is Monday 2025-01-06.
        #expect(
            calendar.addWorkingDays(FEELDate(year: 2025, month: 1, day: 3), 1) == FEELDate(year: 2025, month: 1, day: 6)
        )
        // Wednesday 2025-12-24 + 1 skips Christmas, Boxing Day and the weekend.
        #expect(
            calendar.addWorkingDays(FEELDate(year: 2025, month: 12, day: 24), 1)
                == FEELDate(year: 2025, month: 12, day: 29))
    }

    @Test func countsBetween() {
        let from = FEELDate(year: 2025, month: 12, day: 24)
        let to = FEELDate(year: 2025, month: 12, day: 31)
        #expect(calendar.workingDaysBetween(from, to) == 3)
        #expect(calendar.workingDaysBetween(to, from) == -3)
        #expect(calendar.workingDaysBetween(from, from) == 0)
    }

    @Test func dayNumbersRoundTrip() {
        for n in stride(from: -800_000, through: 800_000, by: 997) {
            #expect(FEELDate(dayNumber: n).dayNumber == n)
        }
        #expect(FEELDate(year: 1970, month: 1, day: 1).dayNumber == 0)
        #expect(FEELDate(year: 2025, month: 1, day: 6).isoWeekday == 1)
        #expect(FEELDate(year: 2024, month: 1, day: 31).addingMonths(1) == FEELDate(year: 2024, month: 2, day: 29))
    }

    /// The counting by weeks and holiday search must agree with stepping day by day, the plain
    /// definition, for every kind of week (none worked, a Saturday worked, holidays at weekends and
    /// twice over), for dates far from the holidays and before 1970, and across both ends of the
    /// years answered from tables (`WorkingDayCount.window`).
    @Test(arguments: [Set<Int>([1, 2, 3, 4, 5]), [1, 2, 3, 4, 5, 6], [3], [6, 7], [], [1, 2, 3, 4, 5, 6, 7]])
    func agreesWithSteppingDayByDay(weekdays: Set<Int>) {
        let dates = [
            FEELDate(year: 2025, month: 12, day: 25), FEELDate(year: 2025, month: 12, day: 26),
            FEELDate(year: 2025, month: 12, day: 27), FEELDate(year: 2026, month: 1, day: 1),
            FEELDate(year: 2026, month: 4, day: 3), FEELDate(year: 2026, month: 4, day: 6),
            FEELDate(year: 1969, month: 12, day: 31), FEELDate(year: 2026, month: 1, day: 1),
            FEELDate(year: 1990, month: 1, day: 1), FEELDate(year: 2069, month: 12, day: 31),
        ]
        let calendar = WorkingCalendar(
            id: "t", timeZoneID: "UTC", workingWeekdays: weekdays, holidays: dates.map { .init(date: $0, name: "h") })
        let holidays = Set(dates.map(\.dayNumber))
        func works(_ n: Int) -> Bool {
            weekdays.contains(FEELDate(dayNumber: n).isoWeekday) && !holidays.contains(n)
        }
        func stepped(_ a: Int, _ b: Int) -> Int {
            let (lo, hi) = (min(a, b), max(a, b))
            let count = (lo + 1..<hi + 1).filter(works).count
            return a <= b ? count : -count
        }
        func steppedAdd(_ a: Int, _ n: Int) -> Int {
            var day = a
            var left = abs(n)
            while left > 0 {
                day += n > 0 ? 1 : -1
                if works(day) { left -= 1 }
            }
            return day
        }
        // A fixed linear congruential sequence: the same pairs every run.
        var numbers = SeededSequence(seed: 2025)
        func next(_ bound: Int) -> Int { numbers.next(below: bound) }
        // 1969-12-31, 2025-12-25 and a year and a half later, 1990-01-01 and 2070-01-01.
        let around = [-1, 20_447, 20_447 + 500, 7_305, 36_525]
        for _ in 0..<1_000 {
            let a = around[next(around.count)] + next(80) - 40
            let b = a + next(900) - 450
            #expect(calendar.workingDaysBetween(FEELDate(dayNumber: a), FEELDate(dayNumber: b)) == stepped(a, b))
            guard !weekdays.isEmpty else {
                #expect(calendar.addWorkingDays(FEELDate(dayNumber: a), 5) == FEELDate(dayNumber: a))
                continue
            }
            let n = next(130) - 65
            #expect(calendar.addWorkingDays(FEELDate(dayNumber: a), n).dayNumber == steppedAdd(a, n))
            #expect(calendar.isWorkingDay(FEELDate(dayNumber: a)) == works(a))
        }
    }
}
