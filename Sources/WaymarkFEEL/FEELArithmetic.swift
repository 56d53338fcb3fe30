import Foundation

/// FEEL's `+ - * / **` over numbers, strings and temporal values (DMN 1.5 Tables 57–61).
///
/// Every combination the specification does not define gives nil, which becomes null.
enum FEELArithmetic {
    static func add(_ a: FEELValue, _ b: FEELValue) -> FEELValue {
        switch (a, b) {
        case (.number(let x), .number(let y)): return FEELNumber.exact(x + y)
        case (.string(let x), .string(let y)): return .string(x + y)
        case (.yearMonthDuration(let x), .yearMonthDuration(let y)):
            // Beyond 64 bits of months: null, not a trap (FuzzFEEL), as for day-time durations.
            let (months, overflow) = x.months.addingReportingOverflow(y.months)
            return overflow ? .null : .yearMonthDuration(FEELYearMonthDuration(months: months))
        case (.dayTimeDuration(let x), .dayTimeDuration(let y)):
            return addDurations(x, y).map(FEELValue.dayTimeDuration) ?? .null
        case (.date(let d), .yearMonthDuration(let m)), (.yearMonthDuration(let m), .date(let d)):
            return d.addingMonthsIfWritable(m.months).map(FEELValue.date) ?? .null
        case (.date(let d), .dayTimeDuration(let x)), (.dayTimeDuration(let x), .date(let d)):
            let midnight = FEELDateTime(date: d, time: FEELTime(hour: 0, minute: 0, second: 0, offsetSeconds: 0))
            guard let moved = shift(midnight, x) else { return .null }
            return .date(moved.date)
        case (.dateTime(let t), .yearMonthDuration(let m)), (.yearMonthDuration(let m), .dateTime(let t)):
            guard let date = t.date.addingMonthsIfWritable(m.months) else { return .null }
            return .dateTime(FEELDateTime(date: date, time: t.time))
        case (.dateTime(let t), .dayTimeDuration(let x)), (.dayTimeDuration(let x), .dateTime(let t)):
            return shift(t, x).map(FEELValue.dateTime) ?? .null
        case (.time(let t), .dayTimeDuration(let x)), (.dayTimeDuration(let x), .time(let t)):
            return .time(shift(t, x))
        default: return .null
        }
    }

    static func subtract(_ a: FEELValue, _ b: FEELValue) -> FEELValue {
        switch (a, b) {
        case (.number(let x), .number(let y)): return FEELNumber.exact(x - y)
        case (.yearMonthDuration(let x), .yearMonthDuration(let y)):
            let (months, overflow) = x.months.subtractingReportingOverflow(y.months)
            return overflow ? .null : .yearMonthDuration(FEELYearMonthDuration(months: months))
        case (.dayTimeDuration(let x), .dayTimeDuration(let y)):
            return addDurations(x, y.negated).map(FEELValue.dayTimeDuration) ?? .null
        case (.date(let x), .date(let y)):
            return .dayTimeDuration(FEELDayTimeDuration(seconds: Int64(x.dayNumber - y.dayNumber) * 86400))
        case (.dateTime(let x), .dateTime(let y)):
            return difference(x, y)
        case (.date(let x), .dateTime(let y)):
            return difference(FEELDateTime(date: x, time: FEELCompare.utcMidnight), y)
        case (.dateTime(let x), .date(let y)):
            return difference(x, FEELDateTime(date: y, time: FEELCompare.utcMidnight))
        case (.time(let x), .time(let y)):
            if FEELTemporal.hasZone(x) != FEELTemporal.hasZone(y) { return .null }
            let seconds = FEELCompare.utcSecondOfDay(x) - FEELCompare.utcSecondOfDay(y)
            return .dayTimeDuration(normalised(seconds, Int64(x.nanosecond - y.nanosecond)))
        case (.date, .yearMonthDuration(let m)), (.dateTime, .yearMonthDuration(let m)):
            let (months, overflow) = 0.subtractingReportingOverflow(m.months)
            return overflow ? .null : add(a, .yearMonthDuration(FEELYearMonthDuration(months: months)))
        case (.date, .dayTimeDuration(let x)), (.dateTime, .dayTimeDuration(let x)), (.time, .dayTimeDuration(let x)):
            return add(a, .dayTimeDuration(x.negated))
        default: return .null
        }
    }

    static func multiply(_ a: FEELValue, _ b: FEELValue) -> FEELValue {
        switch (a, b) {
        case (.number(let x), .number(let y)): return FEELNumber.value(FEELNumber.product(x, y))
        case (.yearMonthDuration(let d), .number(let n)), (.number(let n), .yearMonthDuration(let d)):
            guard let months = FEELNumber.truncatedInt(Decimal(d.months) * n) else { return .null }
            return .yearMonthDuration(FEELYearMonthDuration(months: months))
        case (.dayTimeDuration(let d), .number(let n)), (.number(let n), .dayTimeDuration(let d)):
            return FEELDayTimeDuration(totalNanoseconds: d.totalNanoseconds * n).map(FEELValue.dayTimeDuration) ?? .null
        default: return .null
        }
    }

    static func divide(_ a: FEELValue, _ b: FEELValue) -> FEELValue {
        switch (a, b) {
        case (.number(let x), .number(let y)):
            guard !y.isZero else { return .null }
            return FEELNumber.value(x / y)
        case (.yearMonthDuration(let d), .number(let n)):
            guard !n.isZero, let months = FEELNumber.truncatedInt(Decimal(d.months) / n) else { return .null }
            return .yearMonthDuration(FEELYearMonthDuration(months: months))
        case (.dayTimeDuration(let d), .number(let n)):
            guard !n.isZero else { return .null }
            return FEELDayTimeDuration(totalNanoseconds: d.totalNanoseconds / n).map(FEELValue.dayTimeDuration) ?? .null
        case (.yearMonthDuration(let x), .yearMonthDuration(let y)):
            guard y.months != 0 else { return .null }
            return FEELNumber.value(Decimal(x.months) / Decimal(y.months))
        case (.dayTimeDuration(let x), .dayTimeDuration(let y)):
            let divisor = y.totalNanoseconds
            guard !divisor.isZero else { return .null }
            return FEELNumber.value(x.totalNanoseconds / divisor)
        default: return .null
        }
    }

    static func power(_ a: FEELValue, _ b: FEELValue) -> FEELValue {
        guard case .number(let x) = a, case .number(let y) = b else { return .null }
        if let n = FEELNumber.int(y), abs(n) <= 999_999 {
            return FEELNumber.value(FEELNumber.power(x, n))
        }
        let value = Foundation.pow(FEELNumber.double(x), FEELNumber.double(y))
        return FEELNumber.fromDouble(value).map(FEELValue.number) ?? .null
    }

    static func negate(_ a: FEELValue) -> FEELValue {
        switch a {
        case .number(let x): return .number(-x)
        case .dayTimeDuration(let d): return .dayTimeDuration(d.negated)
        case .yearMonthDuration(let d): return .yearMonthDuration(FEELYearMonthDuration(months: -d.months))
        default: return .null
        }
    }

    // MARK: helpers

    static func normalised(_ seconds: Int64, _ nanos: Int64) -> FEELDayTimeDuration {
        var s = seconds + nanos / 1_000_000_000
        var n = nanos % 1_000_000_000
        if s > 0 && n < 0 {
            s -= 1
            n += 1_000_000_000
        } else if s < 0 && n > 0 {
            s += 1
            n -= 1_000_000_000
        }
        return FEELDayTimeDuration(seconds: s, nanoseconds: Int32(n))
    }

    static func addDurations(_ x: FEELDayTimeDuration, _ y: FEELDayTimeDuration) -> FEELDayTimeDuration? {
        let (s, overflow) = x.seconds.addingReportingOverflow(y.seconds)
        guard !overflow else { return nil }
        return normalised(s, Int64(x.nanoseconds) + Int64(y.nanoseconds))
    }

    static func difference(_ x: FEELDateTime, _ y: FEELDateTime) -> FEELValue {
        if FEELTemporal.hasZone(x.time) != FEELTemporal.hasZone(y.time) { return .null }
        let seconds = FEELTemporal.epochSeconds(x) - FEELTemporal.epochSeconds(y)
        return .dayTimeDuration(normalised(seconds, Int64(x.time.nanosecond - y.time.nanosecond)))
    }

    static func shift(_ t: FEELDateTime, _ d: FEELDayTimeDuration) -> FEELDateTime? {
        var nanos = Int64(t.time.nanosecond) + Int64(d.nanoseconds)
        var carry: Int64 = 0
        if nanos < 0 {
            nanos += 1_000_000_000
            carry = -1
        } else if nanos >= 1_000_000_000 {
            nanos -= 1_000_000_000
            carry = 1
        }
        // Beyond 64 bits of seconds is beyond any date FEEL writes: null, not a trap (FuzzFEEL).
        let (sum, overflow) = FEELTemporal.epochSeconds(t).addingReportingOverflow(d.seconds)
        let (seconds, carried) = sum.addingReportingOverflow(carry)
        guard !overflow, !carried, (-399_999_999_999...399_999_999_999).contains(seconds) else { return nil }
        return FEELTemporal.dateTime(epochSeconds: seconds, nanos: Int(nanos), like: t.time)
    }

    static func shift(_ t: FEELTime, _ d: FEELDayTimeDuration) -> FEELTime {
        var nanos = Int64(t.nanosecond) + Int64(d.nanoseconds)
        var seconds = FEELTemporal.secondOfDay(t) + d.seconds % 86400
        if nanos < 0 {
            nanos += 1_000_000_000
            seconds -= 1
        } else if nanos >= 1_000_000_000 {
            nanos -= 1_000_000_000
            seconds += 1
        }
        seconds = ((seconds % 86400) + 86400) % 86400
        var result = t
        result.hour = Int(seconds / 3600)
        result.minute = Int(seconds % 3600 / 60)
        result.second = Int(seconds % 60)
        result.nanosecond = Int(nanos)
        return result
    }
}
