/// Traces a byte of a scalar's value back to the file, by walking the value and the file text together.
///
/// libyaml reports only where a scalar starts and ends. A FEEL error inside a folded `>-` block is
/// reported at an offset inside the folded text, and the designer needs the file's line and column: the
/// characters of a scalar's value appear in the file in the same order, and what differs is only
/// whitespace (indentation dropped, line ends folded into spaces), quotes and escapes. So a walk that
/// matches each value byte to the next equal file byte, skipping whitespace the value dropped and
/// decoding escapes, finds every position exactly.
enum YAMLValueMapper {
    static func mark(ofValueOffset target: Int, in node: YAMLNode, source: [UInt8]) -> YAMLMark? {
        guard let scalar = node.scalar else { return nil }
        let value = Array(scalar.text.utf8)
        var walker = Walker(source: source, node: node)
        guard walker.p < source.count else { return nil }
        return walker.find(target: target, value: value, style: scalar.style)
    }

    private struct Walker {
        let source: [UInt8]
        let limit: Int
        var p: Int
        var line: Int
        var column: Int

        init(source: [UInt8], node: YAMLNode) {
            self.source = source
            self.limit = min(node.end.offset, source.count)
            self.p = node.start.offset
            self.line = node.start.line
            self.column = node.start.column
        }

        var mark: YAMLMark { YAMLMark(line: line, column: column, offset: p) }

        mutating func advance() {
            let b = source[p]
            if b == 0x0A {
                line += 1
                column = 1
            } else if b == 0x0D {
                if p + 1 < source.count && source[p + 1] == 0x0A {
                    // CRLF is one line break: the LF moves the line.
                } else {
                    line += 1
                    column = 1
                }
            } else if b & 0xC0 != 0x80 {
                column += 1
            }
            p += 1
        }

        static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }
        static func isBreak(_ b: UInt8) -> Bool { b == 0x0A || b == 0x0D }

        /// For a block scalar: skips the header line and returns the content indentation.
        ///
        /// The indentation is that of the first line with content, less the spaces that line keeps
        /// in `value`: those are there only when the header fixes the indentation (`|2`) below it.
        mutating func enterBlock(value: [UInt8]) -> Int {
            var kept = 0
            var v = 0
            while v < value.count && value[v] == 0x0A { v += 1 }
            while v < value.count && value[v] == 0x20 {
                v += 1
                kept += 1
            }
            return max(0, contentIndent() - kept)
        }

        private mutating func contentIndent() -> Int {
            while p < limit && !Self.isBreak(source[p]) { advance() }
            while p < limit && Self.isBreak(source[p]) && !(source[p] == 0x0A) { advance() }
            if p < limit { advance() }
            // Indentation is that of the first line with content.
            var q = p
            while q < limit {
                var spaces = 0
                while q < limit && source[q] == 0x20 {
                    q += 1
                    spaces += 1
                }
                if q < limit && !Self.isBreak(source[q]) { return spaces }
                while q < limit && source[q] != 0x0A { q += 1 }
                q += 1
            }
            return 0
        }

        mutating func skipIndent(_ indent: Int) {
            var n = 0
            while n < indent && p < limit && source[p] == 0x20 {
                advance()
                n += 1
            }
        }

        /// Length in the file and in UTF-8 of the escape at `p` (which is a backslash).
        func escape() -> (fileLength: Int, valueLength: Int)? {
            guard p + 1 < limit else { return nil }
            func hex(_ count: Int) -> (Int, Int)? {
                guard p + 2 + count <= limit else { return nil }
                var v: UInt32 = 0
                for b in source[(p + 2)..<(p + 2 + count)] {
                    guard let d = hexDigit(b) else { return nil }
                    v = v << 4 | UInt32(d)
                }
                let utf8 = v < 0x80 ? 1 : v < 0x800 ? 2 : v < 0x10000 ? 3 : 4
                return (2 + count, utf8)
            }
            switch source[p + 1] {
            case UInt8(ascii: "x"): return hex(2)
            case UInt8(ascii: "u"): return hex(4)
            case UInt8(ascii: "U"): return hex(8)
            case UInt8(ascii: "N"), UInt8(ascii: "_"): return (2, 2)
            case UInt8(ascii: "L"), UInt8(ascii: "P"): return (2, 3)
            default: return (2, 1)
            }
        }

        func hexDigit(_ b: UInt8) -> UInt8? {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): b - UInt8(ascii: "A") + 10
            default: nil
            }
        }

        mutating func find(target: Int, value: [UInt8], style: YAMLScalar.Style) -> YAMLMark? {
            let block = style == .literal || style == .folded
            var indent = 0
            if block {
                indent = enterBlock(value: value)
                skipIndent(indent)
            } else if style == .singleQuoted || style == .doubleQuoted {
                advance()
            }
            var i = 0
            while i < value.count {
                let c = value[i]
                var matched = false
                while !matched {
                    guard p < limit else { return nil }
                    let s = source[p]
                    if style == .doubleQuoted && s == UInt8(ascii: "\\") {
                        if p + 1 < limit && Self.isBreak(source[p + 1]) {
                            // An escaped line break joins the lines without a space.
                            advance()
                            advance()
                            if p < limit && source[p - 1] == 0x0D && source[p] == 0x0A { advance() }
                            continue
                        }
                        guard let (fileLength, valueLength) = escape() else { return nil }
                        if target < i + valueLength { return mark }
                        for _ in 0..<fileLength { advance() }
                        i += valueLength
                        matched = true
                        continue
                    }
                    if style == .singleQuoted && s == UInt8(ascii: "'") && c == s && p + 1 < limit
                        && source[p + 1] == s
                    {
                        if i == target { return mark }
                        advance()
                        advance()
                        i += 1
                        matched = true
                        continue
                    }
                    if s == c {
                        if i == target { return mark }
                        advance()
                        i += 1
                        matched = true
                        if block && c == 0x0A { skipIndent(indent) }
                        continue
                    }
                    if (c == 0x20 || c == 0x0A) && Self.isBreak(s) {
                        // A folding space or break the value made from the file's line end.
                        if i == target { return mark }
                        i += 1
                        matched = true
                        continue
                    }
                    if Self.isSpace(s) || Self.isBreak(s) {
                        let wasBreak = s == 0x0A
                        advance()
                        if block && wasBreak { skipIndent(indent) }
                        continue
                    }
                    return nil
                }
            }
            return mark
        }
    }
}
