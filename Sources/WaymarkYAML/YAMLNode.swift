/// One node of a YAML document: a scalar, a sequence or a mapping, with where it was written.
///
/// Nodes are values; an alias shares the anchored node (arrays are copy-on-write), so aliases cost no
/// copying, only the count kept against ``YAMLLimits/maxAliasExpansion``.
public struct YAMLNode: Sendable {
    /// What the node holds.
    public enum Content: Sendable {
        case scalar(YAMLScalar)
        case sequence([YAMLNode])
        /// Key/value pairs in file order; keys are unique.
        case mapping([YAMLPair])
    }

    public var content: Content
    /// The file the node was read from, as given to the parser.
    public var file: String
    /// Where the node starts (for a quoted scalar, its opening quote; for a block scalar, its `|` or `>`).
    public var start: YAMLMark
    /// Just past where the node ends.
    public var end: YAMLMark
    /// The explicit tag, if one was written (`!!str`, `!date`).
    public var tag: String?

    public init(content: Content, file: String, start: YAMLMark, end: YAMLMark, tag: String? = nil) {
        self.content = content
        self.file = file
        self.start = start
        self.end = end
        self.tag = tag
    }

    /// The scalar, if this node is one.
    public var scalar: YAMLScalar? {
        if case .scalar(let s) = content { return s }
        return nil
    }

    /// The scalar's text, if this node is a scalar.
    public var text: String? { scalar?.text }

    /// The items, if this node is a sequence.
    public var sequence: [YAMLNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    /// The pairs, if this node is a mapping.
    public var mapping: [YAMLPair]? {
        if case .mapping(let pairs) = content { return pairs }
        return nil
    }

    /// The value for a scalar key, if this node is a mapping that has it.
    public subscript(key: String) -> YAMLNode? {
        guard case .mapping(let pairs) = content else { return nil }
        return pairs.first { $0.key.text == key }?.value
    }

    /// A word for the node's kind, for diagnostics (`a mapping`, `a list`, `a text`).
    public var kindDescription: String {
        switch content {
        case .scalar: "a single value"
        case .sequence: "a list"
        case .mapping: "a mapping"
        }
    }
}

/// One key/value pair of a mapping.
public struct YAMLPair: Sendable {
    public var key: YAMLNode
    public var value: YAMLNode

    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}

/// A scalar's text and how it was written. The text is never resolved to a number or boolean here:
/// the definitions loader types it by the field it fills.
public struct YAMLScalar: Sendable, Hashable {
    /// How the scalar was written; it decides how its text maps back to the file.
    public enum Style: Sendable, Hashable {
        case plain, singleQuoted, doubleQuoted, literal, folded
    }

    public var text: String
    public var style: Style

    public init(text: String, style: Style) {
        self.text = text
        self.style = style
    }

    /// Whether the scalar is plain and empty or `~`/`null`, as YAML writes "no value".
    public var isNull: Bool {
        style == .plain && (text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL")
    }
}
