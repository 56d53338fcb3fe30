import Foundation

/// Number helpers over Foundation's `Decimal`.
///
/// `Decimal` holds 38 significant digits, more than the 34 of IEEE 754 decimal128 that DMN asks
/// for, and its `+ - * /` give the exact or correctly rounded results the TCK expects, so numbers
/// stay `Decimal` (which the rest of Waymark already uses). Its comparison, however, costs about
/// half a microsecond on Linux, which alone would cap a rule at two million evaluations a second.
/// Most numbers in rules (attendance ratios, counts, ages) have at most 18 digits, so comparison and
/// equality first read the decimal's sign, exponent and 64-bit mantissa straight from its storage
/// and compare those as integers. The storage layout is checked once against known values; if a
/// future Foundation changes it, every comparison falls back to `Decimal`'s own.
enum FEELNumber {
    static let posix = Locale(identifier: "en_US_POSIX")

    /// Whether the storage layout read by `parts` is the one this code was written against.
    static let layoutKnown: Bool = {
        guard MemoryLayout<Decimal>.size == 20 else { return false }
        let checks: [(String, Int64, Int)] = [("-12.5", -125, -1), ("65536", 65536, 0), ("1e40", 1, 40), ("0", 0, 0)]
        for (text, mantissa, exponent) in checks {
            guard let d = Decimal(string: text, locale: posix), let p = rawParts(d), p.mantissa == mantissa,
                p.mantissa == 0 || p.exponent == exponent
            else { return false }
        }
        return true
    }()

    @inline(__always)
    static func rawParts(_ d: Decimal) -> (mantissa: Int64, exponent: Int)? {
        withUnsafeBytes(of: d) { raw -> (mantissa: Int64, exponent: Int)? in
            let flags = raw[1]
            let length = Int(flags >> 4)
            if length > 4 { return nil }
            var value: UInt64 = 0
            var i = 0
            while i < length {
                value |= UInt64(raw[4 + 2 * i]) << (16 * UInt64(i)) | UInt64(raw[5 + 2 * i]) << (16 * UInt64(i) + 8)
                i += 1
            }
            if value > UInt64(Int64.max) { return nil }
            let signed = flags & 0x08 != 0 ? -Int64(value) : Int64(value)
            return (signed, Int(Int8(bitPattern: raw[0])))
        }
    }

    /// 10^n for n in 0...18, as constants rather than a global array, which every comparison of
    /// numbers with different exponents would otherwise reach through a lazy-initialisation check.
    @inline(__always)
    static func powerOfTen(_ n: Int) -> Int64 {
        switch n {
        case 0: 1
        case 1: 10
        case 2: 100
        case 3: 1000
        case 4: 10000
        case 5: 100000
        case 6: 1_000_000
        case 7: 10_000_000
        case 8: 100_000_000
        case 9: 1_000_000_000
        case 10: 10_000_000_000
        case 11: 100_000_000_000
        case 12: 1_000_000_000_000
        case 13: 10_000_000_000_000
        case 14: 100_000_000_000_000
        case 15: 1_000_000_000_000_000
        case 16: 10_000_000_000_000_000
        case 17: 100_000_000_000_000_000
        default: 1_000_000_000_000_000_000
        }
    }

    /// -1, 0 or 1 as `a` is less than, equal to or greater than `b`.
    @inline(__always)
    static func compare(_ a: Decimal, _ b: Decimal) -> Int {
        if layoutKnown, let x = rawParts(a), let y = rawParts(b) {
            if x.exponent == y.exponent || x.mantissa == 0 || y.mantissa == 0 {
                return x.mantissa < y.mantissa ? -1 : (x.mantissa == y.mantissa ? 0 : 1)
            }
            let shift = x.exponent - y.exponent
            if shift > 0, shift <= 18 {
                let (scaled, overflow) = x.mantissa.multipliedReportingOverflow(by: powerOfTen(shift))
                if !overflow { return scaled < y.mantissa ? -1 : (scaled == y.mantissa ? 0 : 1) }
            } else if shift < 0, shift >= -18 {
                let (scaled, overflow) = y.mantissa.multipliedReportingOverflow(by: powerOfTen(-shift))
                if !overflow { return x.mantissa < scaled ? -1 : (x.mantissa == scaled ? 0 : 1) }
            }
        }
        return a < b ? -1 : (a == b ? 0 : 1)
    }

    /// A decimal as `mantissa × 10^exponent` with a 64-bit mantissa, which most numbers in rules have;
    /// decision tables convert their inputs and cell bounds once and then compare integers.
    struct Scaled: Sendable {
        var mantissa: Int64
        var exponent: Int

        init(mantissa: Int64, exponent: Int) {
            self.mantissa = mantissa
            self.exponent = exponent
        }

        init?(_ d: Decimal) {
            guard FEELNumber.layoutKnown else { return nil }
            self.init(knownLayout: d)
        }

        /// For callers that hold a `Scaled` already, which proves the layout known.
        @inline(__always)
        init?(knownLayout d: Decimal) {
            guard let p = FEELNumber.rawParts(d) else { return nil }
            mantissa = p.mantissa
            exponent = p.exponent
        }

        /// -1, 0 or 1, or nil when scaling one to the other's exponent would overflow.
        @inline(__always)
        static func compare(_ x: Scaled, _ y: Scaled) -> Int? {
            if x.exponent == y.exponent || x.mantissa == 0 || y.mantissa == 0 {
                return x.mantissa < y.mantissa ? -1 : (x.mantissa == y.mantissa ? 0 : 1)
            }
            let shift = x.exponent - y.exponent
            if shift > 0, shift <= 18 {
                let (scaled, overflow) = x.mantissa.multipliedReportingOverflow(by: powerOfTen(shift))
                if !overflow { return scaled < y.mantissa ? -1 : (scaled == y.mantissa ? 0 : 1) }
            } else if shift < 0, shift >= -18 {
                let (scaled, overflow) = y.mantissa.multipliedReportingOverflow(by: powerOfTen(-shift))
                if !overflow { return x.mantissa < scaled ? -1 : (x.mantissa == scaled ? 0 : 1) }
            }
            return nil
        }
    }

    /// The number written in FEEL or JSON decimal syntax (`-12.5`, `1.2e3`), or nil.
    static func parse(_ text: String) -> Decimal? {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return nil }
        var i = 0
        if bytes[0] == 0x2D || bytes[0] == 0x2B { i = 1 }
        var digits = 0
        while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
            i += 1
            digits += 1
        }
        if i < bytes.count, bytes[i] == 0x2E {
            i += 1
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
                i += 1
                digits += 1
            }
        }
        guard digits > 0 else { return nil }
        if i < bytes.count, bytes[i] == 0x65 || bytes[i] == 0x45 {
            i += 1
            if i < bytes.count, bytes[i] == 0x2D || bytes[i] == 0x2B { i += 1 }
            let start = i
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
            guard i > start else { return nil }
        }
        guard i == bytes.count else { return nil }
        return Decimal(string: text, locale: posix)
    }

    /// The smallest exponent a `Decimal` holds: 10^-128 is its smallest step.
    static let leastExponent = -128

    /// `x * y`, or 0 when the product is smaller than a `Decimal` can hold (below 10^-128, far
    /// below anything a case records); NaN when it is larger.
    ///
    /// Written out because Foundation's multiplication stops the process when the two exponents add
    /// up to less than -128, before it looks at the digits: `0.000…01 * 0.000…01` with 65 zeros in
    /// each, in a rule or in an event's facts, would have stopped the daemon.
    static func product(_ x: Decimal, _ y: Decimal) -> Decimal {
        let sum = x.exponent + y.exponent
        guard sum < leastExponent, !x.isZero, !y.isZero, x.isFinite, y.isFinite else { return x * y }
        // Multiply 10^shift * x by y, whose exponents add up to the least, then take the shift back.
        let shift = leastExponent - sum
        let scaled = Decimal(sign: x.sign, exponent: x.exponent + shift, significand: x.significand)
        let p = scaled * y
        guard p.isFinite, !p.isZero else { return p }
        let exponent = p.exponent - shift
        if exponent >= leastExponent {
            return Decimal(sign: p.sign, exponent: exponent, significand: p.significand)
        }
        // Below the least step: keep the digits that reach it, rounded.
        let drop = leastExponent - exponent
        guard drop <= 40 else { return 0 }
        let kept = round(Decimal(sign: .plus, exponent: -drop, significand: p.significand), scale: 0, .plain)
        guard !kept.isZero else { return 0 }
        return Decimal(sign: p.sign, exponent: leastExponent, significand: kept)
    }

    /// `x` to the integer power `n` (`n` may be negative), by squaring with ``product(_:_:)``; NaN
    /// when the result is too large for a `Decimal`, 0 when too small. Foundation's own power
    /// multiplies as its `*` does, and stopped the process in the same way (`19010 ** -5 ** -5`).
    static func power(_ x: Decimal, _ n: Int) -> Decimal {
        var result = Decimal(1)
        var base = x
        var e = n.magnitude
        while e > 0 {
            if e & 1 == 1 { result = product(result, base) }
            e >>= 1
            if e > 0 { base = product(base, base) }
            guard result.isFinite, base.isFinite || e == 0 else { return .nan }
        }
        if n < 0 {
            guard !result.isZero else { return .nan }
            return 1 / result
        }
        return result
    }

    static func round(_ value: Decimal, scale: Int, _ mode: NSDecimalNumber.RoundingMode) -> Decimal {
        var input = value
        var result = Decimal()
        NSDecimalRound(&result, &input, scale, mode)
        return result
    }

    /// Rounds to 34 significant digits, the precision of DMN's decimal128 numbers.
    ///
    /// A mantissa that fits 64 bits has at most 19 digits, so there is nothing to round. That is
    /// asked first because counting the digits (``toPrecisionCountingDigits(_:)``) goes through
    /// `NSDecimalNumber`'s text: about 13,000 instructions, which every `*` and `/` paid
    /// (`facts.school.attendance * 100` in an alert's message).
    @inline(__always)
    static func toPrecision(_ value: Decimal) -> Decimal {
        if layoutKnown, !value.isNaN, rawParts(value) != nil { return value }
        return toPrecisionCountingDigits(value)
    }

    /// ``toPrecision(_:)`` for any number, by its digit count.
    static func toPrecisionCountingDigits(_ value: Decimal) -> Decimal {
        guard !value.isZero else { return value }
        let magnitude = value.magnitude
        // The position of the leading digit: 10^e <= |value| < 10^(e+1).
        let e = magnitude.exponent + Int(digitCount(magnitude.significand)) - 1
        let scale = 33 - e
        if scale >= -magnitude.exponent { return value }
        return round(value, scale: scale, .bankers)
    }

    private static func digitCount(_ significand: Decimal) -> Int {
        let text = NSDecimalNumber(decimal: significand).stringValue
        return text.count
    }

    static func int(_ value: Decimal) -> Int? {
        guard value == round(value, scale: 0, .down), value.magnitude < Decimal(Int64.max / 2) else { return nil }
        return NSDecimalNumber(decimal: value).intValue
    }

    /// The integer part toward zero, when it fits.
    static func truncatedInt(_ value: Decimal) -> Int? {
        let whole = value < 0 ? round(value, scale: 0, .up) : round(value, scale: 0, .down)
        guard whole.magnitude < Decimal(Int64.max / 2) else { return nil }
        return NSDecimalNumber(decimal: whole).intValue
    }

    static func double(_ value: Decimal) -> Double {
        NSDecimalNumber(decimal: value).doubleValue
    }

    /// A number result as a FEEL value: null when it is not a number (NaN: a result too large for a
    /// `Decimal`, which FEEL has no value for), else rounded to FEEL's precision.
    static func value(_ result: Decimal) -> FEELValue {
        result.isNaN ? .null : .number(toPrecision(result))
    }

    /// A sum or difference as a FEEL value: null when it is too large for a `Decimal` (NaN), else
    /// as it is.
    static func exact(_ result: Decimal) -> FEELValue {
        result.isNaN ? .null : .number(result)
    }

    static func fromDouble(_ value: Double) -> Decimal? {
        guard value.isFinite else { return nil }
        return Decimal(string: String(format: "%.17g", value), locale: posix).map(toPrecision)
    }

    /// `value.description`, written here for a number whose mantissa fits 64 bits (almost every
    /// number in rules and events). Foundation's divides the mantissa by ten a digit at a time over
    /// all eight of its 16-bit words: about 9,600 instructions a number, 1.2% of a run that writes a
    /// fact's value into each of its `because` texts. A test compares the two over
    /// 90,000 numbers.
    static func description(_ value: Decimal) -> String {
        guard layoutKnown, !value.isNaN, let p = rawParts(value) else { return value.description }
        if p.mantissa == 0 { return "0" }
        var text = Array(String(p.mantissa.magnitude).utf8)
        if p.exponent >= 0 {
            text += repeatElement(UInt8(ascii: "0"), count: p.exponent)
        } else if text.count > -p.exponent {
            text.insert(UInt8(ascii: "."), at: text.count + p.exponent)
        } else {
            text = Array("0.".utf8) + repeatElement(UInt8(ascii: "0"), count: -p.exponent - text.count) + text
        }
        if p.mantissa < 0 { text.insert(UInt8(ascii: "-"), at: 0) }
        return String(decoding: text, as: UTF8.self)
    }

    /// The plain decimal text of a number, without exponent (`1E+2` prints as `100`).
    static func format(_ value: Decimal) -> String {
        var text = description(value)
        if text.contains("e") || text.contains("E") {
            text = NSDecimalNumber(decimal: value).description(withLocale: posix)
        }
        return text
    }
}

extension Decimal {
    /// The text `description` gives, made without Foundation's digit-by-digit division when the
    /// mantissa fits 64 bits (see ``FEELNumber/description(_:)``).
    public var plainDescription: String { FEELNumber.description(self) }
}
