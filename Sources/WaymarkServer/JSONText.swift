/// Minimal JSON writing for the daemon's responses.
///
/// Written by hand rather than with `JSONEncoder` because the responses must keep the spec's key
/// order and `null`s byte for byte (as `waymark run --format json` prints them), which
/// `JSONEncoder` does not promise, and because the task list is the hot path of the daemon.
enum JSONText {
    /// A JSON string literal, quotes included.
    static func string(_ text: String) -> String {
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let control where control.value < 0x20:
                let hex = String(control.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
        return out
    }

    /// A JSON string literal, or `null`.
    static func optional(_ text: String?) -> String {
        text.map(string) ?? "null"
    }
}
