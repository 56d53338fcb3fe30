import Foundation
import WaymarkModel
import WaymarkYAML

/// Loads a definitions folder: every `*.yaml`/`*.yml` under `workflows/` and `rules/`, each file's kind
/// told by its top-level key (`pathway:`, `ruleset:` or `calendar:`).
///
/// Loading never stops at the first problem: every file is read and every problem becomes a positioned
/// ``Diagnostic``, so that a designer fixes them all in one pass. The definitions returned hold what could
/// be read; use them only when ``LoadedDefinitions/hasErrors`` is false.
public struct DefinitionsLoader: Sendable {
    /// The definitions root, as the user named it (paths in diagnostics start with it).
    public var root: String
    public var limits: YAMLLimits

    /// The folders of the root that hold definitions.
    public static let folders = ["workflows", "rules"]

    public init(root: String = ".", limits: YAMLLimits = .default) {
        self.root = root
        self.limits = limits
    }

    /// Reads and checks every definitions file under the root.
    ///
    /// - Throws: ``DefinitionsLoaderError`` only when the root itself cannot be used (missing, not a folder,
    ///   or holding neither `workflows/` nor `rules/`); problems in files are diagnostics.
    public func load() throws(DefinitionsLoaderError) -> LoadedDefinitions {
        let files = try definitionFiles()
        var inputs: [(path: String, contents: [UInt8])] = []
        var unreadable: [Diagnostic] = []
        for path in files {
            let full = display(path)
            if let data = FileManager.default.contents(atPath: join(root, path)) {
                inputs.append((full, [UInt8](data)))
            } else {
                unreadable.append(
                    .error("the file cannot be read", at: SourceLocation(file: full, line: 1, column: 1), code: "io"))
            }
        }
        var result = Self.load(files: inputs, limits: limits)
        if !unreadable.isEmpty {
            result.diagnostics = (result.diagnostics + unreadable).sorted()
            result.files += unreadable.map(\.location.file)
        }
        return result
    }

    /// The definitions files under the root, relative to it and sorted.
    public func definitionFiles() throws(DefinitionsLoaderError) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DefinitionsLoaderError(message: "definitions folder `\(root)` does not exist or is not a folder")
        }
        var found: [String] = []
        var anyFolder = false
        for folder in Self.folders {
            let path = join(root, folder)
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                continue
            }
            anyFolder = true
            guard let enumerator = FileManager.default.enumerator(atPath: path) else { continue }
            while let item = enumerator.nextObject() as? String {
                if item.hasSuffix(".yaml") || item.hasSuffix(".yml") { found.append(folder + "/" + item) }
            }
        }
        guard anyFolder else {
            throw DefinitionsLoaderError(
                message: "`\(root)` holds neither workflows/ nor rules/: is it a definitions folder?")
        }
        return found.sorted()
    }

    private func join(_ a: String, _ b: String) -> String { a.hasSuffix("/") ? a + b : a + "/" + b }

    private func display(_ relative: String) -> String {
        root == "." || root == "./" ? relative : join(root, relative)
    }

    /// Loads definitions from files already in memory (path as it should appear in diagnostics, bytes).
    public static func load(files: [(path: String, contents: [UInt8])], limits: YAMLLimits = .default)
        -> LoadedDefinitions
    {
        var diagnostics: [Diagnostic] = []
        var documents: [(path: String, document: YAMLDocument)] = []
        var builder = DefinitionsBuilder()
        for file in files {
            do {
                let document = try YAMLParser.parse(file.contents, file: file.path, limits: limits)
                documents.append((file.path, document))
            } catch {
                builder.noteUnreadable(file.contents)
                diagnostics.append(
                    .error(
                        error.message, at: SourceLocation(file: file.path, line: error.line, column: error.column),
                        code: error.code.description))
            }
        }
        let functionNames = tableNames(documents.map(\.document))
        for (path, document) in documents {
            let context = FileContext(path: path, document: document, functionNames: functionNames)
            builder.read(context)
            diagnostics += context.diagnostics
        }
        diagnostics += builder.crossCheck()
        return LoadedDefinitions(
            definitions: builder.definitions, diagnostics: diagnostics.sorted(), files: files.map(\.path))
    }

    /// The names of every decision table, gathered before any FEEL is compiled since any rule may call them.
    static func tableNames(_ documents: [YAMLDocument]) -> [String] {
        var names: [String] = []
        for document in documents {
            guard let root = document.root, root["ruleset"] != nil, let tables = root["tables"]?.sequence else {
                continue
            }
            for table in tables {
                if let name = table["name"]?.text, !names.contains(name) { names.append(name) }
            }
        }
        return names
    }
}

/// The definitions root cannot be used at all (as opposed to problems inside its files).
public struct DefinitionsLoaderError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

/// What loading a definitions folder gave: the definitions, and every problem found, sorted.
public struct LoadedDefinitions: Sendable {
    public var definitions: Definitions
    /// Sorted by file, line and column.
    public var diagnostics: [Diagnostic]
    /// Every file read, as named in diagnostics.
    public var files: [String]

    public init(definitions: Definitions, diagnostics: [Diagnostic], files: [String]) {
        self.definitions = definitions
        self.diagnostics = diagnostics
        self.files = files
    }

    public var errorCount: Int { diagnostics.count { $0.severity == .error } }
    public var warningCount: Int { diagnostics.count { $0.severity == .warning } }
    public var hasErrors: Bool { errorCount > 0 }
}
