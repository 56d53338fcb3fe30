import WaymarkFEEL
import WaymarkModel
import WaymarkYAML

/// What the loader knows while it reads one file: the file, its YAML, and the problems found so far.
///
/// A reference type so that every reader of the file appends to one list of diagnostics; it never leaves
/// the loader.
final class FileContext {
    let path: String
    let document: YAMLDocument
    /// Every decision table name of every rule set: FEEL calls them as functions.
    let functionNames: [String]
    var diagnostics: [Diagnostic] = []

    init(path: String, document: YAMLDocument, functionNames: [String]) {
        self.path = path
        self.document = document
        self.functionNames = functionNames
    }

    func location(_ mark: YAMLMark) -> SourceLocation {
        SourceLocation(file: path, line: mark.line, column: mark.column)
    }

    func location(_ node: YAMLNode) -> SourceLocation { location(node.start) }

    /// Where a scalar's value begins: past the quote, or on the first line of a block's text.
    func valueLocation(_ node: YAMLNode) -> SourceLocation {
        guard node.scalar != nil else { return location(node) }
        return location(document.mark(ofValueOffset: 0, in: node))
    }

    func error(_ message: String, at node: YAMLNode, code: String) {
        diagnostics.append(.error(message, at: location(node), code: code))
    }

    func error(_ message: String, at location: SourceLocation, code: String) {
        diagnostics.append(.error(message, at: location, code: code))
    }

    func warning(_ message: String, at node: YAMLNode, code: String) {
        diagnostics.append(.warning(message, at: location(node), code: code))
    }
}
