import Foundation

/// A map from text to values that is made once (when definitions are compiled) and looked up for
/// every event, by the event's type.
///
/// Written by hand because `Dictionary<String, _>` hashes its key with SipHash through `String`'s
/// Unicode-aware hashing, about 500 instructions for a type such as `attendance.recorded` (0.8% of
/// a run's instructions); here the UTF-8 bytes are hashed eight at a time and compared as memory.
/// Texts with the same bytes are the same key; `String` also takes canonically equivalent texts
/// (a precomposed and a decomposed "é", or the Kelvin sign and "K") as equal, so a text not found
/// by its bytes is looked up in a `Dictionary` as well unless it and every key are ASCII (which
/// have no other spelling): the answer is always the dictionary's.
struct TextTable<Value: Sendable>: Sendable {
    /// Open addressing, a power of two long: an entry's index plus one, 0 for none.
    private let slots: [Int32]
    private let keys: [[UInt8]]
    private let values: [Value]
    private let byText: [String: Value]
    /// Whether any key has a byte outside ASCII.
    private let hasOtherKeys: Bool

    init(_ pairs: [String: Value]) {
        // Sorted so that the table is the same whatever order the dictionary gives its pairs.
        let sorted = pairs.sorted { $0.key < $1.key }
        keys = sorted.map { Array($0.key.utf8) }
        values = sorted.map(\.value)
        byText = pairs
        hasOtherKeys = keys.contains { $0.contains { $0 >= 0x80 } }
        var size = 8
        while size < sorted.count * 2 { size *= 2 }
        var slots = [Int32](repeating: 0, count: size)
        for (i, key) in keys.enumerated() {
            var slot = key.withUnsafeBufferPointer { bytesHash($0) } & (size - 1)
            while slots[slot] != 0 { slot = (slot + 1) & (size - 1) }
            slots[slot] = Int32(i + 1)
        }
        self.slots = slots
    }

    subscript(text: String) -> Value? {
        // Read in place where the string is native (nearly always): `withUTF8` needs a mutable copy,
        // a retain and a release of the string for each event's type looked up.
        let found =
            text.utf8.withContiguousStorageIfAvailable(find)
            ?? {
                var text = text
                return text.withUTF8(find)
            }()
        if let found { return found }
        return byText[text]
    }

    /// The value of the key with these bytes; nil when it may be under another spelling.
    private func find(_ bytes: UnsafeBufferPointer<UInt8>) -> Value?? {
        var slot = bytesHash(bytes) & (slots.count - 1)
        while case let entry = Int(slots[slot]), entry != 0 {
            let key = keys[entry - 1]
            let same = key.withUnsafeBufferPointer {
                $0.count == bytes.count
                    && (bytes.isEmpty || memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0)
            }
            if same { return .some(values[entry - 1]) }
            slot = (slot + 1) & (slots.count - 1)
        }
        // Not found by its bytes: when it and every key are ASCII, no other spelling is there.
        return !hasOtherKeys && bytes.allSatisfy { $0 < 0x80 } ? .some(nil) : nil
    }
}

/// FNV-1a over the bytes taken eight at a time (the last word padded with zeros), then mixed;
/// the string table of the events reader files its longer strings by it too.
func bytesHash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(bytes.count)
    var i = 0
    while i + 8 <= bytes.count {
        hash = (hash ^ UnsafeRawPointer(bytes.baseAddress! + i).loadUnaligned(as: UInt64.self)) &* 0x100_0000_01b3
        hash ^= hash >> 29
        i += 8
    }
    if i < bytes.count {
        var last: UInt64 = 0
        withUnsafeMutableBytes(of: &last) {
            $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[i...]))
        }
        hash = (hash ^ last) &* 0x100_0000_01b3
    }
    hash = (hash ^ (hash >> 32)) &* 0xBF58_476D_1CE4_E5B9
    return Int(truncatingIfNeeded: hash >> 1)
}
