public import WaymarkModel

/// A scenario file that cannot be read: not YAML, or not the shape the spec gives (section 7).
///
/// Carries the file, line and column of the problem so that `waymark test` can print
/// `file:line:col: error: message` and exit 2, as for any unreadable input.
public struct ScenarioError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var location: SourceLocation

    public init(_ message: String, at location: SourceLocation) {
        self.message = message
        self.location = location
    }

    public var description: String { "\(location): error: \(message)" }
}
