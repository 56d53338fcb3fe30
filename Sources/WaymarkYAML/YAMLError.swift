/// Why a YAML file could not be read, positioned where the problem is.
///
/// A struct with a code rather than a growing enum, so that callers can match the cases they care about
/// and new codes do not break them.
public struct YAMLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem it is; tests and the definitions loader match on these.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// libyaml could not scan or parse the text.
        public static let syntax = Code("yaml-syntax")
        /// The same key appears twice in one mapping.
        public static let duplicateKey = Code("duplicate-key")
        /// Aliases would expand to more nodes than ``YAMLLimits/maxAliasExpansion`` allows.
        public static let aliasExpansion = Code("alias-expansion")
        /// Collections nest deeper than ``YAMLLimits/maxDepth``.
        public static let depth = Code("nesting-depth")
        /// The file is larger than ``YAMLLimits/maxDocumentBytes``.
        public static let documentSize = Code("document-size")
        /// An alias names an anchor that was not defined before it.
        public static let unknownAnchor = Code("unknown-anchor")
        /// A file holds more than one YAML document.
        public static let multipleDocuments = Code("multiple-documents")

        public var description: String { name }
    }

    public var code: Code
    public var message: String
    public var file: String
    public var mark: YAMLMark

    public init(_ code: Code, _ message: String, file: String, mark: YAMLMark) {
        self.code = code
        self.message = message
        self.file = file
        self.mark = mark
    }

    public var line: Int { mark.line }
    public var column: Int { mark.column }

    /// `file:line:col: message`, the shape compilers and editors understand.
    public var description: String { "\(file):\(mark.line):\(mark.column): \(message)" }
}
