/// A parsed YAML file: its root node (nil for an empty file) and the bytes it was read from, kept so
/// that positions inside a scalar's value can be traced back to the file.
public struct YAMLDocument: Sendable {
    public var file: String
    public var root: YAMLNode?
    /// The file's bytes as given to the parser.
    public var source: [UInt8]

    public init(file: String, root: YAMLNode?, source: [UInt8]) {
        self.file = file
        self.root = root
        self.source = source
    }

    /// Where the byte at `valueOffset` of a scalar's text (UTF-8) was written in the file.
    ///
    /// Exact for plain and quoted scalars on one or several lines (escapes and `''` included) and for
    /// literal `|` and folded `>` blocks, where the value's line breaks and folding spaces stand for the
    /// file's line ends. Offsets past the end map to just after the last character. If the text cannot be
    /// traced (the node is not a scalar of this document), the scalar's start is returned.
    public func mark(ofValueOffset valueOffset: Int, in node: YAMLNode) -> YAMLMark {
        YAMLValueMapper.mark(ofValueOffset: valueOffset, in: node, source: source) ?? node.start
    }
}
