public import WaymarkFEEL

/// A FEEL text from a definitions file, compiled once when the definitions load.
public struct Expression: Sendable {
    /// The names every Waymark expression may use, in the order the engine supplies their values.
    public static let scopeNames = ["event", "case", "facts", "task"]

    /// Held behind one reference: the engine passes expressions around for every event and daily
    /// check, and a copy of the three fields cost a reference count on each of their parts.
    private final class Storage: Sendable {
        let source: String
        let location: SourceLocation
        let compiled: FEELExpression

        init(source: String, location: SourceLocation, compiled: FEELExpression) {
            self.source = source
            self.location = location
            self.compiled = compiled
        }
    }

    private let storage: Storage

    public var source: String { storage.source }
    public var location: SourceLocation { storage.location }
    public var compiled: FEELExpression { storage.compiled }

    /// Evaluates the compiled form where it is kept: reading ``compiled`` first copies it, a retain
    /// and a release of each of its parts, which on the engine's million evaluations cost 1%.
    public func evaluate(_ values: [FEELValue], environment: FEELEnvironment) -> FEELValue {
        storage.compiled.evaluate(values, environment: environment)
    }

    /// Evaluates with the frame made in `scratch` (see `FEELExpression.evaluate(_:reusing:environment:)`).
    public func evaluate(
        _ values: [FEELValue], reusing scratch: inout [FEELValue], environment: FEELEnvironment
    ) -> FEELValue {
        storage.compiled.evaluate(values, reusing: &scratch, environment: environment)
    }

    /// The same for every copy of this expression and different from any other loaded expression:
    /// the engine keys what it learns of an expression on it, which is cheaper than its text.
    public var identity: ObjectIdentifier { ObjectIdentifier(storage) }

    public init(source: String, location: SourceLocation, compiled: FEELExpression) {
        storage = Storage(source: source, location: location, compiled: compiled)
    }
}

/// A message with `{{ expr }}` placeholders replaced by FEEL values at the time it is raised.
public struct MessageTemplate: Sendable {
    /// A literal run of text, or an expression whose value is printed in its place.
    public enum Part: Sendable {
        case text(String)
        case expression(Expression)
    }

    public let source: String
    public let location: SourceLocation
    public let parts: [Part]

    public init(source: String, location: SourceLocation, parts: [Part]) {
        self.source = source
        self.location = location
        self.parts = parts
    }
}
