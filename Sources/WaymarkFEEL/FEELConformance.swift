import Foundation

/// One case of the DMN TCK in the conformance format of `shared/conformance/feel-tck/`, evaluated
/// the way a DMN engine evaluates a decision: its inputs bound by name, the decisions it depends on
/// evaluated in order and converted to their declared types, then its own expression.
///
/// Shared by `waymark eval --jsonl` and the conformance test, so both read cases the same way.
public enum FEELConformance {
    public enum Failure: Error, Sendable, CustomStringConvertible {
        case malformed(String)
        case expression(FEELError, name: String?)

        public var description: String {
            switch self {
            case .malformed(let m): return m
            case .expression(let e, let name):
                let place = name.map { "decision '\($0)': " } ?? ""
                return "\(place)\(e.line):\(e.column): \(e.message)"
            }
        }
    }

    /// Evaluates one case object (as `JSONSerialization` reads a line).
    public static func evaluate(_ object: [String: Any], environment: FEELEnvironment = .empty)
        throws(Failure) -> FEELValue
    {
        guard let expression = object["expression"] as? String else { throw .malformed("case has no \"expression\"") }
        var names: [String] = []
        var values: [FEELValue] = []
        if let inputs = object["inputs"] as? [String: Any] {
            for key in inputs.keys.sorted() {
                names.append(key)
                do {
                    values.append(try FEELValue(typedJSON: inputs[key]!))
                } catch {
                    throw .malformed("input '\(key)': \(error.message)")
                }
            }
        }
        if let context = object["context"] as? [String: Any], let decisions = context["decisions"] as? [[String: Any]] {
            for decision in decisions {
                guard let name = decision["name"] as? String, let text = decision["expression"] as? String else {
                    throw .malformed("a decision needs a \"name\" and an \"expression\"")
                }
                let value = try run(text, names, values, decision["resultType"] as? String, environment, name: name)
                if let index = names.firstIndex(of: name) {
                    values[index] = value
                } else {
                    names.append(name)
                    values.append(value)
                }
            }
        }
        return try run(expression, names, values, object["resultType"] as? String, environment, name: nil)
    }

    private static func run(
        _ text: String, _ names: [String], _ values: [FEELValue], _ resultType: String?, _ environment: FEELEnvironment,
        name: String?
    ) throws(Failure) -> FEELValue {
        let compiled: FEELExpression
        do {
            compiled = try FEELExpression(text, names: names)
        } catch {
            throw .expression(error, name: name)
        }
        let value = compiled.evaluate(values, environment: environment)
        guard let resultType else { return value }
        do {
            return FEELTypes.coerce(value, to: try FEELTypeName.parse(resultType))
        } catch {
            throw .malformed("resultType '\(resultType)': \(error.message)")
        }
    }

    /// Whether `actual` matches `expected` as the conformance README says: numbers within 1e-8,
    /// durations by value, lists element by element, contexts by key set and values, and a time or
    /// date-time with an offset distinct from one without.
    public static func matches(_ actual: FEELValue, _ expected: FEELValue) -> Bool {
        switch (actual, expected) {
        case (.null, .null): return true
        case (.number(let a), .number(let b)): return (a - b).magnitude < Decimal(string: "0.00000001")!
        case (.time(let a), .time(let b)): return FEELTemporal.format(a) == FEELTemporal.format(b)
        case (.dateTime(let a), .dateTime(let b)): return FEELTemporal.format(a) == FEELTemporal.format(b)
        case (.list(let a), .list(let b)): return a.count == b.count && zip(a, b).allSatisfy { matches($0, $1) }
        case (.context(let a), .context(let b)):
            return a.entries.count == b.entries.count
                && b.entries.allSatisfy { entry in a[entry.key].map { matches($0, entry.value) } ?? false }
        default: return FEELCompare.equal(actual, expected) == true
        }
    }
}
