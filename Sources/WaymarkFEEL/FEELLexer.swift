import Foundation

/// A token of FEEL text. Keywords are names; the parser decides what a name means where it stands.
struct FEELToken: Sendable {
    enum Kind: Sendable, Equatable {
        case number, string, name, symbol, end
    }

    var kind: Kind
    /// The token's text: the digits of a number, the decoded content of a string, a name or symbol.
    var text: String
    var start: Int
    var end: Int

    var describe: String {
        switch kind {
        case .end: return "end of text"
        case .string: return "string \"\(text)\""
        default: return "'\(text)'"
        }
    }
}

/// Reads FEEL tokens from UTF-8 bytes on demand, so that the parser can re-read the text when a name
/// with spaces (`date and time`, `Monthly Salary`) turns out to span several words.
struct FEELLexer {
    let bytes: [UInt8]
    let source: String

    init(_ source: String) {
        self.source = source
        self.bytes = Array(source.utf8)
    }

    static func isNameStart(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || b == 0x5F || b == 0x3F || b >= 0x80
    }

    static func isNamePart(_ b: UInt8) -> Bool {
        isNameStart(b) || (b >= 0x30 && b <= 0x39)
    }

    static func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0B || b == 0x0C
    }

    func error(_ message: String, at offset: Int) -> FEELError {
        FEELLexer.error(message, at: offset, in: bytes)
    }

    static func error(_ message: String, at offset: Int, in bytes: [UInt8]) -> FEELError {
        var line = 1
        var column = 1
        var i = 0
        let limit = Swift.min(offset, bytes.count)
        while i < limit {
            if bytes[i] == 0x0A {
                line += 1
                column = 1
            } else if bytes[i] & 0xC0 != 0x80 {
                column += 1
            }
            i += 1
        }
        return FEELError(message: message, offset: offset, line: line, column: column)
    }

    /// The offset of the first byte at or after `offset` that is not white space or a comment.
    func skipTrivia(_ offset: Int) throws(FEELError) -> Int {
        var i = offset
        while i < bytes.count {
            let b = bytes[i]
            if FEELLexer.isSpace(b) {
                i += 1
            } else if b == 0xC2, i + 1 < bytes.count, bytes[i + 1] == 0xA0 {
                i += 2
            } else if b == 0x2F, i + 1 < bytes.count, bytes[i + 1] == 0x2F {
                while i < bytes.count, bytes[i] != 0x0A { i += 1 }
            } else if b == 0x2F, i + 1 < bytes.count, bytes[i + 1] == 0x2A {
                let start = i
                i += 2
                while i + 1 < bytes.count, !(bytes[i] == 0x2A && bytes[i + 1] == 0x2F) { i += 1 }
                if i + 1 >= bytes.count { throw error("unterminated comment", at: start) }
                i += 2
            } else {
                break
            }
        }
        return i
    }

    /// Reads the token that starts at or after `offset`.
    func token(at offset: Int) throws(FEELError) -> FEELToken {
        let start = try skipTrivia(offset)
        guard start < bytes.count else { return FEELToken(kind: .end, text: "", start: start, end: start) }
        let b = bytes[start]
        if b >= 0x30 && b <= 0x39 || (b == 0x2E && start + 1 < bytes.count && isDigit(bytes[start + 1])) {
            return number(at: start)
        }
        if b == 0x22 { return try string(at: start) }
        if FEELLexer.isNameStart(b) {
            var i = start + 1
            while i < bytes.count, FEELLexer.isNamePart(bytes[i]) { i += 1 }
            return FEELToken(kind: .name, text: text(start, i), start: start, end: i)
        }
        let two = start + 1 < bytes.count ? text(start, start + 2) : ""
        if ["..", "**", "<=", ">=", "!=", "->"].contains(two) {
            return FEELToken(kind: .symbol, text: two, start: start, end: start + 2)
        }
        if "()[]{},.:=<>+-*/@".utf8.contains(b) {
            return FEELToken(kind: .symbol, text: text(start, start + 1), start: start, end: start + 1)
        }
        var end = start + 1
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        throw error("unexpected character '\(text(start, end))'", at: start)
    }

    func text(_ from: Int, _ to: Int) -> String {
        String(decoding: bytes[from..<Swift.min(to, bytes.count)], as: UTF8.self)
    }

    private func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    private func number(at start: Int) -> FEELToken {
        var i = start
        while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        if i + 1 < bytes.count, bytes[i] == 0x2E, isDigit(bytes[i + 1]) {
            i += 1
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        }
        // An exponent, as DMN 1.5 allows: 1.2e3, 5E-2.
        if i < bytes.count, bytes[i] == 0x65 || bytes[i] == 0x45 {
            var j = i + 1
            if j < bytes.count, bytes[j] == 0x2B || bytes[j] == 0x2D { j += 1 }
            if j < bytes.count, isDigit(bytes[j]) {
                while j < bytes.count, isDigit(bytes[j]) { j += 1 }
                i = j
            }
        }
        return FEELToken(kind: .number, text: text(start, i), start: start, end: i)
    }

    private func string(at start: Int) throws(FEELError) -> FEELToken {
        var i = start + 1
        var out: [UInt8] = []
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x22 {
                return FEELToken(
                    kind: .string, text: String(decoding: out, as: UTF8.self), start: start, end: i + 1)
            }
            if b == 0x5C, i + 1 < bytes.count {
                let e = bytes[i + 1]
                i += 2
                switch e {
                case 0x6E: out.append(0x0A)
                case 0x74: out.append(0x09)
                case 0x72: out.append(0x0D)
                case 0x62: out.append(0x08)
                case 0x66: out.append(0x0C)
                case 0x75, 0x55:
                    let width = e == 0x75 ? 4 : 6
                    guard i + width <= bytes.count, let code = UInt32(text(i, i + width), radix: 16) else {
                        throw error("malformed \\u escape", at: i - 2)
                    }
                    i += width
                    var scalarCode = code
                    // A UTF-16 surrogate pair written as two \u escapes.
                    if code >= 0xD800, code < 0xDC00, i + 6 <= bytes.count, bytes[i] == 0x5C, bytes[i + 1] == 0x75,
                        let low = UInt32(text(i + 2, i + 6), radix: 16), low >= 0xDC00, low < 0xE000
                    {
                        scalarCode = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    }
                    guard let scalar = Unicode.Scalar(scalarCode) else {
                        throw error("malformed \\u escape", at: i - width - 2)
                    }
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                case 0x22, 0x27, 0x5C: out.append(e)
                default:
                    // Any other escape stays as written, so that regular expressions keep `\d`, `\s`.
                    out.append(0x5C)
                    out.append(e)
                }
                continue
            }
            out.append(b)
            i += 1
        }
        throw error("unterminated string", at: start)
    }
}
