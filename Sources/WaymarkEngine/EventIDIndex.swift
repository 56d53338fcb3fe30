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
struct EventIDIndex: Sendable {
    /// 0 for an empty slot; otherwise the hash bits in the high half and the case number + 1 in the low.
    private var slots: [UInt64] = []
    private(set) var count = 0

    /// Makes room for `more` ids without growing on the way.
    mutating func reserve(_ more: Int) {
        let needed = count + more
        guard needed * 4 > slots.count * 3 else { return }
        var size = max(slots.count, 16)
        while needed * 4 > size * 3 { size *= 2 }
        rehash(to: size)
    }

    /// Adds `id` unless an accepted event has it already (then returns false). `holds(c)` tells
    /// whether case `c` has an event with the id; `caseIndex()` gives the case of a new id, and is
    /// called only for one.
    mutating func insert(_ id: String, holds: (Int32) -> Bool, caseIndex: () -> Int32) -> Bool {
        reserve(1)
        let bits = UInt32(truncatingIfNeeded: id.hashValue)
        let mask = slots.count - 1
        var i = Int(bits) & mask
        while slots[i] != 0 {
            if UInt32(truncatingIfNeeded: slots[i] >> 32) == bits,
                holds(Int32(truncatingIfNeeded: slots[i] & 0xFFFF_FFFF) - 1)
            {
                return false
            }
            i = (i + 1) & mask
        }
        slots[i] = UInt64(bits) << 32 | UInt64(UInt32(caseIndex() + 1))
        count += 1
        return true
    }

    private mutating func rehash(to size: Int) {
        let old = slots
        slots = [UInt64](repeating: 0, count: size)
        let mask = size - 1
        for slot in old where slot != 0 {
            var i = Int(UInt32(truncatingIfNeeded: slot >> 32)) & mask
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = slot
        }
    }
}
