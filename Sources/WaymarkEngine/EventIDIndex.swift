/// The ids of the events an engine has accepted, for ignoring duplicates.
///
/// A `Set<String>` of a million ids held 34 MB, while every id is also kept with its event in its
/// case. So this table keeps, per id, only 32 bits of the id's hash and the number of the case
/// holding it: 8 bytes, in a table at most three-quarters full (16 MB for a million). A matching
/// hash is confirmed by looking for the id among that case's events. No collection library offers a
/// set whose elements are stored elsewhere, hence this one.
///
/// The slot an id goes to comes from its stored hash bits alone, so the table can grow without the
/// ids. Swift's hash is seeded per process, which changes where ids sit, never which are present.
///
/// The table's size is not a power of two: the bits are scaled to it (`bits * size >> 32`) rather
/// than masked, so that a batch of a million is held three-quarters full (10.7 MB), not half full in
/// the next power of two (16 MB).
struct EventIDIndex: Sendable {
    /// 0 for an empty slot; otherwise the hash bits in the high half and the case number + 1 in the low.
    private var slots: [UInt64] = []
    private(set) var count = 0

    /// The number of slots (for tests).
    var capacity: Int { slots.count }

    /// Makes room for `more` ids without growing on the way: to the room they need, or to twice the
    /// size if that is more (so that many small batches, or one id at a time, rehash only so often).
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

    /// Adds `id` unless an accepted event has it already (then returns false). `holds(c)` tells
    /// whether case `c` has an event with the id; `caseIndex()` gives the case of a new id, and is
    /// called only for one.
    mutating func insert(_ id: String, holds: (Int32) -> Bool, caseIndex: () -> Int32) -> Bool {
        reserve(1)
        let bits = UInt32(truncatingIfNeeded: id.hashValue)
        let size = slots.count
        var i = Self.home(bits, size)
        while slots[i] != 0 {
            if UInt32(truncatingIfNeeded: slots[i] >> 32) == bits,
                holds(Int32(truncatingIfNeeded: slots[i] & 0xFFFF_FFFF) - 1)
            {
                return false
            }
            i = i + 1 == size ? 0 : i + 1
        }
        slots[i] = UInt64(bits) << 32 | UInt64(UInt32(caseIndex() + 1))
        count += 1
        return true
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
