import Foundation
import Testing
import WaymarkTestSupport

@testable import WaymarkFEEL

/// Numbers at the ends of what a `Decimal` holds: found by fuzzing (`Fuzz/`, FuzzFEEL). Foundation's
/// multiplication stops the process when the two exponents add up to less than -128, so a rule, a
/// `set:` or an event's facts with such numbers stopped `waymark check`, `waymark run` or the daemon.
@Suite struct FEELNumberRangeTests {
    func eval(_ text: String, _ names: [String] = [], _ values: [FEELValue] = []) throws -> FEELValue {
        try FEELExpression(text, names: names).evaluate(values)
    }

    /// The value of `text` as FEEL writes it (`0`, `null`).
    func show(_ text: String, _ names: [String] = [], _ values: [FEELValue] = []) throws -> String {
        try eval(text, names, values).description
    }

    /// 10^-n, written out as a FEEL literal.
    func tiny(_ n: Int) -> String { "0." + String(repeating: "0", count: n - 1) + "1" }

    /// 10^n, written out.
    func huge(_ n: Int) -> String { "1" + String(repeating: "0", count: n) }

    @Test func theExpressionTheFuzzerFoundIsWorkedOut() throws {
        // (19010 ** -5) ** -5 = 19010 ** 25. The first power is about 4.03e-22, held with 22 digits;
        // Foundation's power multiplied it by itself and went below its least exponent.
        let value = try eval("19010 ** -5 ** -5")
        guard case .number(let n) = value else {
            Issue.record("not a number: \(value)")
            return
        }
        let exact = try #require(try eval("19010 ** 25").numberValue)
        // Foundation's division keeps 22 digits of 1 / 19010^5 here, so the two agree to about 17.
        #expect(abs(n - exact) / exact < Decimal(string: "1e-15")!)
    }

    @Test func productsSmallerThanTheLeastStepAreZero() throws {
        #expect(try show("\(tiny(80)) * \(tiny(80))") == "0")
        #expect(try show("x * x", ["x"], [.number(Decimal(string: "1e-70")!)]) == "0")
        #expect(try show("product(\(tiny(70)), \(tiny(70)), 2)") == "0")
        // The squares of the differences (10^-140) are below the least step.
        #expect(try show("stddev([x, x * 3])", ["x"], [.number(Decimal(string: "1e-70")!)]) == "0")
        #expect(try show("0.9 ** 999999") == "0")
    }

    @Test func productsNearTheLeastStepKeepTheirDigits() throws {
        func d(_ significand: Int, _ exponent: Int) -> Decimal {
            Decimal(sign: significand < 0 ? .minus : .plus, exponent: exponent, significand: Decimal(abs(significand)))
        }
        // The exponents add up to below -128 and the result is above it: exact.
        #expect(FEELNumber.product(d(1000, -60), d(1, -70)) == d(10, -128))
        // 1234e-130: its digits down to the least step, rounded.
        #expect(FEELNumber.product(d(1234, -60), d(1, -70)) == d(12, -128))
        #expect(FEELNumber.product(d(-7, -100), d(3, -27)) == d(-21, -127))
        // Below the least step, the digits that reach it, rounded: 1.5e-128 to 2e-128, -1.4e-128 to
        // -1e-128; 4e-129 to 0.
        #expect(FEELNumber.product(d(15, -65), d(1, -64)) == d(2, -128))
        #expect(FEELNumber.product(d(-14, -65), d(1, -64)) == d(-1, -128))
        #expect(FEELNumber.product(d(4, -65), d(1, -64)) == 0)
        // Where the exponents allow it, Foundation's own product.
        #expect(FEELNumber.product(d(3, -64), d(7, -64)) == d(21, -128))
        #expect(FEELNumber.product(d(12, 3), d(-5, -2)) == -600)
    }

    @Test func resultsOutsideTheRangeAreNull() throws {
        #expect(try show("\(huge(100)) * \(huge(100))") == "null")
        // 10^-200, where Foundation's division gives up.
        #expect(try show("1 / \(huge(100)) / \(huge(100))") == "null")
        #expect(try show("x + x", ["x"], [.number(.greatestFiniteMagnitude)]) == "null")
        #expect(try show("-x - x", ["x"], [.number(.greatestFiniteMagnitude)]) == "null")
        #expect(try show("10 ** 200") == "null")
        #expect(try show("1.1 ** 999999") == "null")
        #expect(try show("0 ** -1") == "null")
    }

    @Test func powersAreAsBefore() throws {
        #expect(try show("2 ** 10") == "1024")
        #expect(try show("2 ** -2") == "0.25")
        #expect(try show("(-2) ** 3") == "-8")
        #expect(try show("0 ** 0") == "1")
        #expect(try show("1.5 ** 2") == "2.25")
        #expect(try show("10 ** 34") == "1" + String(repeating: "0", count: 34))
    }

    /// Rounding to 34 digits skips counting the digits of a number whose mantissa fits 64 bits; it
    /// must give what counting gives, bit for bit (a trailing zero kept in the mantissa prints), for
    /// numbers as arithmetic makes them and for those over 34 digits that it does round.
    @Test func roundingToThePrecisionSkipsOnlyWhatCountingWouldKeep() throws {
        func bits(_ x: Decimal) -> [UInt8] { withUnsafeBytes(of: x) { Array($0) } }
        var samples: [Decimal] = [
            0, 1, -1, .nan, Decimal(Int64.max), Decimal(Int64.min), Decimal(string: "0.483")! * 100,
            Decimal(string: "12345678901234567890123456789012345678")!,
            Decimal(string: "-1.234567890123456789012345678901234567")!,
        ]
        var numbers = SeededSequence(seed: 7)
        for _ in 0..<20_000 {
            let x = numbers.decimal(exponents: -40..<40)
            samples.append(x)
            samples.append(x * x * x)
            samples.append(x / Decimal(Int(numbers.next() % 97) + 1))
        }
        let differ = samples.filter {
            bits(FEELNumber.toPrecision($0)) != bits(FEELNumber.toPrecisionCountingDigits($0))
        }
        #expect(differ.count == 0, "for example \(differ.prefix(5).map(\.description))")
        // The long ones are there and are rounded, so the comparison covers both paths.
        #expect(samples.contains { FEELNumber.rawParts($0) == nil && FEELNumber.toPrecision($0) != $0 })
    }
}

extension FEELValue {
    fileprivate var numberValue: Decimal? {
        if case .number(let n) = self { n } else { nil }
    }
}
