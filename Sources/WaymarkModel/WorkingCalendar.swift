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
    private let count: WorkingDayCount

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
        self.count = WorkingDayCount(
            workingWeekdays: workingWeekdays, holidayDayNumbers: Set(holidays.map(\.date.dayNumber)))
    }

    /// Whether `date` is a working day: a worked weekday that is not a holiday.
    public func isWorkingDay(_ date: FEELDate) -> Bool {
        count.isWorkingDay(date.dayNumber)
    }

    /// The `n`th working day strictly after `date` (the date itself never counts); for negative `n`,
    /// the `|n|`th working day strictly before it. A calendar with no worked weekday returns `date`.
    public func addWorkingDays(_ date: FEELDate, _ n: Int) -> FEELDate {
        guard count.worksAnyDay else { return date }
        return FEELDate(dayNumber: count.adding(n, to: date.dayNumber))
    }

    /// The number of working days `d` with `from < d <= to`; negative when `to` is before `from`.
    public func workingDaysBetween(_ from: FEELDate, _ to: FEELDate) -> Int {
        count.between(from.dayNumber, to.dayNumber)
    }
}
