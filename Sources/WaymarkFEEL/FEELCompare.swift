import Foundation

/// FEEL equality and ordering (DMN 1.5 §10.3.2.2 and Table 54).
///
/// Both return nil when the operands cannot be compared (different kinds), which the operators turn
/// into null.
enum FEELCompare {
    /// `a = b`: null equals only null; values of different kinds are not comparable (nil).
    static func equal(_ a: FEELValue, _ b: FEELValue) -> Bool? {
        switch (a, b) {
        case (.null, .null): return true
        case (.null, _), (_, .null): return false
        case (.number(let x), .number(let y)): return FEELNumber.compare(x, y) == 0
        case (.string(let x), .string(let y)): return x == y
        case (.boolean(let x), .boolean(let y)): return x == y
        case (.date(let x), .date(let y)): return x == y
        case (.time, .time), (.dateTime, .dateTime), (.dayTimeDuration, .dayTimeDuration),
            (.yearMonthDuration, .yearMonthDuration):
            return order(a, b).map { $0 == 0 }
        case (.list(let x), .list(let y)):
            guard x.count == y.count else { return false }
            for (p, q) in zip(x, y) where equal(p, q) != true { return false }
            return true
        case (.context(let x), .context(let y)):
            guard x.entries.count == y.entries.count else { return false }
            for entry in x.entries {
                guard let other = y[entry.key], equal(entry.value, other) == true else { return false }
            }
            return true
        case (.range(let x), .range(let y)):
            return x.startIncluded == y.startIncluded && x.endIncluded == y.endIncluded
                && optionalEqual(x.start, y.start) && optionalEqual(x.end, y.end)
        default: return nil
        }
    }

    private static func optionalEqual(_ a: FEELValue?, _ b: FEELValue?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case (let x?, let y?): return equal(x, y) == true
        default: return false
        }
    }

    /// -1, 0 or 1 for ordered kinds of the same type, else nil.
    static func order(_ a: FEELValue, _ b: FEELValue) -> Int? {
        switch (a, b) {
        case (.number(let x), .number(let y)): return FEELNumber.compare(x, y)
        case (.string(let x), .string(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.date(let x), .date(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.dateTime(let x), .dateTime(let y)):
            if FEELTemporal.hasZone(x.time) != FEELTemporal.hasZone(y.time) { return nil }
            return sign(
                FEELTemporal.epochSeconds(x), Int64(x.time.nanosecond), FEELTemporal.epochSeconds(y),
                Int64(y.time.nanosecond))
        case (.date(let x), .dateTime):
            return order(.dateTime(FEELDateTime(date: x, time: utcMidnight)), b)
        case (.dateTime, .date(let y)):
            return order(a, .dateTime(FEELDateTime(date: y, time: utcMidnight)))
        case (.time(let x), .time(let y)):
            if FEELTemporal.hasZone(x) != FEELTemporal.hasZone(y) { return nil }
            return sign(utcSecondOfDay(x), Int64(x.nanosecond), utcSecondOfDay(y), Int64(y.nanosecond))
        case (.dayTimeDuration(let x), .dayTimeDuration(let y)):
            return sign(x.seconds, Int64(x.nanoseconds), y.seconds, Int64(y.nanoseconds))
        case (.yearMonthDuration(let x), .yearMonthDuration(let y)):
            return x.months < y.months ? -1 : (x.months == y.months ? 0 : 1)
        default: return nil
        }
    }

    /// A date meets a date-time as midnight UTC of that date (DMN 1.5 §10.3.2.3.6).
    static let utcMidnight = FEELTime(hour: 0, minute: 0, second: 0, offsetSeconds: 0)

    static func midnight(like time: FEELTime) -> FEELTime {
        FEELTime(hour: 0, minute: 0, second: 0, offsetSeconds: time.offsetSeconds, zoneID: time.zoneID)
    }

    static func utcSecondOfDay(_ t: FEELTime) -> Int64 {
        var offset = t.offsetSeconds ?? 0
        if t.offsetSeconds == nil, let zone = t.zoneID, let tz = TimeZone(identifier: zone) {
            offset = tz.secondsFromGMT(for: Date(timeIntervalSince1970: 0))
        }
        return FEELTemporal.secondOfDay(t) - Int64(offset)
    }

    @inline(__always)
    private static func sign(_ s1: Int64, _ n1: Int64, _ s2: Int64, _ n2: Int64) -> Int {
        if s1 != s2 { return s1 < s2 ? -1 : 1 }
        return n1 < n2 ? -1 : (n1 == n2 ? 0 : 1)
    }
}
