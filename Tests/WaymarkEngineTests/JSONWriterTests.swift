import Testing

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
}
