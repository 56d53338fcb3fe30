public import WaymarkFEEL

/// A FEEL text from a definitions file, compiled once when the definitions load.
public struct Expression: Sendable {
    /// The names every Waymark expression may use, in the order the engine supplies their values.
    public static let scopeNames = ["event", "case", "facts", "task"]

    public let source: String
    public let location: SourceLocation
    public let compiled: FEELExpression

    public init(source: String, location: SourceLocation, compiled: FEELExpression) {
        self.source = source
        self.location = location
        self.compiled = compiled
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
