/// A length of time as a definitions file writes it: `3 working days`, `6 weeks`, `P3M`.
///
/// Working days count on the pathway's calendar; days and weeks are calendar days; months and years
/// add as FEEL years-and-months durations (clamped to the end of a shorter month).
public struct DurationSpec: Sendable, Hashable, CustomStringConvertible {
    public enum Unit: String, Sendable, Hashable {
        case workingDays = "working days"
        case days
        case months
    }

    public var amount: Int
    public var unit: Unit
    /// As written, for messages and diagrams.
    public var text: String

    public init(amount: Int, unit: Unit, text: String) {
        self.amount = amount
        self.unit = unit
        self.text = text
    }

    public var description: String { text }

    /// The longest duration a definitions file may give: a hundred years, in days or months. A
    /// deadline further away means a mistake (`5 working days` typed as `5000000`), and one beyond
    /// what a date can hold would stop the engine when it raised the task.
    public static let longestDays = 36_525
    public static let longestMonths = 1_200

    /// Whether the duration is no longer than ``longestDays`` or ``longestMonths``.
    public var isWithinLongest: Bool {
        switch unit {
        case .workingDays, .days: amount <= Self.longestDays
        case .months: amount <= Self.longestMonths
        }
    }

    /// Parses `N working day(s)`, `N day(s)`, `N week(s)`, `N month(s)`, `N year(s)`, or an ISO 8601
    /// duration of whole days, weeks, months or years (`P20D`, `P3M`, `P1Y6M`, `P2W`).
    ///
    /// Returns nil for anything else; the loader turns that into a positioned diagnostic.
    public static func parse(_ text: String) -> DurationSpec? {
        let trimmed = text.trimmingWhitespace()
        if trimmed.hasPrefix("P") { return parseISO(trimmed) }
        let words = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard words.count >= 2, let n = Int(words[0]), n >= 0 else { return nil }
        let unitWords = words.dropFirst().joined(separator: " ").lowercased()
        // Weeks and years multiplied with overflow checked: a number too large for them is no
        // duration (nil), where it stopped the loader.
        func times(_ k: Int) -> Int? {
            let (product, overflow) = n.multipliedReportingOverflow(by: k)
            return overflow ? nil : product
        }
        switch unitWords {
        case "working day", "working days": return DurationSpec(amount: n, unit: .workingDays, text: trimmed)
        case "day", "days": return DurationSpec(amount: n, unit: .days, text: trimmed)
        case "week", "weeks": return times(7).map { DurationSpec(amount: $0, unit: .days, text: trimmed) }
        case "month", "months": return DurationSpec(amount: n, unit: .months, text: trimmed)
        case "year", "years": return times(12).map { DurationSpec(amount: $0, unit: .months, text: trimmed) }
        default: return nil
        }
    }

    private static func parseISO(_ text: String) -> DurationSpec? {
        // Whole days, weeks, months and years only: a deadline is a date, so hours have no meaning.
        var rest = Substring(text.dropFirst())
        guard !rest.isEmpty else { return nil }
        var months = 0
        var days = 0
        while !rest.isEmpty {
            let digits = rest.prefix(while: { $0.isASCII && $0.isNumber })
            guard !digits.isEmpty, let n = Int(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            guard let designator = rest.first else { return nil }
            rest = rest.dropFirst()
            // Overflow checked, as for the words above.
            func add(_ total: inout Int, _ k: Int) -> Bool {
                let (product, tooLarge) = n.multipliedReportingOverflow(by: k)
                let (sum, overflow) = total.addingReportingOverflow(product)
                total = sum
                return !tooLarge && !overflow
            }
            switch designator {
            case "Y": guard add(&months, 12) else { return nil }
            case "M": guard add(&months, 1) else { return nil }
            case "W": guard add(&days, 7) else { return nil }
            case "D": guard add(&days, 1) else { return nil }
            default: return nil
            }
        }
        if months > 0 && days > 0 { return nil }
        if months > 0 { return DurationSpec(amount: months, unit: .months, text: text) }
        return DurationSpec(amount: days, unit: .days, text: text)
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s = s.dropFirst() }
        while let c = s.last, c.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
