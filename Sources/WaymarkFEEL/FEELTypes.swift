import Foundation

/// `instance of` and the conversion of a value to a declared type (DMN 1.5 §10.3.2.9).
enum FEELTypes {
    static func isInstance(_ value: FEELValue, of type: FEELTypeName) -> Bool {
        switch (type, value) {
        case (.null, .null): return true
        case (_, .null): return false
        case (.any, _): return true
        case (.number, .number), (.string, .string), (.boolean, .boolean), (.date, .date), (.time, .time),
            (.dateTime, .dateTime), (.dayTimeDuration, .dayTimeDuration), (.yearMonthDuration, .yearMonthDuration):
            return true
        case (.list(let element), .list(let items)): return items.allSatisfy { conforms($0, element) }
        case (.context(let entries), .context(let c)):
            return entries.allSatisfy { key, t in c[key].map { conforms($0, t) } ?? false }
        case (.range(let element), .range(let r)):
            return (r.start.map { conforms($0, element) } ?? true) && (r.end.map { conforms($0, element) } ?? true)
        case (.function(let parameters, _), .function(let f)):
            return f.capture == nil || f.parameters.count == parameters.count
        default: return false
        }
    }

    /// Like `isInstance`, but null conforms to every type, as element and entry values do.
    static func conforms(_ value: FEELValue, _ type: FEELTypeName) -> Bool {
        if case .null = value { return true }
        return isInstance(value, of: type)
    }

    /// The value converted to `type` as DMN converts a decision's result: singleton lists unwrapped,
    /// single values wrapped for list types, anything that still does not conform becomes null.
    static func coerce(_ value: FEELValue, to type: FEELTypeName) -> FEELValue {
        if case .null = value { return value }
        if case .unknown = type { return value }
        if case .list(let element) = type {
            if case .list(let items) = value {
                let converted = items.map { coerce($0, to: element) }
                for (original, new) in zip(items, converted) {
                    if case .null = new, !isNull(original) { return .null }
                }
                return .list(converted)
            }
            let single = coerce(value, to: element)
            return isNull(single) ? .null : .list([single])
        }
        if case .list(let items) = value, items.count == 1 { return coerce(items[0], to: type) }
        if case .dateTime = type, case .date(let d) = value {
            return .dateTime(FEELDateTime(date: d, time: FEELTime(hour: 0, minute: 0, second: 0, offsetSeconds: 0)))
        }
        return conforms(value, type) ? value : .null
    }

    static func isNull(_ v: FEELValue) -> Bool {
        if case .null = v { return true }
        return false
    }
}

extension FEELTypeName {
    /// Reads a type written in FEEL type syntax: `number`, `list<string>`, `context<a: number>`.
    static func parse(_ text: String) throws(FEELError) -> FEELTypeName {
        var parser = try FEELParser(text, names: [], functionNames: [])
        let type = try parser.typeName()
        guard parser.token.kind == .end else { throw parser.fail("end of type") }
        return type
    }
}

extension FEELValue {
    /// Whether the value is null.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}
