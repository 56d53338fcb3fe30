import Foundation
import WaymarkFEEL

/// An input event as its case keeps it.
///
/// A case keeps its events so that a late one can replay it, but once an event is applied its facts
/// and data are rarely read again: only to replay, to show the case in detail, or by an expression
/// that reads the facts or data of `case.history` entries. As FEEL contexts they were the largest
/// part of a case's memory (an array per object, a heap string per longer key), so once applied
/// they are packed, one event after another, into one byte list of the case
/// (``CaseState/packedContents``), and unpacked on those rare reads. Before that they wait, as they
/// were decoded, in ``CaseState/looseContents``.
struct StoredEvent: Sendable {
    let id: String
    let type: String
    let at: Moment
    /// Where its facts and data are: bytes `offset..<offset + length` of the case's packed contents;
    /// with `length == StoredEvent.loose`, entry `offset` of its loose contents. Length 0: neither.
    var offset: UInt32
    var length: UInt32

    static let loose = UInt32.max

    var isLoose: Bool { length == Self.loose }
}

extension CaseState {
    /// The event's facts and data, unpacked if need be.
    func contents(_ e: StoredEvent) -> (facts: FEELContext?, data: FEELContext?) {
        if e.length == 0 { return (nil, nil) }
        if e.isLoose { return looseContents[Int(e.offset)] }
        return PackedValues.unpack(packedContents, from: Int(e.offset))
    }

    /// The event as the case keeps it, its facts and data loose until it is applied.
    mutating func store(_ event: consuming Event) -> StoredEvent {
        guard event.facts != nil || event.data != nil else {
            return StoredEvent(id: event.id, type: event.type, at: event.at, offset: 0, length: 0)
        }
        looseContents.append((event.facts, event.data))
        looseCount += 1
        return StoredEvent(
            id: event.id, type: event.type, at: event.at, offset: UInt32(looseContents.count - 1),
            length: StoredEvent.loose)
    }

    /// Packs the facts and data of applied event `index`, when every value in them is one JSON can
    /// hold (every event read from JSON or YAML); anything else stays loose.
    mutating func pack(_ index: Int) {
        guard events[index].isLoose else { return }
        let slot = Int(events[index].offset)
        let start = packedContents.count
        let (facts, data) = looseContents[slot]
        // Offsets are 32 bits: a case with 2 GB of facts keeps the rest loose rather than wrap.
        guard start < Int(Int32.max), PackedValues.pack(facts, data, into: &packedContents) else { return }
        events[index].offset = UInt32(start)
        events[index].length = UInt32(packedContents.count - start)
        looseContents[slot] = (nil, nil)
        looseCount -= 1
        if looseCount == 0 { looseContents = [] }
    }
}

/// A byte format for FEEL contexts of JSON values that reads back exactly: numbers keep their
/// `Decimal` bits (printing them to text and back could change how they print), strings their bytes.
///
/// Tags: 0 null, 1 false, 2 true, 3 number, 4 string, 5 list, 6 context, 7 absent. Lengths and
/// counts are variable-length unsigned integers (7 bits a byte). A number is its 20 `Decimal` bytes
/// without the zero bytes that end them, after a byte giving how many are kept: an attendance of
/// 0.483 uses one of its eight 16-bit mantissa words, so it takes 8 bytes instead of 21.
enum PackedValues {
    /// The packed form on its own, or nil if a value is not one JSON can hold.
    static func pack(_ facts: FEELContext?, _ data: FEELContext?) -> [UInt8]? {
        var out: [UInt8] = []
        return pack(facts, data, into: &out) ? out : nil
    }

    /// Appends the packed form to `out`; false, with `out` as it was, if a value is not one JSON can hold.
    ///
    /// Written into a ``ByteBuffer`` and appended to `out` at once: appended to the array a piece at
    /// a time (a byte, a count, a name), packing an event's facts and data cost 2,400 instructions.
    static func pack(_ facts: FEELContext?, _ data: FEELContext?, into out: inout [UInt8]) -> Bool {
        var buffer = ByteBuffer(capacity: 256)
        // The two one after the other, not as a list of two: that list was an allocation a pack.
        guard packOne(facts, into: &buffer), packOne(data, into: &buffer) else { return false }
        buffer.withUnsafeBufferPointer { out.append(contentsOf: $0) }
        return true
    }

    private static func packOne(_ context: FEELContext?, into out: inout ByteBuffer) -> Bool {
        guard let context else {
            out.append(7)
            return true
        }
        return write(.context(context), to: &out)
    }

    /// Reads the facts and data packed at `offset`.
    static func unpack(_ bytes: [UInt8], from offset: Int = 0) -> (facts: FEELContext?, data: FEELContext?) {
        var i = offset
        func next() -> FEELContext? {
            if bytes[i] == 7 {
                i += 1
                return nil
            }
            if case .context(let c) = read(bytes, &i) { return c }
            return nil
        }
        let facts = next()
        let data = next()
        return (facts, data)
    }

    private static func write(_ value: FEELValue, to out: inout ByteBuffer) -> Bool {
        switch value {
        case .null: out.append(0)
        case .boolean(let b): out.append(b ? 2 : 1)
        case .number(let n):
            out.append(3)
            withUnsafeBytes(of: n) { raw in
                var kept = raw.count
                while kept > 0, raw[kept - 1] == 0 { kept -= 1 }
                out.append(UInt8(kept))
                out.append(raw: UnsafeRawBufferPointer(rebasing: raw[..<kept]))
            }
        case .string(let s):
            out.append(4)
            writeString(s, to: &out)
        case .list(let items):
            out.append(5)
            writeCount(items.count, to: &out)
            for item in items { guard write(item, to: &out) else { return false } }
        case .context(let c):
            out.append(6)
            writeCount(c.entries.count, to: &out)
            for entry in c.entries {
                writeString(entry.key, to: &out)
                guard write(entry.value, to: &out) else { return false }
            }
        default:
            return false
        }
        return true
    }

    private static func read(_ bytes: [UInt8], _ i: inout Int) -> FEELValue {
        let tag = bytes[i]
        i += 1
        switch tag {
        case 1: return .boolean(false)
        case 2: return .boolean(true)
        case 3:
            let kept = Int(bytes[i])
            i += 1
            var n = Decimal()
            withUnsafeMutableBytes(of: &n) { raw in
                raw.initializeMemory(as: UInt8.self, repeating: 0)
                raw.copyBytes(from: bytes[i..<i + kept])
            }
            i += kept
            return .number(n)
        case 4: return .string(readString(bytes, &i))
        case 5:
            let count = readCount(bytes, &i)
            var items: [FEELValue] = []
            items.reserveCapacity(count)
            for _ in 0..<count { items.append(read(bytes, &i)) }
            return .list(items)
        case 6:
            let count = readCount(bytes, &i)
            var entries: [FEELContext.Entry] = []
            entries.reserveCapacity(count)
            for _ in 0..<count {
                let key = readString(bytes, &i)
                entries.append(.init(key, read(bytes, &i)))
            }
            return .context(FEELContext(entries: entries))
        default: return .null
        }
    }

    private static func writeCount(_ n: Int, to out: inout ByteBuffer) {
        var n = UInt(n)
        while n >= 0x80 {
            out.append(UInt8(n & 0x7F) | 0x80)
            n >>= 7
        }
        out.append(UInt8(n))
    }

    private static func readCount(_ bytes: [UInt8], _ i: inout Int) -> Int {
        var n: UInt = 0
        var shift: UInt = 0
        while true {
            let b = bytes[i]
            i += 1
            n |= UInt(b & 0x7F) << shift
            if b < 0x80 { return Int(n) }
            shift += 7
        }
    }

    private static func writeString(_ s: String, to out: inout ByteBuffer) {
        func write(_ utf8: UnsafeBufferPointer<UInt8>) {
            writeCount(utf8.count, to: &out)
            out.append(contentsOf: utf8)
        }
        // In place where the string is native, without the copy `withUTF8` needs.
        if s.utf8.withContiguousStorageIfAvailable(write) != nil { return }
        var s = s
        s.withUTF8(write)
    }

    private static func readString(_ bytes: [UInt8], _ i: inout Int) -> String {
        let count = readCount(bytes, &i)
        let s = bytes.withUnsafeBufferPointer {
            String(decoding: UnsafeBufferPointer(rebasing: $0[i..<i + count]), as: UTF8.self)
        }
        i += count
        return s
    }
}
