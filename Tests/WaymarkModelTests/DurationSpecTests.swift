import Testing
import WaymarkFEEL
import WaymarkModel

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
}
