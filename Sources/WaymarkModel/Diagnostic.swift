/// A problem found in the definitions, positioned where the service designer can fix it.
///
/// Diagnostics are values; rendering them (`path:line:col: error: message`, JSON) is the edges' job.
public struct Diagnostic: Sendable, Hashable, Comparable {
    /// How serious a diagnostic is: an error stops the definitions from loading.
    public enum Severity: String, Sendable, Hashable, Codable {
        case error
        case warning
        case note
    }

    public var severity: Severity
    public var message: String
    public var location: SourceLocation
    /// A short machine-readable code such as `unknown-stage`, for editors and tests.
    public var code: String

    public init(_ severity: Severity, _ message: String, at location: SourceLocation, code: String) {
        self.severity = severity
        self.message = message
        self.location = location
        self.code = code
    }

    public static func error(_ message: String, at location: SourceLocation, code: String) -> Diagnostic {
        Diagnostic(.error, message, at: location, code: code)
    }

    public static func warning(_ message: String, at location: SourceLocation, code: String) -> Diagnostic {
        Diagnostic(.warning, message, at: location, code: code)
    }

    /// Sorted by file, then position, so that output reads top to bottom.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        if lhs.location != rhs.location { return lhs.location < rhs.location }
        return (lhs.severity.rawValue, lhs.message) < (rhs.severity.rawValue, rhs.message)
    }
}
