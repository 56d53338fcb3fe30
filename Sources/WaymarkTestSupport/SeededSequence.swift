public import Foundation

/// A fixed sequence of pseudo-random numbers (a 64-bit linear congruential generator), for the tests
/// that compare two ways of working something out over many inputs: a failure repeats exactly.
///
/// Written here rather than taken from a package because a test's inputs must stay the same from
/// one release of a dependency to the next, and the generator is three lines.
public struct SeededSequence: Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// The next number: all 64 bits of the generator's state.
    public mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state
    }

    /// The next number below `bound`, from the state's high bits (a linear congruential generator's
    /// low bits repeat with short periods).
    public mutating func next(below bound: Int) -> Int {
        Int((next() >> 33) % UInt64(bound))
    }

    /// A decimal with a mantissa of any length up to 63 bits, either sign, at an exponent in `exponents`.
    public mutating func decimal(exponents: Range<Int>) -> Decimal {
        let m = Int64(bitPattern: next()) >> Int(next() % 63)
        let e = exponents.lowerBound + Int(next() % UInt64(exponents.count))
        return Decimal(sign: m < 0 ? .minus : .plus, exponent: e, significand: Decimal(m.magnitude))
    }
}
