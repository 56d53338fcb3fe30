extension FEELDate {
    /// Days since 1970-01-01 in the proleptic Gregorian calendar (negative before it).
    ///
    /// Neri and Schneider's conversion, as for ``init(dayNumber:)``, for years -32,799 to 1,000,000
    /// and real months and days; anything else by Howard Hinnant's `days_from_civil`, exact for
    /// every year FEEL can write. No Foundation calendar (and no time zone) is involved, so date
    /// arithmetic stays pure and fast.
    public var dayNumber: Int {
        // From -32,799: January and February of -32,800 count from March of the year before.
        guard (-Self.shiftYears + 1...1_000_000).contains(year), (1...12).contains(month), (1...31).contains(day) else {
            return daysFromCivil
        }
        // The year counted from March, shifted to be unsigned.
        let january: UInt32 = month <= 2 ? 1 : 0
        let y = UInt32(truncatingIfNeeded: year + Self.shiftYears) &- january
        let m = UInt32(truncatingIfNeeded: month) &+ 12 &* january
        let century = y / 100
        let yearDays = 1461 &* y / 4 &- century &+ century / 4
        let monthDays = (979 &* m &- 2919) / 32
        return Int(yearDays &+ monthDays &+ UInt32(truncatingIfNeeded: day - 1)) - Self.shiftDays
    }

    /// Howard Hinnant's `days_from_civil`, for any year, month and day.
    var daysFromCivil: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date `dayNumber` days after 1970-01-01.
    ///
    /// Cassio Neri and Lorenz Schneider's conversion ("Euclidean affine functions and their
    /// application to calendar algorithms", 2022): unsigned 32-bit multiplications and shifts where
    /// Hinnant's `civil_from_days` has signed divisions, a third of the instructions. The engine
    /// turns a moment into a date for every event, timer and due date, 3.5 million times in 150,000
    /// events, and Foundation's calendar is far slower still. Outside the days its 32-bit
    /// arithmetic covers (years -32,800 to about 2.9 million), Hinnant's.
    public init(dayNumber: Int) {
        guard Self.fastDayNumbers.contains(dayNumber) else {
            self.init(civilFromDays: dayNumber)
            return
        }
        // Shifted so that every day in range counts from a March 1 before it in unsigned arithmetic.
        let n = UInt32(truncatingIfNeeded: dayNumber + Self.shiftDays)
        // Century, and day of the century.
        let n1 = 4 &* n &+ 3
        let century = n1 / 146_097
        let dayOfCentury = n1 % 146_097 / 4
        // Year of the century, and day of the year (from March 1), from one 64-bit product.
        let n2 = 4 &* dayOfCentury &+ 3
        let p2 = UInt64(2_939_745) &* UInt64(n2)
        let yearOfCentury = UInt32(truncatingIfNeeded: p2 >> 32)
        let dayOfYear = UInt32(truncatingIfNeeded: p2) / 2_939_745 / 4
        // Month (March is 3) and day.
        let n3 = 2141 &* dayOfYear &+ 197_913
        let month = n3 >> 16
        let day = (n3 & 0xFFFF) / 2141
        // January and February belong to the next year.
        let january = dayOfYear >= 306
        self.init(
            year: Int(100 &* century &+ yearOfCentury) - Self.shiftYears + (january ? 1 : 0),
            month: Int(january ? month - 12 : month), day: Int(day + 1))
    }

    /// The day numbers ``init(dayNumber:)`` converts in 32 bits: from the shifted epoch to where
    /// `4 n + 3` would overflow.
    static let fastDayNumbers = -shiftDays...(1_073_741_823 - shiftDays - 1)

    /// Neri and Schneider's shift: 82 eras of 400 years, so that the dates they convert count from
    /// a March 1 before them in unsigned arithmetic. In years, and in days from the day number 0
    /// of the shifted calendar (719,468 days from 0000-03-01 to 1970-01-01, then the eras).
    static var shiftYears: Int { 400 * 82 }
    static var shiftDays: Int { 719_468 + 146_097 * 82 }

    /// Howard Hinnant's `civil_from_days`, for any day number.
    init(civilFromDays dayNumber: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d)
    }

    /// ISO weekday: 1 is Monday, 7 is Sunday.
    public var isoWeekday: Int { Self.isoWeekday(dayNumber: dayNumber) }

    /// The ISO weekday of a day number, for callers that count in day numbers.
    public static func isoWeekday(dayNumber n: Int) -> Int {
        // 1970-01-01 was a Thursday (4).
        ((n % 7 + 7) % 7 + 3) % 7 + 1
    }

    /// Whether `year` is a leap year in the proleptic Gregorian calendar.
    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// The number of days in `month` of `year`.
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// This date moved by `months`, clamped to the end of a shorter month (31 January + 1 month
    /// is 28 or 29 February), as FEEL adds years-and-months durations.
    public func addingMonths(_ months: Int) -> FEELDate {
        guard let moved = addingMonthsIfWritable(months) else {
            preconditionFailure("\(isoString) + \(months) months is beyond the years FEEL writes")
        }
        return moved
    }

    /// ``addingMonths(_:)``, or nil when the date would fall beyond the years FEEL writes
    /// (999,999,999 either side of year 0): what FEEL's `+` and `-` give then is null, where the
    /// sum stopped the process (FuzzFEEL).
    public func addingMonthsIfWritable(_ months: Int) -> FEELDate? {
        let (yearMonths, tooLarge) = year.multipliedReportingOverflow(by: 12)
        let (total, overflow) = (yearMonths &+ (month - 1)).addingReportingOverflow(months)
        guard !tooLarge, !overflow else { return nil }
        let newYear = total >= 0 ? total / 12 : (total - 11) / 12
        guard (-999_999_999...999_999_999).contains(newYear) else { return nil }
        let newMonth = total - newYear * 12 + 1
        let newDay = Swift.min(day, FEELDate.daysInMonth(year: newYear, month: newMonth))
        return FEELDate(year: newYear, month: newMonth, day: newDay)
    }

    /// This date moved by `days` calendar days.
    public func addingDays(_ days: Int) -> FEELDate {
        FEELDate(dayNumber: dayNumber + days)
    }
}
