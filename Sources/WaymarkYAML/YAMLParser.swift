internal import CYAML

/// Reads YAML into a ``YAMLDocument`` with libyaml's event parser.
///
/// Written over the event API rather than libyaml's document loader (or Yams) because the loader keeps
/// no end positions for scalars' values, resolves aliases by copying without a bound, and types plain
/// scalars by YAML 1.1 rules; here nodes keep their positions and style, aliases share their subtree and
/// are counted, and nothing is typed until the definitions loader knows which field a scalar fills.
public enum YAMLParser {
    /// Parses one YAML document.
    ///
    /// - Parameters:
    ///   - bytes: the file's contents (UTF-8).
    ///   - file: the name positions and errors carry.
    ///   - limits: bounds on size, nesting and alias expansion.
    /// - Throws: ``YAMLError`` at the position of the first problem.
    public static func parse(
        _ bytes: [UInt8], file: String, limits: YAMLLimits = .default
    ) throws(YAMLError) -> YAMLDocument {
        if bytes.count > limits.maxDocumentBytes {
            throw YAMLError(
                .documentSize,
                "the file is \(bytes.count) bytes, more than the limit of \(limits.maxDocumentBytes)",
                file: file, mark: YAMLMark(line: 1, column: 1, offset: 0))
        }
        var builder = TreeBuilder(file: file, bytes: bytes, limits: limits)
        let result: Result<YAMLNode?, YAMLError> = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(YAMLError) -> YAMLNode? in try builder.run(buffer) }
        }
        return YAMLDocument(file: file, root: try result.get(), source: bytes)
    }

    /// Parses a string; convenient for tests and small inputs.
    public static func parse(
        _ text: String, file: String = "<string>", limits: YAMLLimits = .default
    ) throws(YAMLError) -> YAMLDocument {
        try parse(Array(text.utf8), file: file, limits: limits)
    }
}

/// Converts libyaml's marks (which count characters) to ``YAMLMark``s with byte offsets.
private struct OffsetTracker {
    let bytes: UnsafeBufferPointer<UInt8>
    let ascii: Bool
    let base: Int
    var charIndex = 0
    var byteOffset: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        let bom = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
        self.base = bom ? 3 : 0
        self.byteOffset = base
        var allASCII = !bom
        if allASCII {
            for b in bytes where b >= 0x80 {
                allASCII = false
                break
            }
        }
        self.ascii = allASCII
    }

    mutating func mark(_ m: yaml_mark_t) -> YAMLMark {
        let index = Int(m.index)
        if ascii { return YAMLMark(line: Int(m.line) + 1, column: Int(m.column) + 1, offset: index) }
        while charIndex < index && byteOffset < bytes.count {
            byteOffset += 1
            while byteOffset < bytes.count && bytes[byteOffset] & 0xC0 == 0x80 { byteOffset += 1 }
            charIndex += 1
        }
        while charIndex > index && byteOffset > base {
            byteOffset -= 1
            while byteOffset > base && bytes[byteOffset] & 0xC0 == 0x80 { byteOffset -= 1 }
            charIndex -= 1
        }
        return YAMLMark(line: Int(m.line) + 1, column: Int(m.column) + 1, offset: byteOffset)
    }
}

/// Builds the node tree from libyaml events, enforcing the limits as it goes.
private struct TreeBuilder {
    struct Frame {
        var isMapping: Bool
        /// Where this collection's children begin in ``TreeBuilder/children``.
        var firstChild: Int
        var keyIndex: [String: YAMLMark]?
        var start: YAMLMark
        var anchor: String?
        var tag: String?
        /// Nodes in this subtree, aliases counted as what they expand to.
        var size = 1
    }

    let file: String
    let limits: YAMLLimits
    var stack: [Frame] = []
    /// The finished children of every open collection, in order (a mapping's as key, value, key, ...).
    /// One shared stack means each collection's array is allocated once, at its exact size, when it ends.
    var children: [YAMLNode] = []
    var anchors: [String: (node: YAMLNode, size: Int)] = [:]
    var expanded = 0
    var root: YAMLNode?
    var documents = 0

    init(file: String, bytes: [UInt8], limits: YAMLLimits) {
        self.file = file
        self.limits = limits
    }

    static func string(_ p: UnsafePointer<yaml_char_t>?) -> String? {
        guard let p else { return nil }
        return String(cString: p)
    }

    mutating func run(_ buffer: UnsafeBufferPointer<UInt8>) throws(YAMLError) -> YAMLNode? {
        var tracker = OffsetTracker(buffer)
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard yaml_parser_initialize(parser) == 1 else {
            throw YAMLError(
                .syntax, "libyaml could not start", file: file, mark: YAMLMark(line: 1, column: 1, offset: 0))
        }
        defer { yaml_parser_delete(parser) }
        yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
        if let base = buffer.baseAddress {
            yaml_parser_set_input_string(parser, base, buffer.count)
        } else {
            var empty: UInt8 = 0
            yaml_parser_set_input_string(parser, &empty, 0)
        }
        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(parser, &event) == 1 else {
                throw syntaxError(parser.pointee, &tracker)
            }
            defer { yaml_event_delete(&event) }
            let start = tracker.mark(event.start_mark)
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return root
            case YAML_DOCUMENT_START_EVENT:
                documents += 1
                if documents > 1 {
                    throw YAMLError(
                        .multipleDocuments, "a definitions file holds one YAML document; remove the second `---`",
                        file: file, mark: start)
                }
            case YAML_SCALAR_EVENT:
                let s = event.data.scalar
                let text: String
                if let value = s.value, s.length > 0 {
                    text = String(decoding: UnsafeBufferPointer(start: value, count: Int(s.length)), as: UTF8.self)
                } else {
                    text = ""
                }
                let style: YAMLScalar.Style
                switch s.style {
                case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
                case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
                case YAML_LITERAL_SCALAR_STYLE: style = .literal
                case YAML_FOLDED_SCALAR_STYLE: style = .folded
                default: style = .plain
                }
                let node = YAMLNode(
                    content: .scalar(YAMLScalar(text: text, style: style)), file: file, start: start,
                    end: tracker.mark(event.end_mark), tag: Self.string(s.tag))
                if let anchor = Self.string(s.anchor) { anchors[anchor] = (node, 1) }
                try add(node, size: 1)
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                if stack.count >= limits.maxDepth {
                    throw YAMLError(
                        .depth, "lists and mappings nest deeper than \(limits.maxDepth) levels", file: file, mark: start
                    )
                }
                let isMapping = event.type == YAML_MAPPING_START_EVENT
                let anchor = isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor
                let tag = isMapping ? event.data.mapping_start.tag : event.data.sequence_start.tag
                stack.append(
                    Frame(
                        isMapping: isMapping, firstChild: children.count, start: start, anchor: Self.string(anchor),
                        tag: Self.string(tag)))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                let frame = stack.removeLast()
                let end = tracker.mark(event.end_mark)
                let content: YAMLNode.Content
                if frame.isMapping {
                    var pairs: [YAMLPair] = []
                    pairs.reserveCapacity((children.count - frame.firstChild) / 2)
                    var i = frame.firstChild
                    while i + 1 < children.count {
                        pairs.append(YAMLPair(key: children[i], value: children[i + 1]))
                        i += 2
                    }
                    content = .mapping(pairs)
                } else {
                    content = .sequence(Array(children[frame.firstChild...]))
                }
                children.removeSubrange(frame.firstChild...)
                let node = YAMLNode(content: content, file: file, start: frame.start, end: end, tag: frame.tag)
                if let anchor = frame.anchor { anchors[anchor] = (node, frame.size) }
                try add(node, size: frame.size)
            case YAML_ALIAS_EVENT:
                let name = Self.string(event.data.alias.anchor) ?? ""
                guard let target = anchors[name] else {
                    throw YAMLError(.unknownAnchor, "no anchor `&\(name)` before this alias", file: file, mark: start)
                }
                expanded += target.size
                if expanded > limits.maxAliasExpansion {
                    throw YAMLError(
                        .aliasExpansion,
                        "aliases expand to more than \(limits.maxAliasExpansion) nodes; "
                            + "the file looks like an alias bomb and is refused",
                        file: file, mark: start)
                }
                var node = target.node
                node.start = start
                node.end = tracker.mark(event.end_mark)
                try add(node, size: target.size)
            default:
                break
            }
        }
    }

    mutating func add(_ node: consuming YAMLNode, size: Int) throws(YAMLError) {
        guard !stack.isEmpty else {
            root = node
            return
        }
        let top = stack.count - 1
        stack[top].size += size
        if stack[top].isMapping && (children.count - stack[top].firstChild) % 2 == 0,
            case .scalar(let s) = node.content
        {
            try checkDuplicate(s.text, at: node.start, frame: top)
        }
        children.append(node)
    }

    /// Small mappings are searched in place; an index is built only once a mapping grows, so that the
    /// common case of a few keys allocates nothing extra.
    mutating func checkDuplicate(_ key: String, at mark: YAMLMark, frame top: Int) throws(YAMLError) {
        var previous: YAMLMark?
        let first = stack[top].firstChild
        if var index = stack[top].keyIndex {
            previous = index[key]
            if previous == nil {
                stack[top].keyIndex = nil
                index[key] = mark
                stack[top].keyIndex = index
            }
        } else {
            var i = first
            while i < children.count {
                if case .scalar(let s) = children[i].content, s.text == key {
                    previous = children[i].start
                    break
                }
                i += 2
            }
            if previous == nil && children.count - first >= 32 {
                var index: [String: YAMLMark] = [key: mark]
                i = first
                while i < children.count {
                    if case .scalar(let s) = children[i].content { index[s.text] = children[i].start }
                    i += 2
                }
                stack[top].keyIndex = index
            }
        }
        if let previous {
            throw YAMLError(
                .duplicateKey,
                "duplicate key `\(key)`: it is already set on line \(previous.line)", file: file, mark: mark)
        }
    }

    func syntaxError(_ parser: yaml_parser_t, _ tracker: inout OffsetTracker) -> YAMLError {
        let problem =
            Self.string(parser.problem.map { UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self) })
            ?? "invalid YAML"
        var message = problem
        if let context = parser.context.map({ String(cString: $0) }) { message = "\(problem) (\(context))" }
        var mark = tracker.mark(parser.problem_mark)
        if parser.problem_mark.line == 0 && parser.problem_mark.column == 0 && parser.problem_mark.index == 0
            && parser.context_mark.index > 0
        {
            mark = tracker.mark(parser.context_mark)
        }
        return YAMLError(.syntax, message, file: file, mark: mark)
    }
}
