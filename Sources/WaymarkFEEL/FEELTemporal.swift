import Foundation

/// Reading and writing FEEL's temporal values in their ISO 8601 string forms, and the instants
/// that comparisons and subtraction use.
enum FEELTemporal {
    // MARK: reading

    private static func digits(_ b: [UInt8], _ from: Int, _ count: Int) -> Int? {
        guard from + count <= b.count else { return nil }
        var v = 0
        for i in from..<(from + count) {
            guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
            v = v * 10 + Int(b[i] - 0x30)
        }
        return v
    }

    /// `YYYY-MM-DD`, with an optional `-` and at least four year digits.
    static func parseDate(_ text: String) -> FEELDate? {
        let b = Array(text.utf8)
        guard let (date, end) = parseDate(b, 0), end == b.count else { return nil }
        return date
    }

    private static func parseDate(_ b: [UInt8], _ start: Int) -> (FEELDate, Int)? {
        var i = start
        var negative = false
        if i < b.count, b[i] == 0x2D {
            negative = true
            i += 1
        }
        let yearStart = i
        while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
        let yearDigits = i - yearStart
        guard yearDigits >= 4, yearDigits <= 9, let year = digits(b, yearStart, yearDigits) else { return nil }
        // Four-digit years may not start a longer year with a leading zero (e.g. 01234).
        if yearDigits > 4, b[yearStart] == 0x30 { return nil }
        guard i + 6 <= b.count, b[i] == 0x2D, let month = digits(b, i + 1, 2), b[i + 3] == 0x2D,
            let day = digits(b, i + 4, 2)
        else { return nil }
        let y = negative ? -year : year
        guard month >= 1, month <= 12, day >= 1, day <= FEELDate.daysInMonth(year: y, month: month) else { return nil }
        return (FEELDate(year: y, month: month, day: day), i + 6)
    }

    /// `HH:MM:SS[.f][Z|±HH:MM|@zone]`.
    static func parseTime(_ text: String) -> FEELTime? {
        let b = Array(text.utf8)
        guard let (time, end) = parseTime(b, 0), end == b.count else { return nil }
        return time
    }

    private static func parseTime(_ b: [UInt8], _ start: Int) -> (FEELTime, Int)? {
        guard let hour = digits(b, start, 2), start + 8 <= b.count, b[start + 2] == 0x3A,
            let minute = digits(b, start + 3, 2), b[start + 5] == 0x3A, let second = digits(b, start + 6, 2)
        else { return nil }
        guard hour <= 23 || (hour == 24 && minute == 0 && second == 0), minute <= 59, second <= 59 else { return nil }
        var i = start + 8
        var nanosecond = 0
        if i < b.count, b[i] == 0x2E {
            i += 1
            let fracStart = i
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
            guard i > fracStart else { return nil }
            var scale = 100_000_000
            for k in fracStart..<Swift.min(i, fracStart + 9) {
                nanosecond += Int(b[k] - 0x30) * scale
                scale /= 10
            }
        }
        var time = FEELTime(hour: hour % 24, minute: minute, second: second, nanosecond: nanosecond)
        if i < b.count {
            if b[i] == 0x5A || b[i] == 0x7A {
                time.offsetSeconds = 0
                i += 1
            } else if b[i] == 0x2B || b[i] == 0x2D {
                guard let oh = digits(b, i + 1, 2), i + 6 <= b.count, b[i + 3] == 0x3A, let om = digits(b, i + 4, 2),
                    oh <= 18, om <= 59
                else { return nil }
                var offset = oh * 3600 + om * 60
                let negative = b[i] == 0x2D
                i += 6
                if i + 3 <= b.count, b[i] == 0x3A, let os = digits(b, i + 1, 2) {
                    offset += os
                    i += 3
                }
                time.offsetSeconds = negative ? -offset : offset
            } else if b[i] == 0x40 {
                let zone = String(decoding: b[(i + 1)...], as: UTF8.self)
                guard TimeZone(identifier: zone) != nil else { return nil }
                time.zoneID = zone
                i = b.count
            } else {
                return nil
            }
        }
        return (time, i)
    }

    /// `date` `T` `time`, or a date alone (midnight, local).
    static func parseDateTime(_ text: String) -> FEELDateTime? {
        let b = Array(text.utf8)
        guard let (date, end) = parseDate(b, 0) else { return nil }
        if end == b.count { return FEELDateTime(date: date, time: FEELTime(hour: 0, minute: 0, second: 0)) }
        guard b[end] == 0x54, let (time, timeEnd) = parseTime(b, end + 1), timeEnd == b.count else { return nil }
        let hour24 = digits(b, end + 1, 2) == 24
        let result = FEELDateTime(date: date, time: time)
        return hour24 ? FEELDateTime(date: date.addingDays(1), time: time) : result
    }

    /// An ISO 8601 duration: `P1Y2M`, `P1DT2H`, `-PT0.5S`.
    static func parseDuration(_ text: String) -> FEELValue? {
        let b = Array(text.utf8)
        var i = 0
        var negative = false
        if i < b.count, b[i] == 0x2D {
            negative = true
            i += 1
        }
        guard i < b.count, b[i] == 0x50 else { return nil }
        i += 1
        var years = 0
        var months = 0
        var days = 0
        var hours = 0
        var minutes = 0
        var seconds = 0
        var nanos = 0
        var inTime = false
        var any = false
        var hasYearMonth = false
        var hasDayTime = false
        var lastRank = -1
        while i < b.count {
            if b[i] == 0x54 {
                guard !inTime else { return nil }
                inTime = true
                i += 1
                guard i < b.count else { return nil }
                continue
            }
            let start = i
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
            guard i > start, i - start <= 18, let value = digits(b, start, i - start) else { return nil }
            var fraction = 0
            var hasFraction = false
            if i < b.count, b[i] == 0x2E {
                hasFraction = true
                i += 1
                let fs = i
                while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
                guard i > fs else { return nil }
                var scale = 100_000_000
                for k in fs..<Swift.min(i, fs + 9) {
                    fraction += Int(b[k] - 0x30) * scale
                    scale /= 10
                }
            }
            guard i < b.count else { return nil }
            let unit = b[i]
            i += 1
            let rank: Int
            switch (inTime, unit) {
            case (false, 0x59): rank = 0
            case (false, 0x4D): rank = 1
            case (false, 0x44): rank = 2
            case (true, 0x48): rank = 3
            case (true, 0x4D): rank = 4
            case (true, 0x53): rank = 5
            default: return nil
            }
            guard rank > lastRank, !hasFraction || rank == 5 else { return nil }
            lastRank = rank
            any = true
            switch rank {
            case 0: years = value
            case 1: months = value
            case 2: days = value
            case 3: hours = value
            case 4: minutes = value
            default:
                seconds = value
                nanos = fraction
            }
            if rank <= 1 { hasYearMonth = true } else { hasDayTime = true }
        }
        guard any, !(inTime && lastRank < 3) else { return nil }
        // Each part may have up to 18 digits: a total that does not fit in 64 bits is no duration
        // (null), as a value too large for its type is elsewhere in FEEL, rather than a trap.
        func adding(_ total: Int64?, _ value: Int, times unit: Int64) -> Int64? {
            guard let total else { return nil }
            let (part, tooLarge) = Int64(value).multipliedReportingOverflow(by: unit)
            let (sum, overflow) = total.addingReportingOverflow(part)
            return tooLarge || overflow ? nil : sum
        }
        if hasYearMonth && !hasDayTime {
            guard let total = adding(adding(0, years, times: 12), months, times: 1) else { return nil }
            return .yearMonthDuration(FEELYearMonthDuration(months: Int(negative ? -total : total)))
        }
        if hasYearMonth { return nil }
        let total = adding(
            adding(adding(adding(0, days, times: 86_400), hours, times: 3_600), minutes, times: 60), seconds, times: 1)
        guard let total else { return nil }
        var d = FEELDayTimeDuration(seconds: total, nanoseconds: Int32(nanos))
        if negative { d = d.negated }
        return .dayTimeDuration(d)
    }

    /// The value of an `@"..."` literal, or nil.
    static func parseLiteral(_ text: String) -> FEELValue? {
        if let d = parseDuration(text) { return d }
        if let d = parseDate(text) { return .date(d) }
        if text.contains("T"), let dt = parseDateTime(text) { return .dateTime(dt) }
        if let t = parseTime(text) { return .time(t) }
        return nil
    }

    // MARK: writing

    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    static func format(_ date: FEELDate) -> String { date.isoString }

    static func fraction(_ nanos: Int) -> String {
        guard nanos != 0 else { return "" }
        var s = pad(nanos, 9)
        while s.hasSuffix("0") { s.removeLast() }
        return "." + s
    }

    static func formatOffset(_ seconds: Int) -> String {
        if seconds == 0 { return "Z" }
        let a = abs(seconds)
        var s = (seconds < 0 ? "-" : "+") + pad(a / 3600, 2) + ":" + pad(a % 3600 / 60, 2)
        if a % 60 != 0 { s += ":" + pad(a % 60, 2) }
        return s
    }

    static func format(_ time: FEELTime) -> String {
        var s = pad(time.hour, 2) + ":" + pad(time.minute, 2) + ":" + pad(time.second, 2) + fraction(time.nanosecond)
        if let zone = time.zoneID {
            s += "@" + zone
        } else if let offset = time.offsetSeconds {
            s += formatOffset(offset)
        }
        return s
    }

    static func format(_ dateTime: FEELDateTime) -> String {
        format(dateTime.date) + "T" + format(dateTime.time)
    }

    static func format(_ d: FEELDayTimeDuration) -> String {
        if d.seconds == 0 && d.nanoseconds == 0 { return "PT0S" }
        let negative = d.seconds < 0 || (d.seconds == 0 && d.nanoseconds < 0)
        let m = negative ? d.negated : d
        let days = m.seconds / 86400
        let hours = m.seconds % 86400 / 3600
        let minutes = m.seconds % 3600 / 60
        let seconds = m.seconds % 60
        var s = negative ? "-P" : "P"
        if days > 0 { s += "\(days)D" }
        if hours > 0 || minutes > 0 || seconds > 0 || m.nanoseconds > 0 {
            s += "T"
            if hours > 0 { s += "\(hours)H" }
            if minutes > 0 { s += "\(minutes)M" }
            if seconds > 0 || m.nanoseconds > 0 { s += "\(seconds)" + fraction(Int(m.nanoseconds)) + "S" }
        }
        return s
    }

    static func format(_ d: FEELYearMonthDuration) -> String {
        if d.months == 0 { return "P0M" }
        let a = abs(d.months)
        var s = d.months < 0 ? "-P" : "P"
        if a / 12 > 0 { s += "\(a / 12)Y" }
        if a % 12 > 0 { s += "\(a % 12)M" }
        return s
    }

    // MARK: instants

    /// Seconds since midnight of the time's own day, ignoring any offset.
    static func secondOfDay(_ t: FEELTime) -> Int64 {
        Int64(t.hour * 3600 + t.minute * 60 + t.second)
    }

    /// The offset in force for a date-time written with an IANA zone, or its fixed offset.
    static func offset(of dateTime: FEELDateTime) -> Int? {
        if let offset = dateTime.time.offsetSeconds { return offset }
        guard let zone = dateTime.time.zoneID, let tz = TimeZone(identifier: zone) else { return nil }
        let local = Int64(dateTime.date.dayNumber) * 86400 + secondOfDay(dateTime.time)
        let guess = tz.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(local)))
        return tz.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(local - Int64(guess))))
    }

    /// Seconds since 1970-01-01T00:00:00 in UTC, or in local time when the value has no offset.
    static func epochSeconds(_ dateTime: FEELDateTime) -> Int64 {
        let local = Int64(dateTime.date.dayNumber) * 86400 + secondOfDay(dateTime.time)
        return local - Int64(offset(of: dateTime) ?? 0)
    }

    static func hasZone(_ t: FEELTime) -> Bool { t.offsetSeconds != nil || t.zoneID != nil }

    /// A date-time `seconds` and `nanos` after the epoch, shown at `offset` (local when nil).
    static func dateTime(epochSeconds: Int64, nanos: Int, like original: FEELTime) -> FEELDateTime {
        var local = epochSeconds
        var time = original
        if let zone = original.zoneID, let tz = TimeZone(identifier: zone) {
            local += Int64(tz.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(epochSeconds))))
        } else if let offset = original.offsetSeconds {
            local += Int64(offset)
        }
        let day = local >= 0 ? local / 86400 : (local - 86399) / 86400
        let second = Int(local - day * 86400)
        time.hour = second / 3600
        time.minute = second % 3600 / 60
        time.second = second % 60
        time.nanosecond = nanos
        return FEELDateTime(date: FEELDate(dayNumber: Int(day)), time: time)
    }
}

extension FEELDayTimeDuration {
    /// The duration with its sign flipped.
    public var negated: FEELDayTimeDuration {
        FEELDayTimeDuration(seconds: -seconds, nanoseconds: -nanoseconds)
    }

    /// The whole duration in nanoseconds (as a decimal, which cannot overflow).
    var totalNanoseconds: Decimal {
        Decimal(seconds) * 1_000_000_000 + Decimal(Int(nanoseconds))
    }

    /// The duration of `nanos` nanoseconds, or nil when it does not fit.
    init?(totalNanoseconds nanos: Decimal) {
        let seconds = nanos / 1_000_000_000
        let whole = seconds < 0 ? FEELNumber.round(seconds, scale: 0, .up) : FEELNumber.round(seconds, scale: 0, .down)
        guard whole.magnitude < Decimal(Int64.max / 4) else { return nil }
        let rest = nanos - whole * 1_000_000_000
        self.init(
            seconds: Int64(NSDecimalNumber(decimal: whole).int64Value),
            nanoseconds: Int32(NSDecimalNumber(decimal: FEELNumber.round(rest, scale: 0, .down)).intValue))
    }
}
