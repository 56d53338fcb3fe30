import Foundation

/// The built-in function library of DMN 1.5 (§10.3.4) and Waymark's extensions, by name.
enum FEELBuiltins {
    static let table: [String: [FEELBuiltin]] = {
        var t: [String: [FEELBuiltin]] = [:]
        for part in [conversion, strings, lists, numeric, temporal, ranges, contexts, extensions] {
            t.merge(part) { $0 + $1 }
        }
        return t
    }()

    static let names: [String] = Array(table.keys)

    // MARK: argument helpers

    // A list of one value stands for that value where a single value is expected (DMN 1.5 §10.3.2.9.4).

    static func number(_ v: FEELValue) -> Decimal? {
        if case .number(let n) = v { return n }
        if case .list(let items) = v, items.count == 1, case .number(let n) = items[0] { return n }
        return nil
    }

    static func string(_ v: FEELValue) -> String? {
        if case .string(let s) = v { return s }
        if case .list(let items) = v, items.count == 1, case .string(let s) = items[0] { return s }
        return nil
    }

    static func int(_ v: FEELValue) -> Int? {
        number(v).flatMap(FEELNumber.int)
    }

    /// A list argument; a single non-null value counts as a list of one.
    static func list(_ v: FEELValue) -> [FEELValue]? {
        switch v {
        case .list(let items): return items
        case .null: return nil
        default: return [v]
        }
    }

    /// The items of a function that takes either one list or several values (`max([1, 2])`, `max(1, 2)`).
    static func items(_ args: [FEELValue]) -> [FEELValue]? {
        if args.count == 1 {
            if case .list(let items) = args[0] { return items }
            if case .null = args[0] { return nil }
        }
        return args
    }

    static func date(_ v: FEELValue) -> FEELDate? {
        switch v {
        case .date(let d): return d
        case .dateTime(let dt): return dt.date
        case .list(let items) where items.count == 1: return date(items[0])
        default: return nil
        }
    }

    // MARK: conversion

    static let conversion: [String: [FEELBuiltin]] = [
        "date": [
            .pure(["from"]) { a in
                switch a[0] {
                case .string(let s): return FEELTemporal.parseDate(s).map(FEELValue.date) ?? .null
                case .date: return a[0]
                case .dateTime(let dt): return .date(dt.date)
                default: return .null
                }
            },
            .pure(["year", "month", "day"]) { a in
                guard let y = int(a[0]), let m = int(a[1]), let d = int(a[2]), m >= 1, m <= 12, d >= 1,
                    abs(y) <= 999_999_999, d <= FEELDate.daysInMonth(year: y, month: m)
                else { return .null }
                return .date(FEELDate(year: y, month: m, day: d))
            },
        ],
        "date and time": [
            .pure(["from"]) { a in
                switch a[0] {
                case .string(let s): return FEELTemporal.parseDateTime(s).map(FEELValue.dateTime) ?? .null
                case .dateTime: return a[0]
                case .date(let d):
                    return .dateTime(FEELDateTime(date: d, time: FEELTime(hour: 0, minute: 0, second: 0)))
                default: return .null
                }
            },
            .pure(["date", "time"]) { a in
                guard let d = date(a[0]), case .time(let t) = a[1] else { return .null }
                return .dateTime(FEELDateTime(date: d, time: t))
            },
        ],
        "time": [
            .pure(["from"]) { a in
                switch a[0] {
                case .string(let s): return FEELTemporal.parseTime(s).map(FEELValue.time) ?? .null
                case .time: return a[0]
                case .dateTime(let dt): return .time(dt.time)
                case .date: return .time(FEELTime(hour: 0, minute: 0, second: 0, offsetSeconds: 0))
                default: return .null
                }
            },
            .pure(["hour", "minute", "second", "offset"], required: 3) { a in
                guard let h = int(a[0]), let m = int(a[1]), let s = number(a[2]), h >= 0, h <= 23, m >= 0, m <= 59,
                    s >= 0, s < 60
                else { return .null }
                let whole = FEELNumber.truncatedInt(s) ?? 0
                let nanos = FEELNumber.truncatedInt((s - Decimal(whole)) * 1_000_000_000) ?? 0
                var time = FEELTime(hour: h, minute: m, second: whole, nanosecond: nanos)
                if a.count > 3 {
                    switch a[3] {
                    case .null: break
                    case .dayTimeDuration(let d): time.offsetSeconds = Int(d.seconds)
                    default: return .null
                    }
                }
                return .time(time)
            },
        ],
        "number": [
            .pure(["from", "grouping separator", "decimal separator"], required: 1) { a in
                guard var s = string(a[0]) else { return .null }
                let grouping = a.count > 1 ? a[1] : .null
                let decimal = a.count > 2 ? a[2] : .null
                if case .string(let g) = grouping {
                    guard [" ", ",", "."].contains(g) else { return .null }
                    s = s.replacingOccurrences(of: g, with: "")
                } else if case .null = grouping {
                } else {
                    return .null
                }
                if case .string(let d) = decimal {
                    guard [".", ","].contains(d), string(grouping) != d else { return .null }
                    s = s.replacingOccurrences(of: d, with: ".")
                } else if case .null = decimal {
                } else {
                    return .null
                }
                return FEELNumber.parse(s).map(FEELValue.number) ?? .null
            }
        ],
        "string": [.pure(["from"]) { a in FEELValueText.string(a[0]).map(FEELValue.string) ?? .null }],
        "duration": [
            .pure(["from"]) { a in
                guard let s = string(a[0]) else { return .null }
                return FEELTemporal.parseDuration(s) ?? .null
            }
        ],
        "years and months duration": [
            .pure(["from", "to"]) { a in
                guard var from = date(a[0]), var to = date(a[1]) else { return .null }
                var fromTime: Int64 = 0
                var toTime: Int64 = 0
                if case .dateTime(let x) = a[0] { fromTime = FEELTemporal.secondOfDay(x.time) }
                if case .dateTime(let y) = a[1] { toTime = FEELTemporal.secondOfDay(y.time) }
                var sign = 1
                if (to.year, to.month, to.day, toTime) < (from.year, from.month, from.day, fromTime) {
                    swap(&from, &to)
                    swap(&fromTime, &toTime)
                    sign = -1
                }
                var months = (to.year - from.year) * 12 + (to.month - from.month)
                if (to.day, toTime) < (from.day, fromTime) { months -= 1 }
                return .yearMonthDuration(FEELYearMonthDuration(months: sign * months))
            }
        ],
        "not": [
            .pure(["negand"]) { a in
                if case .boolean(let b) = a[0] { return .boolean(!b) }
                return .null
            }
        ],
        "is": [
            .pure(["value1", "value2"]) { a in
                switch (a[0], a[1]) {
                case (.time(let x), .time(let y)): return .boolean(x == y)
                case (.dateTime(let x), .dateTime(let y)): return .boolean(x == y)
                default:
                    guard let same = FEELCompare.equal(a[0], a[1]) else { return .boolean(false) }
                    return .boolean(same)
                }
            }
        ],
    ]
}
