public import WaymarkFEEL

/// A working-day calendar: which weekdays are worked, which dates are holidays, and the time zone
/// in which a moment's date is read.
public struct WorkingCalendar: Sendable, FEELWorkingDays {
    /// A named holiday, as the calendar file lists it.
    public struct Holiday: Sendable, Hashable {
        public var date: FEELDate
        public var name: String
        public var location: SourceLocation?

        public init(date: FEELDate, name: String, location: SourceLocation? = nil) {
            self.date = date
            self.name = name
            self.location = location
        }
    }

    public let id: String
    public let timeZoneID: String
    /// ISO weekdays that are worked: 1 is Monday, 7 is Sunday.
    public let workingWeekdays: Set<Int>
    public let holidays: [Holiday]
    public let location: SourceLocation?
    private let holidayDayNumbers: Set<Int>

    public init(
        id: String,
        timeZoneID: String,
        workingWeekdays: Set<Int>,
        holidays: [Holiday],
        location: SourceLocation? = nil
    ) {
        self.id = id
        self.timeZoneID = timeZoneID
        self.workingWeekdays = workingWeekdays
        self.holidays = holidays.sorted { $0.date < $1.date }
        self.location = location
        self.holidayDayNumbers = Set(holidays.map(\.date.dayNumber))
    }

    /// Whether `date` is a working day: a worked weekday that is not a holiday.
    public func isWorkingDay(_ date: FEELDate) -> Bool {
        isWorkingDay(dayNumber: date.dayNumber)
    }

    private func isWorkingDay(dayNumber n: Int) -> Bool {
        let weekday = ((n % 7 + 7) % 7 + 3) % 7 + 1
        return workingWeekdays.contains(weekday) && !holidayDayNumbers.contains(n)
    }

    /// The `n`th working day strictly after `date` (the date itself never counts); for negative `n`,
    /// the `|n|`th working day strictly before it.
    public func addWorkingDays(_ date: FEELDate, _ n: Int) -> FEELDate {
        guard !workingWeekdays.isEmpty else { return date }
        var day = date.dayNumber
        var remaining = abs(n)
        let step = n >= 0 ? 1 : -1
        while remaining > 0 {
            day += step
            if isWorkingDay(dayNumber: day) { remaining -= 1 }
        }
        return FEELDate(dayNumber: day)
    }

    /// The number of working days `d` with `from < d <= to`; negative when `to` is before `from`.
    public func workingDaysBetween(_ from: FEELDate, _ to: FEELDate) -> Int {
        let a = from.dayNumber
        let b = to.dayNumber
        if a == b { return 0 }
        let (lo, hi, sign) = a < b ? (a, b, 1) : (b, a, -1)
        var count = 0
        var day = lo + 1
        while day <= hi {
            if isWorkingDay(dayNumber: day) { count += 1 }
            day += 1
        }
        return count * sign
    }
}
