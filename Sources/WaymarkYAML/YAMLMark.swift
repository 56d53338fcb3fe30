/// A position in a YAML file: 1-based line and column (in Unicode scalars, as libyaml counts them)
/// and the 0-based UTF-8 byte offset from the start of the file.
public struct YAMLMark: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var offset: Int

    public init(line: Int, column: Int, offset: Int) {
        self.line = line
        self.column = column
        self.offset = offset
    }

    public var description: String { "\(line):\(column)" }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.offset < rhs.offset }
}
