/// A map from objects, by identity, to values: made once when definitions are compiled and looked
/// up for every evaluation of an expression (what it reads of the scope, its task filter).
///
/// Written by hand because `Dictionary` hashes an `ObjectIdentifier` with SipHash, about 150
/// instructions a look-up (0.7% of a run's instructions); an address needs only a multiply to
/// spread its bits. Only identities are kept, never the objects: the definitions that hold the
/// expressions keep them alive, so no address can be reused while the table is.
struct IdentityTable<Value: Sendable>: Sendable {
    /// Open addressing, a power of two long: the key's address, 0 for none.
    private let keys: [UInt]
    private let values: [Value?]

    init(_ pairs: [ObjectIdentifier: Value]) {
        var size = 8
        while size < pairs.count * 2 { size *= 2 }
        var keys = [UInt](repeating: 0, count: size)
        var values = [Value?](repeating: nil, count: size)
        for (key, value) in pairs {
            let address = UInt(bitPattern: key)
            var slot = Self.slot(address, size)
            while keys[slot] != 0 { slot = (slot + 1) & (size - 1) }
            keys[slot] = address
            values[slot] = value
        }
        self.keys = keys
        self.values = values
    }

    subscript(key: ObjectIdentifier) -> Value? {
        let address = UInt(bitPattern: key)
        var slot = Self.slot(address, keys.count)
        while keys[slot] != 0 {
            if keys[slot] == address { return values[slot] }
            slot = (slot + 1) & (keys.count - 1)
        }
        return nil
    }

    /// The top bits of the address times an odd constant: the low bits of an address are alike
    /// (objects are aligned), the product's top bits depend on all of them.
    private static func slot(_ address: UInt, _ size: Int) -> Int {
        Int(truncatingIfNeeded: (UInt64(address) &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - size.trailingZeroBitCount))
    }
}
