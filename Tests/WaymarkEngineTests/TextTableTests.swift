import Testing

@testable import WaymarkEngine

@Suite struct TextTableTests {
    /// Every key is found with its own value, whatever its length (a multiple of eight bytes, or a
    /// last word padded with zeros), and texts that are not keys are not, a prefix or an extension
    /// of one included.
    @Test func findsEveryKeyAndNothingElse() {
        var pairs: [String: Int] = [:]
        for n in 0..<2000 { pairs["type-\(n).recorded"] = n }
        pairs[""] = -1
        pairs["12345678"] = -2
        pairs["1234567"] = -3
        pairs["a\u{0}"] = -4
        let table = TextTable(pairs)
        for (key, value) in pairs { #expect(table[key] == value) }
        for text in ["type-2000.recorded", "type-1.recorde", "type-1.recorded.", "123456789", "a", "a\u{0}\u{0}"] {
            #expect(table[text] == nil)
        }
    }

    /// `String` takes canonically equivalent texts as equal, so the table does too: a decomposed
    /// "é" finds the key written with the precomposed one.
    @Test func canonicallyEquivalentTextsAreTheSameKey() {
        let table = TextTable(["r\u{E9}f\u{E9}rence.re\u{E7}ue": 7])
        #expect(table["re\u{301}fe\u{301}rence.rec\u{327}ue"] == 7)
        #expect(table["reference.recue"] == nil)
        // An ASCII text can be equivalent to a key that is not ASCII: the Kelvin sign is "K".
        let kelvin = TextTable(["\u{212A}.recorded": 3])
        #expect(kelvin["K.recorded"] == 3)
    }
}

@Suite struct IdentityTableTests {
    final class Thing: Sendable {}

    /// Each object finds its own value; an object that is not a key finds none, even among many
    /// whose addresses differ only in their low bits.
    @Test func findsEachObjectByIdentity() {
        let things = (0..<3000).map { _ in Thing() }
        var pairs: [ObjectIdentifier: Int] = [:]
        for (i, thing) in things.enumerated() where i % 3 != 0 { pairs[ObjectIdentifier(thing)] = i }
        let table = IdentityTable(pairs)
        for (i, thing) in things.enumerated() {
            #expect(table[ObjectIdentifier(thing)] == (i % 3 != 0 ? i : nil))
        }
        #expect(IdentityTable<Int>([:])[ObjectIdentifier(things[0])] == nil)
    }
}
