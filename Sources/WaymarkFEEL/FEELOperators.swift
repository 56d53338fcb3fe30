import Foundation

/// Run-time helpers shared by compiled expressions: ranges, unary tests, paths, filters, iteration.
enum FEELOperators {
    /// A positive unary test applied to the tested value: true, false, or nil when not comparable.
    typealias Matcher = @Sendable (FEELValue, inout FEELFrame) -> Bool?

    static func anyMatch(_ x: FEELValue, _ matchers: [Matcher], _ f: inout FEELFrame) -> FEELValue {
        var sawNull = false
        for matcher in matchers {
            switch matcher(x, &f) {
            case true?: return .boolean(true)
            case nil: sawNull = true
            default: break
            }
        }
        return sawNull ? .null : .boolean(false)
    }

    /// A range from end points, or null when they are of kinds that cannot bound a range.
    static func makeRange(_ lo: FEELValue?, _ loIncluded: Bool, _ hi: FEELValue?, _ hiIncluded: Bool) -> FEELValue {
        if let lo, case .null = lo { return .null }
        if let hi, case .null = hi { return .null }
        if let lo, let hi, FEELCompare.order(lo, hi) == nil { return .null }
        if let lo, FEELCompare.order(lo, lo) == nil { return .null }
        if let hi, FEELCompare.order(hi, hi) == nil { return .null }
        return .range(FEELRange(start: lo, startIncluded: loIncluded, end: hi, endIncluded: hiIncluded))
    }

    /// `< 5` and friends as range values.
    static func unaryRange(_ op: ComparisonOperator, _ v: FEELValue) -> FEELValue {
        switch op {
        case .less: return makeRange(nil, false, v, false)
        case .lessOrEqual: return makeRange(nil, false, v, true)
        case .greater: return makeRange(v, false, nil, false)
        case .greaterOrEqual: return makeRange(v, true, nil, false)
        case .equal: return makeRange(v, true, v, true)
        case .notEqual: return .null
        }
    }

    /// The values an iteration variable takes: a list, a `a..b` span of integers, or an integer range.
    static func iterationDomain(_ domain: FEELValue, _ upTo: FEELValue?) -> [FEELValue]? {
        if let upTo {
            guard case .number(let a) = domain, case .number(let b) = upTo, let x = FEELNumber.int(a),
                let y = FEELNumber.int(b)
            else { return nil }
            return integers(x, y)
        }
        switch domain {
        case .list(let items): return items
        case .range(let r):
            guard case .number(let a)? = r.start, case .number(let b)? = r.end, var x = FEELNumber.int(a),
                var y = FEELNumber.int(b)
            else { return nil }
            if !r.startIncluded { x += x <= y ? 1 : -1 }
            if !r.endIncluded { y += x <= y ? -1 : 1 }
            return integers(x, y)
        case .null: return nil
        default: return [domain]
        }
    }

    private static func integers(_ x: Int, _ y: Int) -> [FEELValue]? {
        guard abs(y - x) < FEELCompiler.maximumIterations else { return nil }
        return x <= y
            ? (x...y).map { .number(Decimal($0)) } : stride(from: x, through: y, by: -1).map { .number(Decimal($0)) }
    }

    /// `list[n]`: one-based, negative from the end; null outside the list.
    static func index(_ value: FEELValue, _ n: Decimal) -> FEELValue {
        let items: [FEELValue]
        if case .list(let list) = value {
            items = list
        } else if case .null = value {
            return .null
        } else {
            items = [value]
        }
        guard let i = FEELNumber.int(n), i != 0, abs(i) <= items.count else { return .null }
        return i > 0 ? items[i - 1] : items[items.count + i]
    }

    /// Arguments given by name, put in parameter order; nil when a name is not a parameter.
    static func order(_ names: [String?], _ values: [FEELValue], _ parameters: [String]) -> [FEELValue]? {
        var result = Array(repeating: FEELValue.null, count: parameters.count)
        for (name, value) in zip(names, values) {
            guard let name, let i = parameters.firstIndex(of: name) else { return nil }
            result[i] = value
        }
        return result
    }

    /// `value.name`: a context entry, the property of a temporal value or range, or the path mapped
    /// over a list.
    static func path(_ value: FEELValue, _ name: String) -> FEELValue {
        switch value {
        case .context(let c): return c[name] ?? .null
        case .list(let items): return .list(items.map { path($0, name) })
        case .date(let d):
            switch name {
            case "year": return .number(Decimal(d.year))
            case "month": return .number(Decimal(d.month))
            case "day": return .number(Decimal(d.day))
            case "weekday": return .number(Decimal(d.isoWeekday))
            default: return .null
            }
        case .dateTime(let dt):
            switch name {
            case "year", "month", "day", "weekday": return path(.date(dt.date), name)
            default: return timeProperty(dt.time, name, dateTime: dt)
            }
        case .time(let t): return timeProperty(t, name, dateTime: nil)
        case .dayTimeDuration(let d):
            switch name {
            case "days": return .number(Decimal(d.seconds / 86400))
            case "hours": return .number(Decimal(d.seconds % 86400 / 3600))
            case "minutes": return .number(Decimal(d.seconds % 3600 / 60))
            case "seconds": return .number(Decimal(d.seconds % 60))
            default: return .null
            }
        case .yearMonthDuration(let d):
            switch name {
            case "years": return .number(Decimal(d.months / 12))
            case "months": return .number(Decimal(d.months % 12))
            default: return .null
            }
        case .range(let r):
            switch name {
            case "start": return r.start ?? .null
            case "end": return r.end ?? .null
            case "start included": return .boolean(r.startIncluded)
            case "end included": return .boolean(r.endIncluded)
            default: return .null
            }
        default: return .null
        }
    }

    private static func timeProperty(_ t: FEELTime, _ name: String, dateTime: FEELDateTime?) -> FEELValue {
        switch name {
        case "hour": return .number(Decimal(t.hour))
        case "minute": return .number(Decimal(t.minute))
        case "second":
            return .number(Decimal(t.second) + Decimal(t.nanosecond) / 1_000_000_000)
        case "time offset":
            var offset = t.offsetSeconds
            if offset == nil, t.zoneID != nil {
                offset =
                    dateTime.flatMap(FEELTemporal.offset(of:))
                    ?? FEELTemporal.offset(
                        of: FEELDateTime(date: FEELDate(year: 1970, month: 1, day: 1), time: t))
            }
            return offset.map { .dayTimeDuration(FEELDayTimeDuration(seconds: Int64($0))) } ?? .null
        case "timezone": return t.zoneID.map(FEELValue.string) ?? .null
        default: return .null
        }
    }
}
