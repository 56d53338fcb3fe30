import Foundation
import WaymarkFEEL

/// Appends JSON text to a byte buffer: the one place that decides how Waymark writes strings,
/// numbers and FEEL values, so that every output is byte-for-byte the same for the same input.
///
/// Bytes rather than a `String`: appending to a string checks its storage and ASCII flags on each
/// call, and the task list of a large cohort is hundreds of megabytes of small appends.
struct JSONWriter: ~Copyable {
    var bytes = ByteBuffer(capacity: 4096)
    /// Room for text composed in pieces before it is escaped (see ``string(composing:)``).
    private var composed = ByteBuffer(capacity: 512)

    /// The text written so far.
    var out: String { bytes.string }

    /// A JSON string of `s`, read in place where it is native (see ``ByteBuffer/write(_:)``).
    mutating func string(_ s: String) {
        if s.utf8.withContiguousStorageIfAvailable({ string(utf8: $0) }) != nil { return }
        var s = s
        s.withUTF8 { string(utf8: $0) }
    }

    /// A JSON string of the text `body` writes, in pieces, into a buffer the writer keeps: a task's
    /// id and `because` are escaped once as they are, without a `String` of their own.
    mutating func string(composing body: (inout ByteBuffer) -> Void) {
        composed.removeAll()
        body(&composed)
        composed.withUnsafeBufferPointer { Self.appendString(utf8: $0, to: &bytes) }
    }

    /// A JSON string of valid UTF-8 text.
    mutating func string(utf8: UnsafeBufferPointer<UInt8>) { Self.appendString(utf8: utf8, to: &bytes) }

    private static func appendString(utf8: UnsafeBufferPointer<UInt8>, to bytes: inout ByteBuffer) {
        bytes.append(0x22)
        let n = utf8.count
        var start = 0
        var i = 0
        while i < n {
            // Eight bytes at a time: the report's strings (`because` above all) are most of its
            // hundreds of megabytes in a large run, and looking at them a byte at a time was 2.4% of
            // the run's instructions. The last bytes of a string of eight or more are looked at as
            // its last eight, the ones already seen shifted out; a shorter string a byte at a time.
            var mask: UInt64
            if i + 8 <= n {
                mask = escapeMask(UnsafeRawPointer(utf8.baseAddress! + i).loadUnaligned(as: UInt64.self))
            } else if n >= 8 {
                let word = UnsafeRawPointer(utf8.baseAddress! + n - 8).loadUnaligned(as: UInt64.self)
                mask = escapeMask(word) >> (UInt64(8 - (n - i)) * 8)
            } else {
                let u = utf8[i]
                guard u < 0x20 || u == 0x22 || u == 0x5C else {
                    i += 1
                    continue
                }
                mask = 0x80
            }
            if mask == 0 {
                i += 8
                continue
            }
            // The lowest bit set is the first byte that needs escaping, except after bytes shifted
            // out, whose borrows can mark the bytes above them: the byte itself decides.
            let at = i + mask.trailingZeroBitCount / 8
            i = at + 1
            let u = utf8[at]
            guard u < 0x20 || u == 0x22 || u == 0x5C else { continue }
            // Copy the run before a byte that needs escaping whole. Those bytes are ASCII, so they
            // are scalar boundaries and the runs stay valid UTF-8.
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<at]))
            switch u {
            case 0x22: bytes.append("\\\"")
            case 0x5C: bytes.append("\\\\")
            case 0x0A: bytes.append("\\n")
            case 0x0D: bytes.append("\\r")
            case 0x09: bytes.append("\\t")
            default:
                let hex = String(u, radix: 16)
                bytes.write("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
            }
            start = at + 1
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        bytes.append(0x22)
    }

    /// Whether any of the eight bytes of `word` is a control character, `"` or `\`.
    @inline(__always)
    static func needsEscaping(_ word: UInt64) -> Bool { escapeMask(word) != 0 }

    /// The high bit of each of the eight bytes of `word` (little-endian) that is a control character,
    /// `"` or `\`, by the classic test for a byte below a bound, `(x - n) & ~x & 0x80…` (and for a byte
    /// equal to one after XOR-ing it away). A borrow can set bits above the first such byte, never
    /// below it, so the lowest bit set is exactly the first byte that needs escaping; none is set
    /// when no byte does (a byte of 0x80 and above, inside a UTF-8 sequence, never counts).
    @inline(__always)
    static func escapeMask(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        let control = (word &- ones &* 0x20) & ~word & high
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        return control | ((quote &- ones) & ~quote & high) | ((backslash &- ones) & ~backslash & high)
    }

    /// A moment as a JSON string, written straight into the buffer (ISO digits need no escaping).
    mutating func moment(_ m: Moment, in zone: ZoneOffsets) {
        bytes.append(0x22)
        m.writeISO(in: zone, to: &bytes)
        bytes.append(0x22)
    }

    mutating func optionalMoment(_ m: Moment?, in zone: ZoneOffsets) {
        if let m { moment(m, in: zone) } else { raw("null") }
    }

    /// A date as a JSON string, written as ``moment(_:in:)`` is.
    mutating func date(_ d: FEELDate) {
        bytes.append(0x22)
        d.writeISO(to: &bytes)
        bytes.append(0x22)
    }

    mutating func optionalString(_ s: String?) {
        if let s { string(s) } else { raw("null") }
    }

    /// Literal JSON text (punctuation, keys, `null`). Inlined: a record is a dozen of these, and
    /// called, each was about 70 instructions around a copy of a few bytes.
    @inline(__always)
    mutating func raw(_ s: StaticString) { bytes.append(s) }

    /// JSON text made at run time (a number).
    mutating func raw(text: String) { bytes.write(text) }

    mutating func key(_ k: String) {
        string(k)
        raw(": ")
    }

    /// A FEEL value as plain JSON (dates and durations as their ISO strings).
    mutating func value(_ v: FEELValue) {
        switch v {
        case .null: raw("null")
        case .boolean(let b): raw(b ? "true" : "false")
        case .number(let n): raw(text: n.jsonText)
        case .string(let s): string(s)
        case .date(let d): date(d)
        case .list(let items):
            raw("[")
            for (i, item) in items.enumerated() {
                if i > 0 { raw(", ") }
                value(item)
            }
            raw("]")
        case .context(let c): context(c)
        default: string(feelText(v))
        }
    }

    mutating func context(_ c: FEELContext) {
        raw("{")
        for (i, entry) in c.entries.enumerated() {
            if i > 0 { raw(", ") }
            key(entry.key)
            value(entry.value)
        }
        raw("}")
    }
}

extension Decimal {
    /// Plain decimal notation, as JSON and messages print numbers.
    var jsonText: String { plainDescription }
}
