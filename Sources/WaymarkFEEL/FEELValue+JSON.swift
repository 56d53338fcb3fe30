import Foundation

/// A typed JSON value that does not describe a FEEL value.
public struct FEELJSONError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension FEELValue {
    /// A FEEL value from a plain JSON value as `JSONSerialization` returns it.
    ///
    /// Numbers become decimals, objects contexts (keys in sorted order, so results are
    /// deterministic), arrays lists; strings stay strings even when they look like dates, as facts do.
    public init(json: Any) {
        switch json {
        case is NSNull: self = .null
        case let b as Bool where type(of: json) == Bool.self: self = .boolean(b)
        case let s as String: self = .string(s)
        case let n as NSNumber:
            // JSONSerialization gives booleans as NSNumbers of a boolean class; numbers never have it.
            if String(describing: type(of: n)).contains("Boolean") {
                self = .boolean(n.boolValue)
            } else {
                self = FEELNumber.parse(n.stringValue).map(FEELValue.number) ?? .null
            }
        case let i as Int: self = .number(Decimal(i))
        case let d as Double: self = FEELNumber.fromDouble(d).map(FEELValue.number) ?? .null
        case let a as [Any]: self = .list(a.map(FEELValue.init(json:)))
        case let o as [String: Any]:
            self = .context(FEELContext(o.keys.sorted().map { ($0, FEELValue(json: o[$0]!)) }))
        default: self = .null
        }
    }

    /// A FEEL value from its typed JSON form (`{"type": "number", "value": "1.5"}`), as the
    /// conformance files and `waymark eval` write it.
    public init(typedJSON json: Any) throws(FEELJSONError) {
        guard let object = json as? [String: Any], let type = object["type"] as? String else {
            throw FEELJSONError("a typed value must be an object with a \"type\"")
        }
        let value = object["value"]
        func text() throws(FEELJSONError) -> String {
            guard let s = value as? String else { throw FEELJSONError("\(type) value must be a string") }
            return s
        }
        switch type {
        case "null": self = .null
        case "boolean":
            guard let b = value as? Bool else { throw FEELJSONError("boolean value must be true or false") }
            self = .boolean(b)
        case "number":
            let s: String
            if let n = value as? NSNumber, !(value is String) { s = n.stringValue } else { s = try text() }
            guard let n = FEELNumber.parse(s) else { throw FEELJSONError("'\(s)' is not a number") }
            self = .number(n)
        case "string": self = .string(try text())
        case "date":
            let s = try text()
            guard let d = FEELTemporal.parseDate(s) else { throw FEELJSONError("'\(s)' is not a date") }
            self = .date(d)
        case "time":
            let s = try text()
            guard let t = FEELTemporal.parseTime(s) else { throw FEELJSONError("'\(s)' is not a time") }
            self = .time(t)
        case "dateTime":
            let s = try text()
            guard let t = FEELTemporal.parseDateTime(s) else { throw FEELJSONError("'\(s)' is not a date and time") }
            self = .dateTime(t)
        case "dayTimeDuration", "yearMonthDuration", "duration":
            let s = try text()
            guard let d = FEELTemporal.parseDuration(s) else { throw FEELJSONError("'\(s)' is not a duration") }
            self = d
        case "list":
            guard let items = value as? [Any] else { throw FEELJSONError("list value must be an array") }
            var out: [FEELValue] = []
            for item in items { out.append(try FEELValue(typedJSON: item)) }
            self = .list(out)
        case "context":
            guard let entries = value as? [String: Any] else { throw FEELJSONError("context value must be an object") }
            var context = FEELContext()
            for key in entries.keys.sorted() { context[key] = try FEELValue(typedJSON: entries[key]!) }
            self = .context(context)
        default:
            throw FEELJSONError("unknown value type '\(type)'")
        }
    }

    /// The typed JSON text of the value, with context entries in their order.
    public var typedJSONText: String {
        switch self {
        case .null: return #"{"type":"null"}"#
        case .boolean(let b): return #"{"type":"boolean","value":\#(b)}"#
        case .number(let n): return typed("number", FEELNumber.format(n))
        case .string(let s): return typed("string", s)
        case .date(let d): return typed("date", FEELTemporal.format(d))
        case .time(let t): return typed("time", FEELTemporal.format(t))
        case .dateTime(let t): return typed("dateTime", FEELTemporal.format(t))
        case .dayTimeDuration(let d): return typed("dayTimeDuration", FEELTemporal.format(d))
        case .yearMonthDuration(let d): return typed("yearMonthDuration", FEELTemporal.format(d))
        case .list(let items):
            return #"{"type":"list","value":["# + items.map(\.typedJSONText).joined(separator: ",") + "]}"
        case .context(let c):
            let entries = c.entries.map { FEELValue.quote($0.key) + ":" + $0.value.typedJSONText }
            return #"{"type":"context","value":{"# + entries.joined(separator: ",") + "}}"
        case .range(let r):
            var fields = [
                #""type":"range""#, #""startIncluded":\#(r.startIncluded)"#, #""endIncluded":\#(r.endIncluded)"#,
            ]
            if let s = r.start { fields.append(#""start":"# + s.typedJSONText) }
            if let e = r.end { fields.append(#""end":"# + e.typedJSONText) }
            return "{" + fields.joined(separator: ",") + "}"
        case .function(let f):
            return #"{"type":"function","parameters":["# + f.parameters.map(FEELValue.quote).joined(separator: ",")
                + "]}"
        }
    }

    private func typed(_ type: String, _ value: String) -> String {
        #"{"type":"\#(type)","value":"# + FEELValue.quote(value) + "}"
    }

    /// A JSON string literal.
    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

extension FEELValue: CustomStringConvertible {
    /// The value in FEEL-like text (`"a"`, `[1, 2]`, `{a: 1}`), for messages.
    public var description: String {
        if case .string(let s) = self { return "\"" + s + "\"" }
        return FEELValueText.render(self)
    }
}
