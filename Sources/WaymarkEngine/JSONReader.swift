import Foundation
import WaymarkFEEL

/// A JSON parser that reads straight into FEEL values.
///
/// Written by hand because the end-to-end target (a quarter of a million events a second) leaves no
/// room for Foundation's `JSONSerialization` (which builds `NSObject`s we would convert again), and
/// because every problem must name the field it is in. The mirror has no faster JSON library.
struct JSONReader {
    struct Failure: Error {
        var message: String
        var offset: Int
    }

    let bytes: UnsafeBufferPointer<UInt8>
    var index: Int
    let end: Int
    /// Nesting limit, so that hostile input cannot exhaust the stack.
    var depth = 0
    /// Strings met before in the same run of lines, handed out again instead of built anew. Not
    /// counted as a reference: counting it for each string read was 0.6% of a run's instructions.
    private let table: Unmanaged<JSONStringTable>

    /// A reader of `start..<end` of `bytes`; the caller keeps `strings` alive while it reads
    /// (`withExtendedLifetime`), as it keeps `bytes`.
    init(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, strings: JSONStringTable) {
        self.bytes = bytes
        self.index = start
        self.end = end
        self.table = .passUnretained(strings)
    }

    /// `bytes` as a string, from the table when it has it.
    func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        table._withUnsafeGuaranteedRef { $0.string(bytes) }
    }

    mutating func skipWhitespace() {
        while index < end {
            let c = bytes[index]
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { index += 1 } else { return }
        }
    }

    var atEnd: Bool { index >= end }

    func fail(_ message: String) -> Failure { Failure(message: message, offset: index) }

    mutating func value() throws(Failure) -> FEELValue {
        skipWhitespace()
        guard index < end else { throw fail("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return .context(try object())
        case UInt8(ascii: "["): return .list(try array())
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .boolean(true)
        case UInt8(ascii: "f"): try literal("false"); return .boolean(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default: return .number(try number())
        }
    }

    /// Why ``skipValue()`` stopped short of a value it could not vouch for without building it: a
    /// string with an escape or a control character. Not a problem of the input; the caller reads
    /// the value with ``value()`` instead, which says whether it is sound.
    static let unsure = "unsure"

    /// Moves past a value, checking it as ``value()`` does but building nothing, or throws
    /// ``unsure``.
    ///
    /// Whatever `value()` refuses, this refuses too (with its message, or as ``unsure``), because it
    /// reads objects, arrays, literals and numbers with the same code; it accepts strings only
    /// without escapes, where there is nothing to refuse but a missing quote. `waymark run` checks
    /// every event of a batch before it applies any, and reads each again when its case runs:
    /// building the `data` and `facts` of each for the check, only to drop them, was 1.6% of its
    /// instructions (callgrind, the first 30,000 events of the benchmark's stream).
    mutating func skipValue() throws(Failure) {
        skipWhitespace()
        guard index < end else { throw fail("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): try objectFields { (r: inout JSONReader, _) throws(Failure) in try r.skipValue() }
        case UInt8(ascii: "["): try arrayElements { (r: inout JSONReader, _) throws(Failure) in try r.skipValue() }
        case UInt8(ascii: "\""): guard plainStringBytes() != nil else { throw fail(Self.unsure) }
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: _ = try numberParts()
        }
    }

    mutating func literal(_ word: StaticString) throws(Failure) {
        let count = word.utf8CodeUnitCount
        guard index + count <= end else { throw fail("invalid literal") }
        let p = word.utf8Start
        for k in 0..<count where bytes[index + k] != p[k] { throw fail("invalid literal") }
        index += count
    }

    /// Calls `body` with each key's text, the reader positioned at its value, which `body` must consume.
    ///
    /// The key is the input's own bytes when it has no escapes (nearly always), valid only during
    /// the call: an event's six field names are recognised from them without a `String` each, which
    /// was a third of the strings the decoder made.
    mutating func objectFields(
        _ body: (inout JSONReader, UnsafeBufferPointer<UInt8>) throws(Failure) -> Void
    ) throws(Failure) {
        skipWhitespace()
        guard index < end, bytes[index] == UInt8(ascii: "{") else { throw fail("expected an object") }
        depth += 1
        guard depth <= 64 else { throw fail("nesting deeper than 64") }
        index += 1
        skipWhitespace()
        if index < end, bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return
        }
        while true {
            skipWhitespace()
            guard index < end, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a field name") }
            if let key = plainStringBytes() {
                try afterKey(key, body)
            } else {
                var decoded = try string()
                // `withUTF8` on a local copy: the closure cannot throw typed errors through it.
                var failure: Failure?
                decoded.withUTF8 { key in
                    do throws(Failure) { try afterKey(key, body) } catch { failure = error }
                }
                if let failure { throw failure }
            }
            skipWhitespace()
            guard index < end else { throw fail("unexpected end of input in an object") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "}") {
                index += 1
                depth -= 1
                return
            }
            throw fail("expected ',' or '}'")
        }
    }

    /// The colon after a key, then `body` at the value.
    private mutating func afterKey(
        _ key: UnsafeBufferPointer<UInt8>,
        _ body: (inout JSONReader, UnsafeBufferPointer<UInt8>) throws(Failure) -> Void
    ) throws(Failure) {
        skipWhitespace()
        guard index < end, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':'") }
        index += 1
        try body(&self, key)
    }

    mutating func object() throws(Failure) -> FEELContext {
        var entries: [FEELContext.Entry] = []
        try objectFields { (reader: inout JSONReader, text: UnsafeBufferPointer<UInt8>) throws(Failure) in
            let key = reader.string(text)
            let v = try reader.value()
            if let existing = entries.firstIndex(where: { $0.key == key }) {
                entries[existing].value = v
            } else {
                entries.append(.init(key, v))
            }
        }
        return FEELContext(entries: entries)
    }

    mutating func array() throws(Failure) -> [FEELValue] {
        var items: [FEELValue] = []
        try arrayElements { (reader: inout JSONReader, _: Int) throws(Failure) in items.append(try reader.value()) }
        return items
    }

    /// Calls `body` with each element's 1-based index, the reader positioned at the element.
    mutating func arrayElements(_ body: (inout JSONReader, Int) throws(Failure) -> Void) throws(Failure) {
        skipWhitespace()
        guard index < end, bytes[index] == UInt8(ascii: "[") else { throw fail("expected an array") }
        depth += 1
        guard depth <= 64 else { throw fail("nesting deeper than 64") }
        index += 1
        skipWhitespace()
        if index < end, bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return
        }
        var n = 0
        while true {
            n += 1
            try body(&self, n)
            skipWhitespace()
            guard index < end else { throw fail("unexpected end of input in an array") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "]") {
                index += 1
                depth -= 1
                return
            }
            throw fail("expected ',' or ']'")
        }
    }

    /// The bytes of a string value with no escapes in it, the reader moved past it; nil, the reader
    /// where it was, for anything else (which `value()` then reads, or reports).
    mutating func plainStringBytes() -> UnsafeBufferPointer<UInt8>? {
        skipWhitespace()
        guard index < end, bytes[index] == UInt8(ascii: "\"") else { return nil }
        let stop = plainRunEnd(from: index + 1)
        guard stop < end, bytes[stop] == UInt8(ascii: "\"") else { return nil }
        let text = UnsafeBufferPointer(rebasing: bytes[(index + 1)..<stop])
        index = stop + 1
        return text
    }

    mutating func string() throws(Failure) -> String {
        let start = index + 1  // after the opening quote
        index = plainRunEnd(from: start)
        guard index < end else { throw fail("unterminated string") }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            let text = UnsafeBufferPointer(rebasing: bytes[start..<index])
            index += 1
            return string(text)
        case UInt8(ascii: "\\"): return try escapedString(start: start)
        default: throw fail("control character in a string")
        }
    }

    /// Where the run of string bytes that need no decoding, starting at `i`, ends: at a closing
    /// quote, a backslash, a control character, or the end of the input.
    private func plainRunEnd(from i: Int) -> Int {
        var i = i
        // Eight bytes at a time, with the test the writer uses for bytes that need escaping (the same
        // three kinds), which also tells which byte of the eight is the first: a byte at a time, this
        // loop was most of the cost of reading a string.
        while i + 8 <= end {
            let mask = JSONWriter.escapeMask(UnsafeRawPointer(bytes.baseAddress! + i).loadUnaligned(as: UInt64.self))
            if mask != 0 { return i + mask.trailingZeroBitCount / 8 }
            i += 8
        }
        while i < end {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") || c < 0x20 { return i }
            i += 1
        }
        return i
    }

    private mutating func escapedString(start: Int) throws(Failure) -> String {
        var out = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < end {
            let c = bytes[index]
            if c == UInt8(ascii: "\"") {
                index += 1
                return String(decoding: out, as: UTF8.self)
            }
            if c < 0x20 { throw fail("control character in a string") }
            if c != UInt8(ascii: "\\") {
                out.append(c)
                index += 1
                continue
            }
            index += 1
            guard index < end else { break }
            let e = bytes[index]
            index += 1
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar), index + 1 < end, bytes[index] == UInt8(ascii: "\\"),
                    bytes[index + 1] == UInt8(ascii: "u")
                {
                    index += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw fail("invalid surrogate pair") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let u = Unicode.Scalar(scalar) else { throw fail("invalid unicode escape") }
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default: throw fail("invalid escape")
            }
        }
        throw fail("unterminated string")
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard index + 4 <= end else { throw fail("invalid unicode escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[index]
            let d: UInt32
            switch c {
            case 48...57: d = UInt32(c - 48)
            case 65...70: d = UInt32(c - 55)
            case 97...102: d = UInt32(c - 87)
            default: throw fail("invalid unicode escape")
            }
            v = v * 16 + d
            index += 1
        }
        return v
    }

    mutating func number() throws(Failure) -> Decimal {
        let (negative, significand, exponent) = try numberParts()
        return Decimal(sign: negative ? .minus : .plus, exponent: exponent, significand: Decimal(significand))
    }

    /// A number's sign, first 19 significant digits and exponent, checked as ``number()`` checks
    /// them, without making the `Decimal`.
    private mutating func numberParts() throws(Failure) -> (negative: Bool, significand: UInt64, exponent: Int) {
        let start = index
        var negative = false
        if index < end, bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        var significand: UInt64 = 0
        var digits = 0
        var exponent = 0
        var intDigits = 0
        while index < end, bytes[index] >= 48, bytes[index] <= 57 {
            if digits < 19 {
                significand = significand * 10 + UInt64(bytes[index] - 48)
                if significand != 0 { digits += 1 }
            } else {
                exponent += 1
            }
            intDigits += 1
            index += 1
        }
        guard intDigits > 0 else { throw fail("invalid value") }
        if intDigits > 1, bytes[start + (negative ? 1 : 0)] == 48 { throw fail("leading zero in a number") }
        if index < end, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var fractionDigits = 0
            while index < end, bytes[index] >= 48, bytes[index] <= 57 {
                if digits < 19 {
                    significand = significand * 10 + UInt64(bytes[index] - 48)
                    if significand != 0 { digits += 1 }
                    exponent -= 1
                }
                fractionDigits += 1
                index += 1
            }
            guard fractionDigits > 0 else { throw fail("invalid number") }
        }
        if index < end, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            var expNegative = false
            if index < end, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                expNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            var e = 0
            var expDigits = 0
            while index < end, bytes[index] >= 48, bytes[index] <= 57 {
                if e < 10_000 { e = e * 10 + Int(bytes[index] - 48) }
                expDigits += 1
                index += 1
            }
            guard expDigits > 0 else { throw fail("invalid number") }
            exponent += expNegative ? -e : e
        }
        guard exponent > -128, exponent < 127 else { throw fail("number out of range") }
        return (negative, significand, exponent)
    }
}

/// The strings of an events file that repeat, handed out again instead of made anew.
///
/// Longer strings (16 to 64 bytes) are kept once: event types repeat on every line, and a string of
/// more than 15 bytes is a heap allocation of its own, so a million events would otherwise hold a
/// million copies of `"attendance.recorded"`. Shorter ones are stored inside the `String` value, so
/// they share nothing, but making one still validates its bytes and builds it (about 160
/// instructions); field names such as `attendance` and values such as `police` repeat on nearly
/// every line, and a table hit costs a copy of at most 16 bytes and two comparisons.
///
/// Two small tables indexed by a hash of the bytes; a slot holds the last string that hashed to it.
/// Used by one thread (one run of lines); `String` values handed out are shared safely. Slots are
/// raw memory rather than arrays so that a look-up is not also a uniqueness and bounds check.
final class JSONStringTable {
    private static let longSlots = 512
    private static let shortSlots = 256

    private let long: UnsafeMutablePointer<String?>
    /// A short string's bytes as two words, its length in the last byte (so `"a"` and `"a\0"` differ).
    private let shortKeys: UnsafeMutablePointer<(UInt64, UInt64)>
    private let short: UnsafeMutablePointer<String>

    init() {
        long = .allocate(capacity: Self.longSlots)
        long.initialize(repeating: nil, count: Self.longSlots)
        // Zero words match no string: every key has a length byte, and the empty string is never
        // looked up (see `string`).
        shortKeys = .allocate(capacity: Self.shortSlots)
        shortKeys.initialize(repeating: (0, 0), count: Self.shortSlots)
        short = .allocate(capacity: Self.shortSlots)
        short.initialize(repeating: "", count: Self.shortSlots)
    }

    deinit {
        long.deinitialize(count: Self.longSlots)
        long.deallocate()
        shortKeys.deallocate()
        short.deinitialize(count: Self.shortSlots)
        short.deallocate()
    }

    func string(_ text: UnsafeBufferPointer<UInt8>) -> String {
        if text.count <= 15 {
            guard !text.isEmpty else { return "" }
            var words: (UInt64, UInt64) = (0, 0)
            withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: UnsafeRawBufferPointer(text)) }
            words.1 |= UInt64(text.count) << 56
            let mixed = (words.0 ^ (words.1 &* 0x9E37_79B9_7F4A_7C15)) &* 0xBF58_476D_1CE4_E5B9
            let slot = Int(truncatingIfNeeded: mixed >> 56)
            if shortKeys[slot] == words { return short[slot] }
            let made = String(decoding: text, as: UTF8.self)
            shortKeys[slot] = words
            short[slot] = made
            return made
        }
        guard text.count <= 64 else { return String(decoding: text, as: UTF8.self) }
        let slot = bytesHash(text) & (Self.longSlots - 1)
        if let cached = long[slot], Self.same(cached, text) { return cached }
        let made = String(decoding: text, as: UTF8.self)
        long[slot] = made
        return made
    }

    /// Whether `s` has exactly these bytes: compared as memory, as `elementsEqual` over the UTF-8
    /// view went byte by byte through the string's index checks (1.4% of a run's instructions).
    private static func same(_ s: String, _ text: UnsafeBufferPointer<UInt8>) -> Bool {
        s.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.count == text.count && memcmp(bytes.baseAddress!, text.baseAddress!, text.count) == 0
        } ?? s.utf8.elementsEqual(text)
    }
}
