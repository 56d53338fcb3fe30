import Foundation

extension FEELBuiltins {
    static func put(_ context: FEELContext, _ keys: ArraySlice<String>, _ value: FEELValue) -> FEELContext? {
        guard let key = keys.first else { return nil }
        var result = context
        if keys.count == 1 {
            result[key] = value
            return result
        }
        guard case .context(let inner)? = context[key], let updated = put(inner, keys.dropFirst(), value) else {
            return nil
        }
        result[key] = .context(updated)
        return result
    }

    static let contexts: [String: [FEELBuiltin]] = [
        "get value": [
            .pure(["m", "key"]) { a in
                guard case .context(let c) = a[0], let key = string(a[1]) else { return .null }
                return c[key] ?? .null
            }
        ],
        "get entries": [
            .pure(["m"]) { a in
                guard case .context(let c) = a[0] else { return .null }
                return .list(c.entries.map { .context(FEELContext([("key", .string($0.key)), ("value", $0.value)])) })
            }
        ],
        "context": [
            .pure(["entries"]) { a in
                guard let items = list(a[0]) else { return .null }
                var result = FEELContext()
                for item in items {
                    guard case .context(let entry) = item, case .string(let key)? = entry["key"],
                        let value = entry["value"],
                        result[key] == nil
                    else { return .null }
                    result[key] = value
                }
                return .context(result)
            }
        ],
        "context put": [
            // Positional calls take either a key or a list of keys; `key:` by name takes only a key.
            .pure(["context", "keys", "value"]) { a in
                guard case .context(let c) = a[0] else { return .null }
                switch a[1] {
                case .string(let key): return put(c, [key], a[2]).map(FEELValue.context) ?? .null
                case .list(let keys):
                    let names = keys.compactMap { k -> String? in
                        if case .string(let s) = k { return s }
                        return nil
                    }
                    guard names.count == keys.count, !names.isEmpty else { return .null }
                    return put(c, names[...], a[2]).map(FEELValue.context) ?? .null
                default: return .null
                }
            },
            .pure(["context", "key", "value"]) { a in
                guard case .context(let c) = a[0], case .string(let key) = a[1] else { return .null }
                return put(c, [key], a[2]).map(FEELValue.context) ?? .null
            },
        ],
        "context merge": [
            .pure(["contexts"]) { a in
                guard let items = list(a[0]) else { return .null }
                var result = FEELContext()
                for item in items {
                    guard case .context(let c) = item else { return .null }
                    for entry in c.entries { result[entry.key] = entry.value }
                }
                return .context(result)
            }
        ],
    ]

    /// Waymark's extensions (spec §2): working days by the caller's calendar, and age in whole years.
    static let extensions: [String: [FEELBuiltin]] = [
        "add working days": [
            FEELBuiltin(binary: ("date", "n"), usesEnvironment: true) { date, n, env in
                guard let d = dateArgument(date), let n = int(n), let calendar = env.workingDays else {
                    return .null
                }
                return .date(calendar.addWorkingDays(d, n))
            }
        ],
        "working days between": [
            FEELBuiltin(binary: ("from", "to"), usesEnvironment: true) { from, to, env in
                guard let from = dateArgument(from), let to = dateArgument(to), let calendar = env.workingDays else {
                    return .null
                }
                return .number(Decimal(calendar.workingDaysBetween(from, to)))
            }
        ],
        "age": [
            .pure(["birth date", "on"]) { a in
                guard let birth = dateArgument(a[0]), let on = dateArgument(a[1]) else { return .null }
                var years = on.year - birth.year
                if (on.month, on.day) < (birth.month, birth.day) { years -= 1 }
                return .number(Decimal(years))
            }
        ],
    ]

    /// A date, the date of a date-time, or an ISO 8601 date string (facts keep JSON strings).
    static func dateArgument(_ v: FEELValue) -> FEELDate? {
        if case .string(let s) = v {
            return FEELTemporal.parseDate(s) ?? FEELTemporal.parseDateTime(s)?.date
        }
        return date(v)
    }
}
