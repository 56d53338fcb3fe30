import CMemoryHints

/// Case numbers filed under 32 bits of the hash of a key kept elsewhere: the engine's index of
/// event ids (to ignore duplicates) and its index of case ids.
///
/// A `Set<String>` of a million event ids held 34 MB, and a `[String: Int32]` of the cases kept a
/// second copy of every case id, while every event id is kept with its event in its case and every
/// case id in its case. So this table keeps, per key, only 32 bits of its hash and a case number:
/// 8 bytes, in a table at most three-quarters full (10.7 MB for a million). A matching hash is
/// confirmed by the caller against the key where it is kept (the id among the case's events, the
/// case's own id). No collection library offers a table whose keys are stored elsewhere, hence this
/// one.
///
/// The caller works out the hash (``bits(_:)``), so that the hashes of a batch can be worked out on
/// several threads before the batch is filed on one. The slot a key goes to comes from those bits
/// alone, so the table can grow without the keys. Swift's hash is seeded per process, which changes
/// where keys sit, never which are present.
///
/// The table's size is not a power of two: the bits are scaled to it (`bits * size >> 32`) rather
/// than masked, so that a batch of a million is held three-quarters full (10.7 MB), not half full in
/// the next power of two (16 MB).
struct CaseNumberIndex: Sendable {
    /// 0 for an empty slot; otherwise the hash bits in the high half and the case number + 1 in the low.
    private var slots: [UInt64] = []
    private(set) var count = 0

    /// The number of slots (for tests).
    var capacity: Int { slots.count }

    /// The bits a key is filed under.
    static func bits(_ key: String) -> UInt32 { UInt32(truncatingIfNeeded: key.hashValue) }

    /// Makes room for `more` keys without growing on the way: to the room they need, or to twice the
    /// size if that is more (so that many small batches, or one key at a time, rehash only so often).
    mutating func reserve(_ more: Int) {
        let needed = count + more
        guard needed * 4 > slots.count * 3 else { return }
        rehash(to: max(needed * 4 / 3 + 1, slots.count * 2, 16))
    }

    /// The slot for hash bits `bits` in a table of `size`.
    @inline(__always)
    private static func home(_ bits: UInt32, _ size: Int) -> Int {
        Int((UInt64(bits) &* UInt64(size)) >> 32)
    }

    /// The case number filed under `bits` for which `matches` holds (the key is the one looked for),
    /// if there is one.
    func first(_ bits: UInt32, where matches: (Int32) -> Bool) -> Int32? {
        let size = slots.count
        guard size > 0 else { return nil }
        var i = Self.home(bits, size)
        while slots[i] != 0 {
            if UInt32(truncatingIfNeeded: slots[i] >> 32) == bits {
                let number = Int32(truncatingIfNeeded: slots[i] & 0xFFFF_FFFF) - 1
                if matches(number) { return number }
            }
            i = i + 1 == size ? 0 : i + 1
        }
        return nil
    }

    /// Starts loading the slot that keys filed under `bits` start from, for a look-up a little later:
    /// a table of a million ids is ten megabytes, and each look-up's first load is a cache miss.
    func prefetch(_ bits: UInt32) {
        guard !slots.isEmpty else { return }
        slots.withUnsafeBufferPointer { table in waymark_prefetch(table.baseAddress! + Self.home(bits, table.count)) }
    }

    /// Files case number `number` under `bits`, for a key that ``first(_:where:)`` did not find.
    mutating func insert(_ bits: UInt32, _ number: Int32) {
        reserve(1)
        let size = slots.count
        var i = Self.home(bits, size)
        while slots[i] != 0 { i = i + 1 == size ? 0 : i + 1 }
        slots[i] = UInt64(bits) << 32 | UInt64(UInt32(number + 1))
        count += 1
    }

    private mutating func rehash(to size: Int) {
        let old = slots
        slots = [UInt64](repeating: 0, count: size)
        for slot in old where slot != 0 {
            var i = Self.home(UInt32(truncatingIfNeeded: slot >> 32), size)
            while slots[i] != 0 { i = i + 1 == size ? 0 : i + 1 }
            slots[i] = slot
        }
    }
}
