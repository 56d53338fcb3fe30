import Foundation

/// A fixed sequence of pseudo-random numbers (a 64-bit linear congruential generator), for the tests
/// that compare two ways of working something out over many inputs: a failure repeats exactly.
struct SeededSequence {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state
    }

    /// A decimal with a mantissa of any length up to 63 bits, either sign, at an exponent in `exponents`.
    mutating func decimal(exponents: Range<Int>) -> Decimal {
        let m = Int64(bitPattern: next()) >> Int(next() % 63)
        let e = exponents.lowerBound + Int(next() % UInt64(exponents.count))
        return Decimal(sign: m < 0 ? .minus : .plus, exponent: e, significand: Decimal(m.magnitude))
    }
}
