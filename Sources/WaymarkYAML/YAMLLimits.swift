/// Bounds on hostile input: past any of them the parser stops with a ``YAMLError``, never a crash or hang.
public struct YAMLLimits: Sendable, Hashable {
    /// Largest file accepted, in bytes.
    public var maxDocumentBytes: Int
    /// Deepest nesting of sequences and mappings.
    public var maxDepth: Int
    /// Most nodes that aliases may add by expansion, over the whole document.
    ///
    /// Aliases share their anchored subtree rather than copying it, but every consumer that walks the
    /// tree pays for each expansion, so the parser counts the nodes each alias stands for. An alias bomb
    /// (nine levels of nine aliases is 9^9 nodes) is refused at the first alias that goes past this.
    public var maxAliasExpansion: Int

    public init(maxDocumentBytes: Int = 16 << 20, maxDepth: Int = 128, maxAliasExpansion: Int = 100_000) {
        self.maxDocumentBytes = maxDocumentBytes
        self.maxDepth = maxDepth
        self.maxAliasExpansion = maxAliasExpansion
    }

    public static let `default` = YAMLLimits()
}
