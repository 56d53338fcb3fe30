/// A context entry name prepared once, so that finding it in a context touches no reference count.
///
/// Looking an entry up by `String` copies each key out of the context's array to compare it, and
/// every copy is an atomic retain and release: for `facts.school.attendance` that was most of the
/// evaluation. Swift stores a string of up to 15 UTF-8 bytes inline in its two words, and equal
/// contents give equal words, so a name that is such a "small" string can be matched against the
/// entries' keys by comparing two integers read in place; two small ASCII strings whose words
/// differ differ. Any other pair (a long name, a key kept on the heap, or text beyond ASCII, which
/// `String` takes as equal to other spellings of it) is compared as strings. The layout is checked
/// once against known strings; if a future Swift changes it, every lookup compares strings.
struct FEELKey: Sendable {
    let text: String
    /// The string's two words, when the layout is the known one and `text` is stored inline.
    let low: UInt64
    let high: UInt64
    /// Whether `text` is stored inline and is ASCII: only then do other words mean other text.
    let isInlineASCII: Bool

    init(_ text: String) {
        self.text = text
        let (low, high) = FEELKey.words(text)
        self.low = low
        self.high = high
        isInlineASCII = FEELKey.layoutKnown && high & FEELKey.inlineASCIIBits == FEELKey.inlineASCIIBits
        assert(MemoryLayout<Entry>.offset(of: \Entry.value) == FEELKey.valueOffset)
    }

    /// Bit 61 of the second word marks a string stored inline (Swift's `_StringObject` on 64 bits).
    static let inlineBit: UInt64 = 1 << 61
    /// Bit 62 marks an inline string that is all ASCII; with bit 61, both (see ``layoutKnown``).
    static let inlineASCIIBits: UInt64 = 3 << 61

    static let layoutKnown: Bool = {
        guard MemoryLayout<String>.size == 16 else { return false }
        let ab = words("ab")
        let e = words("é")
        let long = words("a string much longer than fifteen bytes")
        return ab == (0x6261, 0xE2 << 56) && e == (0xA9C3, 0xA2 << 56) && long.1 & inlineBit == 0
    }()

    @inline(__always)
    static func words(_ text: String) -> (UInt64, UInt64) {
        withUnsafeBytes(of: text) { ($0.load(as: UInt64.self), $0.load(fromByteOffset: 8, as: UInt64.self)) }
    }

    typealias Entry = FEELContext.Entry

    /// Where the value sits in an entry: a struct's stored properties are laid out in order, each at
    /// the next offset aligned for it, the key first (`FEELKeyTests` checks both against
    /// `MemoryLayout.offset(of:)`).
    static var valueOffset: Int {
        (MemoryLayout<String>.size + MemoryLayout<FEELValue>.alignment - 1) / MemoryLayout<FEELValue>.alignment
            * MemoryLayout<FEELValue>.alignment
    }

    /// The value of the entry named by this key, borrowed in place; nil when there is none.
    ///
    /// The pointer is valid while `entries` is.
    @inline(__always)
    func find(in entries: UnsafeBufferPointer<Entry>) -> UnsafePointer<FEELValue>? {
        FEELKey.find(low, high, isInlineASCII, in: entries) { $0.pointee.key == text }
    }

    /// The index of the entry named by this key; nil when there is none.
    @inline(__always)
    func index(in entries: UnsafeBufferPointer<Entry>) -> Int? {
        guard let value = find(in: entries) else { return nil }
        return (UnsafeRawPointer(value) - FEELKey.valueOffset - UnsafeRawPointer(entries.baseAddress!))
            / MemoryLayout<Entry>.stride
    }

    /// `keys[k].find(in: entries)`, reading the key where it lies in `keys`, so that the loop holds
    /// no copy of it (a copy kept across the slow comparison costs a retain and a release).
    @inline(__always)
    static func find(_ keys: [FEELKey], _ k: Int, in entries: UnsafeBufferPointer<Entry>) -> UnsafePointer<FEELValue>? {
        find(keys[k].low, keys[k].high, keys[k].isInlineASCII, in: entries) { slowEqual($0, keys, k) }
    }

    @inline(never)
    static func slowEqual(_ entry: UnsafePointer<Entry>, _ keys: [FEELKey], _ k: Int) -> Bool {
        entry.pointee.key == keys[k].text
    }

    @inline(__always)
    static func find(
        _ low: UInt64, _ high: UInt64, _ isInlineASCII: Bool, in entries: UnsafeBufferPointer<Entry>,
        slowEqual: (UnsafePointer<Entry>) -> Bool
    ) -> UnsafePointer<FEELValue>? {
        guard let base = entries.baseAddress else { return nil }
        let raw = UnsafeRawPointer(base)
        let stride = MemoryLayout<Entry>.stride
        var i = 0
        while i < entries.count {
            let entry = raw + i * stride
            let entryHigh = entry.load(fromByteOffset: 8, as: UInt64.self)
            // Equal words are equal strings, whatever the layout; two inline ASCII strings that
            // differ in their words differ; anything else is compared as strings.
            if (entryHigh == high && entry.load(as: UInt64.self) == low)
                || (!(isInlineASCII && entryHigh & FEELKey.inlineASCIIBits == FEELKey.inlineASCIIBits)
                    && slowEqual(base + i))
            {
                return (entry + FEELKey.valueOffset).assumingMemoryBound(to: FEELValue.self)
            }
            i += 1
        }
        return nil
    }
}
