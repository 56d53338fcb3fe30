import Foundation
public import WaymarkFEEL
public import WaymarkModel

/// Dates and times of day as a team keeps them: working days by the service's calendar, and local
/// wall times turned into UTC instants in the calendar's time zone (so 10:00 in July is 09:00Z).
///
/// Foundation's `TimeZone` only reads the tz database; nothing here looks at the current time.
public struct LocalClock: Sendable {
    public let calendar: WorkingCalendar
    private let zone: TimeZone

    public init(calendar: WorkingCalendar) {
        self.calendar = calendar
        zone = TimeZone(identifier: calendar.timeZoneID) ?? TimeZone(secondsFromGMT: 0)!
    }

    /// Monday to Friday in London with no holidays: the fallback when no calendar is loaded.
    public static let weekdaysInLondon = LocalClock(
        calendar: WorkingCalendar(
            id: "weekdays", timeZoneID: "Europe/London", workingWeekdays: [1, 2, 3, 4, 5], holidays: []))

    /// `date` itself if it is a working day, else the next working day after it.
    public func workingDay(onOrAfter date: FEELDate) -> FEELDate {
        calendar.isWorkingDay(date) ? date : calendar.addWorkingDays(date, 1)
    }

    public func addWorkingDays(_ date: FEELDate, _ count: Int) -> FEELDate {
        calendar.addWorkingDays(date, count)
    }

    /// The UTC instant (seconds since the epoch) of local wall time `minuteOfDay` on `date`.
    public func instant(_ date: FEELDate, minuteOfDay: Int) -> Int64 {
        let local = Int64(date.dayNumber) * 86_400 + Int64(minuteOfDay) * 60
        // Two steps settle the offset for any time not inside a clock change (01:00-02:00 at night).
        let first = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(local)))
        let second = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(local - Int64(first))))
        return local - Int64(second)
    }
}
