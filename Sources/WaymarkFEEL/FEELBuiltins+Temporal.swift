import Foundation

extension FEELBuiltins {
    static let weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    static let months = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
        "December",
    ]

    /// The ISO 8601 week number of a date.
    static func isoWeek(_ d: FEELDate) -> Int {
        // The Thursday of this date's week decides the week-numbering year.
        let thursday = d.addingDays(4 - d.isoWeekday)
        let firstOfYear = FEELDate(year: thursday.year, month: 1, day: 1)
        return (thursday.dayNumber - firstOfYear.dayNumber) / 7 + 1
    }

    static let temporal: [String: [FEELBuiltin]] = [
        "day of year": [
            .pure(["date"]) { a in
                guard let d = date(a[0]) else { return .null }
                return .number(Decimal(d.dayNumber - FEELDate(year: d.year, month: 1, day: 1).dayNumber + 1))
            }
        ],
        "day of week": [.pure(["date"]) { a in date(a[0]).map { .string(weekdays[$0.isoWeekday - 1]) } ?? .null }],
        "month of year": [.pure(["date"]) { a in date(a[0]).map { .string(months[$0.month - 1]) } ?? .null }],
        "week of year": [.pure(["date"]) { a in date(a[0]).map { .number(Decimal(isoWeek($0))) } ?? .null }],
        "last day of month": [
            .pure(["date"]) { a in
                guard let d = date(a[0]) else { return .null }
                return .date(
                    FEELDate(year: d.year, month: d.month, day: FEELDate.daysInMonth(year: d.year, month: d.month)))
            }
        ],
        "now": [
            FEELBuiltin([], usesEnvironment: true) { _, env in env.readClock.map(FEELValue.dateTime) ?? .null }
        ],
        "today": [
            FEELBuiltin([], usesEnvironment: true) { _, env in env.readToday.map(FEELValue.date) ?? .null }
        ],
    ]
}
