import Foundation
import WaymarkModel

/// Renders loading diagnostics for people (`path:line:col: error: message`) and for editors and CI (JSON).
public enum DiagnosticReport {
    /// One line per diagnostic, in order, then a summary line.
    public static func text(_ loaded: LoadedDefinitions) -> String {
        var out = ""
        for d in loaded.diagnostics {
            out += "\(d.location.file):\(d.location.line):\(d.location.column): \(d.severity.rawValue): \(d.message)\n"
        }
        out += summary(loaded) + "\n"
        return out
    }

    /// `2 errors, 1 warning in 5 files`.
    public static func summary(_ loaded: LoadedDefinitions) -> String {
        func count(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        return
            "\(count(loaded.errorCount, "error")), \(count(loaded.warningCount, "warning")) in \(count(Set(loaded.files).count, "file"))"
    }

    private struct Entry: Encodable {
        var file: String
        var line: Int
        var column: Int
        var severity: String
        var code: String
        var message: String
    }

    private struct Document: Encodable {
        var diagnostics: [Entry]
        var errors: Int
        var warnings: Int
        var files: [String]
    }

    /// `{"diagnostics": [{file, line, column, severity, code, message}], "errors", "warnings", "files"}`, keys sorted.
    public static func json(_ loaded: LoadedDefinitions) -> String {
        let document = Document(
            diagnostics: loaded.diagnostics.map {
                Entry(
                    file: $0.location.file, line: $0.location.line, column: $0.location.column,
                    severity: $0.severity.rawValue, code: $0.code, message: $0.message)
            },
            errors: loaded.errorCount, warnings: loaded.warningCount, files: Array(Set(loaded.files)).sorted())
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let data = (try? encoder.encode(document)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
