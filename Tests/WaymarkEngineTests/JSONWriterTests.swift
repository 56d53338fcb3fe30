import Testing
import WaymarkTestSupport

@testable import WaymarkEngine

@Suite struct JSONWriterTests {
    func written(_ s: String) -> String {
        var w = JSONWriter()
        w.string(s)
        return w.out
    }

    @Test func plainStringsAreQuotedAsTheyAre() {
        #expect(written("Décidé 🙂 plain") == "\"Décidé 🙂 plain\"")
    }

    @Test func quotesBackslashesAndControlsAreEscapedAndTheRestKept() {
        #expect(written(#"say "hi" \ é"#) == #""say \"hi\" \\ é""#)
        // "\r\n" is one Character in Swift: both halves must still be written.
        #expect(written("a\r\nb\tc\u{1}🙂\"") == #""a\r\nb\tc\u0001🙂\"""#)
        #expect(written("\"") == #""\"""#)
    }

    /// The eight-bytes-at-a-time test must agree with looking at each byte, whatever the bytes
    /// around (a borrow from a lower byte must not hide or invent one).
    @Test func theWordTestAgreesWithEachByte() {
        func byByte(_ word: UInt64) -> Bool {
            (0..<8).contains { k in
                let b = UInt8(truncatingIfNeeded: word >> (8 * UInt64(k)))
                return b < 0x20 || b == 0x22 || b == 0x5C
            }
        }
        for position in 0..<8 {
            for value in 0...255 {
                for fill: UInt64 in [0x61, 0x00, 0x20, 0x21, 0x5D, 0x80, 0xFF] {
                    var word: UInt64 = 0
                    for k in 0..<8 { word |= (k == position ? UInt64(value) : fill) << (8 * UInt64(k)) }
                    #expect(JSONWriter.needsEscaping(word) == byByte(word), "\(String(word, radix: 16))")
                }
            }
        }
        var words = SeededSequence(seed: 0x9E37_79B9_7F4A_7C15)
        for _ in 0..<100_000 {
            let word = words.next()
            #expect(JSONWriter.needsEscaping(word) == byByte(word))
        }
    }

    @Test func longStringsAreEscapedWhereverTheBytesFall() {
        for offset in 0..<20 {
            let plain = String(repeating: "é-abcdefg ", count: 3)
            let text = String(plain.prefix(offset)) + "\"\n\\" + plain
            let expected =
                "\"" + String(plain.prefix(offset)) + #"\"\n\\"# + plain + "\""
            #expect(written(text) == expected)
        }
    }

    /// Strings of every length up to 40, of bytes chosen to trip the word test (quotes, backslashes,
    /// controls, and the bytes one above them, which a borrow from a byte shifted out of the last
    /// word could mark), are written as escaping one byte at a time writes them.
    @Test func everyLengthIsEscapedAsByteByByte() {
        func byByte(_ text: String) -> String {
            var out: [UInt8] = [0x22]
            for u in text.utf8 {
                switch u {
                case 0x22: out += Array(#"\""#.utf8)
                case 0x5C: out += Array(#"\\"#.utf8)
                case 0x0A: out += Array(#"\n"#.utf8)
                case 0x0D: out += Array(#"\r"#.utf8)
                case 0x09: out += Array(#"\t"#.utf8)
                case 0..<0x20: out += Array((#"\u00"# + (u < 0x10 ? "0" : "") + String(u, radix: 16)).utf8)
                default: out.append(u)
                }
            }
            return String(decoding: out + [0x22], as: UTF8.self)
        }
        let alphabet: [String] = ["a", "\"", "#", "\\", "]", "\u{1}", "\u{2}", "!", "\n", " ", "é", "\u{1F}"]
        var picks = SeededSequence(seed: 0x2545_F491_4F6C_DD1D)
        for length in 0...40 {
            for _ in 0..<200 {
                var text = ""
                for _ in 0..<length {
                    text += alphabet[picks.next(below: alphabet.count)]
                }
                #expect(written(text) == byByte(text))
            }
        }
    }

    /// Text composed in pieces is escaped as the same text written whole, and the writer's buffer for
    /// it is reused without leaking one string into the next.
    @Test func composedTextIsEscapedAsTheWholeString() {
        let pieces = ["C1/\"quoted\"", " \\ é 🙂", "\n", "", "end"]
        var w = JSONWriter()
        w.string { out in for piece in pieces { out.write(piece) } }
        w.raw(",")
        w.string { $0.write("short") }
        #expect(w.out == written(pieces.joined()) + "," + written("short"))
    }
}
