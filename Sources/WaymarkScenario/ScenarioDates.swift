import WaymarkFEEL

/// The date and number shapes a scenario file may write, checked without a time zone.
enum ScenarioDates {
    /// `YYYY-MM-DD` naming a real day.
    static func date(_ text: String) -> FEELDate? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), (1...12).contains(month),
            (1...FEELDate.daysInMonth(year: year, month: month)).contains(day)
        else { return nil }
        return FEELDate(year: year, month: month, day: day)
    }

    /// Whether `text` is a date, or a date-time with `T` and `HH:MM[:SS[.fff]]` and an optional
    /// `Z` / `±HH:MM` (the engine reads it in the calendar's zone when it has no offset).
    static func isInstant(_ text: String) -> Bool {
        if date(text) != nil { return true }
        guard text.count >= 16, let separator = text.firstIndex(where: { $0 == "T" || $0 == " " }),
            date(String(text[..<separator])) != nil
        else { return false }
        let time = text[text.index(after: separator)...]
        return time.wholeMatch(of: /\d{2}:\d{2}(:\d{2}([.,]\d+)?)?(Z|z|[+-]\d{2}(:?\d{2})?)?/) != nil
    }

    /// JSON's number grammar: what a plain scalar must look like to be read as a number.
    static func isJSONNumber(_ text: String) -> Bool {
        text.wholeMatch(of: /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/) != nil
    }
}
