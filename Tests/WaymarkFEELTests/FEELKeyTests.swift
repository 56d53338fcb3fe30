import Testing

@testable import WaymarkFEEL

@Suite struct FEELKeyTests {
    /// `FEELKey` reads a context entry's key and value where they lie in memory: the key first, the
    /// value at `valueOffset`. A context entry is a struct, whose layout the compiler chooses, so
    /// this is checked rather than assumed.
    @Test func anEntryIsLaidOutAsTheLookUpReadsIt() {
        #expect(MemoryLayout<FEELContext.Entry>.offset(of: \.key) == 0)
        #expect(MemoryLayout<FEELContext.Entry>.offset(of: \.value) == FEELKey.valueOffset)
    }

    /// Every name of a context is found, with its own value, whether it is short (inline), long (on
    /// the heap), or spelled with other code points that `String` takes as the same text; a name
    /// that is not there is not found.
    @Test func findsEveryNameByItsValue() {
        let decomposed = "cafe\u{301}"
        let names = [
            "a", "attendance", "birth_date", "exactly15bytes!", "sixteen bytes ok", "a name longer than fifteen bytes",
            "caf\u{E9}", "\u{1F642} emoji", "",
        ]
        func text(_ value: FEELValue?) -> String? { value?.typedJSONText }
        func expected(_ i: Int) -> String? { FEELValue.string("value \(i)").typedJSONText }
        let context = FEELContext(entries: names.enumerated().map { .init($0.element, .string("value \($0.offset)")) })
        for (i, name) in names.enumerated() {
            #expect(text(context[name]) == expected(i), "\(name)")
            #expect(text(context[FEELKey(name)]) == expected(i), "\(name)")
        }
        #expect(text(context[decomposed]) == expected(6))
        for missing in ["b", "attendancf", "a name longer than fifteen byte", "cafe"] {
            #expect(context[missing] == nil, "\(missing)")
        }
    }
}
