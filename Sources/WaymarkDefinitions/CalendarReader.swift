import Foundation
import WaymarkFEEL
import WaymarkModel
import WaymarkYAML

/// Reads a calendar file (top-level key `calendar:`).
extension FileContext {
    static let calendarKeys = ["calendar", "title", "description", "time_zone", "working_days", "holidays"]
    static let weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    func calendar(_ root: YAMLNode) -> WorkingCalendar? {
        guard
            let fields = Fields(
                root, self, what: "the calendar", allowed: Self.calendarKeys, required: ["calendar", "time_zone"])
        else { return nil }
        let id = fields.id("calendar")
        let zone = fields.string("time_zone")
        if let zone, let node = fields["time_zone"], TimeZone(identifier: zone) == nil {
            error(
                "unknown time zone `\(zone)`; use an IANA name such as `Europe/London`", at: node, code: "bad-time-zone"
            )
        }
        var weekdays: Set<Int> = [1, 2, 3, 4, 5]
        if let node = fields["working_days"] {
            weekdays = []
            for item in fields.list("working_days") {
                guard let text = Fields.string(item, key: "working_days", context: self) else { continue }
                if let index = Self.weekdays.firstIndex(of: text.lowercased()) {
                    weekdays.insert(index + 1)
                } else {
                    error(
                        "`\(text)` is not a weekday; use mon, tue, wed, thu, fri, sat, sun"
                            + Suggestion.didYouMean(text.lowercased(), in: Self.weekdays), at: item, code: "bad-weekday"
                    )
                }
            }
            if weekdays.isEmpty && node.sequence != nil {
                error(
                    "`working_days` lists no day, so no day could ever be a working day", at: node, code: "bad-weekday")
            }
        }
        var holidays: [WorkingCalendar.Holiday] = []
        for item in fields.list("holidays") {
            guard let holiday = Fields(item, self, what: "a holiday", allowed: ["date", "name"], required: ["date"]),
                let dateNode = holiday["date"], let text = holiday.string("date")
            else { continue }
            guard let date = Self.date(text) else {
                error("`\(text)` is not a date; write YYYY-MM-DD", at: dateNode, code: "bad-date")
                continue
            }
            holidays.append(
                WorkingCalendar.Holiday(date: date, name: holiday.string("name") ?? "", location: location(dateNode)))
        }
        guard let id, let zone else { return nil }
        return WorkingCalendar(
            id: id, timeZoneID: zone, workingWeekdays: weekdays, holidays: holidays,
            location: location(fields["calendar"] ?? root))
    }

    /// A strict `YYYY-MM-DD` that names a real day.
    static func date(_ text: String) -> FEELDate? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), (1...12).contains(m), d >= 1
        else { return nil }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard d <= lengths[m - 1] else { return nil }
        return FEELDate(year: y, month: m, day: d)
    }
}
