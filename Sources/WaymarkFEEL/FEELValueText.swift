import Foundation

/// FEEL's `string(from)`: the text of a value, and the FEEL-like rendering of lists and contexts.
enum FEELValueText {
    static func string(_ value: FEELValue) -> String? {
        switch value {
        case .null: return nil
        case .string(let s): return s
        default: return render(value)
        }
    }

    /// A readable FEEL rendering, used for messages and for `string()` of lists and contexts.
    static func render(_ value: FEELValue) -> String {
        switch value {
        case .null: return "null"
        case .boolean(let b): return b ? "true" : "false"
        case .number(let n): return FEELNumber.format(n)
        case .string(let s): return s
        case .date(let d): return FEELTemporal.format(d)
        case .time(let t): return FEELTemporal.format(t)
        case .dateTime(let dt): return FEELTemporal.format(dt)
        case .dayTimeDuration(let d): return FEELTemporal.format(d)
        case .yearMonthDuration(let d): return FEELTemporal.format(d)
        case .list(let items): return "[" + items.map(quoted).joined(separator: ", ") + "]"
        case .context(let c):
            return "{" + c.entries.map { "\($0.key): \(quoted($0.value))" }.joined(separator: ", ") + "}"
        case .range(let r):
            return (r.startIncluded ? "[" : "(") + (r.start.map(quoted) ?? "") + ".." + (r.end.map(quoted) ?? "")
                + (r.endIncluded ? "]" : ")")
        case .function: return "function"
        }
    }

    private static func quoted(_ value: FEELValue) -> String {
        if case .string(let s) = value { return "\"" + s + "\"" }
        return render(value)
    }
}
