import Foundation
import Testing
import WaymarkFEEL
import WaymarkTestSupport

/// The compiler's fast paths (constant folding, loop-invariant hoisting, filters on an entry, direct
/// decision-table cells) must give exactly what the general evaluation gives. Each test writes the
/// same question twice, once in a shape that takes the fast path and once in a shape that does not.
@Suite struct FEELFastPathTests {
    func eval(_ text: String, _ names: [String] = [], _ values: [FEELValue] = []) throws -> String {
        try FEELExpression(text, names: names).evaluate(values).typedJSONText
    }

    let mixed = #"[{type: "a", n: 1}, {n: 2}, 5, null, {type: "b", n: 3}, {type: null}]"#

    @Test(arguments: [
        #"type = "a""#, #"type != "a""#, "type = null", "type != null", "n > 1", "n <= 2", "n = 3", #"type < "b""#,
    ])
    func filterOnAnEntryMatchesTheGeneralFilter(condition: String) throws {
        // `item.x` takes the general path; `x` alone takes the entry fast path.
        let fast = try eval("\(mixed)[\(condition)]")
        let general = try eval("\(mixed)[item.\(condition)]")
        #expect(fast == general)
    }

    @Test(arguments: ["some", "every"])
    func quantifierOverAnEntryFilterMatchesTheGeneralForm(quantifier: String) throws {
        for (list, body) in [
            (mixed, "r.n > 1"), (mixed, "r.n >= 1"), (mixed, "r.n < 0"), ("[]", "r.n > 1"), ("null", "true"),
            (#"{type: "a", n: 2}"#, "r.n > 1"), (#"[{type: "a"}, {type: "a", n: 5}]"#, "r.n > 1"),
        ] {
            let fast = try eval(#"\#(quantifier) r in \#(list)[type = "a"] satisfies \#(body)"#)
            let general = try eval(#"\#(quantifier) r in \#(list)[item.type = "a"] satisfies \#(body)"#)
            #expect(fast == general, "\(quantifier) over \(list) satisfying \(body)")
        }
    }

    @Test func filterOnAnEntryOfANonList() throws {
        #expect(try eval(#"{type: "a"}[type = "a"]"#) == (try eval(#"[{type: "a"}]"#)))
        #expect(try eval(#"null[type = "a"]"#) == #"{"type":"null"}"#)
    }

    @Test func loopInvariantsAreComputedOncePerLoopAndGiveTheSameResults() throws {
        let names = ["base", "xs"]
        let values: [FEELValue] = [.number(10), .list([.number(1), .number(2), .number(3)])]
        #expect(try eval("for x in xs return x + base * 2", names, values) == (try eval("[21, 22, 23]")))
        #expect(try eval("some x in xs satisfies x > base - 8", names, values) == #"{"type":"boolean","value":true}"#)
        #expect(try eval("every x in xs satisfies x < base - 8", names, values) == #"{"type":"boolean","value":false}"#)
        #expect(try eval("some x in [] satisfies x > base - 8", names, values) == #"{"type":"boolean","value":false}"#)
        #expect(
            try eval("for x in xs, y in [x, base] return y + abs(base) - x", names, values)
                == (try eval("[10, 19, 10, 18, 10, 17]")))
        #expect(
            try eval("for x in xs return (function(a) a + base * 2)(x)", names, values) == (try eval("[21, 22, 23]")))
        // An expression that reads the loop variable is not hoisted, even inside a hoistable shape.
        #expect(try eval("for x in xs return abs(x - base)", names, values) == (try eval("[9, 8, 7]")))
        // A filter inside the loop sees its own item, not a hoisted value.
        #expect(
            try eval("for x in xs return count([{base: 1}, {base: 2}][base + 0 > x])", names, values)
                == (try eval("[1, 0, 0]")))
    }

    @Test func constantsFoldToTheValuesTheyWouldHave() throws {
        #expect(try eval(#"duration("P12M")"#) == #"{"type":"yearMonthDuration","value":"P1Y"}"#)
        #expect(try eval("2 * 3 + 1") == #"{"type":"number","value":"7"}"#)
        #expect(try eval(#"substring("abc", "x")"#) == #"{"type":"null"}"#)
        #expect(try eval("5 in [0.5..0.7)") == #"{"type":"boolean","value":false}"#)
    }

    @Test(arguments: [
        ("< 0.5", "0.4", true), ("< 0.5", "0.5", false), ("[0.5..0.7)", "0.7", false), ("[0.5..0.7)", "0.5", true),
        ("(0.5..0.7]", "0.5", false), ("0", "0.0", true), ("not(< 3)", "3", true), ("1, [5..9]", "6", true),
        (#""a", "b""#, "1", false), ("!= 2", "2", false), (">= 2", "\"x\"", false),
    ])
    func directCellsAgreeWithUnaryTestsInAFrame(cell: String, input: String, expected: Bool) throws {
        let tests = try FEELUnaryTests(cell)
        let value = try FEELExpression(input).evaluate([])
        let viaVariable = try FEELUnaryTests(cell.replacingOccurrences(of: "0.5", with: "(v + 0)"), names: ["v"])
        #expect(tests.matches(value) ?? false == expected)
        #expect(viaVariable.matches(value, values: [.number(Decimal(string: "0.5")!)]) == tests.matches(value))
    }

    @Test(arguments: [
        "0.4", "0.5", "0.7", "-0.0001", "12345678901234567", "1e35", "1e-30", "123456789012345678901234567890", "null",
        "\"0.6\"", "0.6999", "0.70", "0.5000", "-0.5", "1e-31", "1e30", "0.0",
    ])
    func tableCellsOnScaledIntegersAgreeWithTheUnaryTests(input: String) throws {
        let cells = ["< 0.5", "[0.5..0.7)", ">= 12345678901234567", "[1e30..1e40]", "1e-30", "-", "(-1..0)"]
        let value = try FEELExpression(input).evaluate([])
        let table = FEELDecisionTable(
            inputs: [try FEELExpression("x", names: ["x"])], outputNames: ["row"],
            rules: cells.enumerated().map { index, cell in
                FEELDecisionTable.Rule(
                    inputs: [try! FEELUnaryTests(cell, names: ["x"])],
                    outputs: [try! FEELExpression("\(index)", names: ["x"])])
            }, hitPolicy: .collect(nil))
        let expected = cells.enumerated().filter { _, cell in (try? FEELUnaryTests(cell).matches(value)) == true }
            .map { FEELValue.number(Decimal($0.offset)) }
        #expect(table.evaluate([value]).typedJSONText == FEELValue.list(expected).typedJSONText)
    }

    /// A key spelled the same way but stored differently (on the heap rather than inline, or longer
    /// than an inline string holds) must still be found by a path, which compares keys in place.
    @Test func pathsFindKeysHoweverTheirStringsAreStored() throws {
        func heap(_ text: String) -> String {
            var s = String()
            s.reserveCapacity(64)
            s += text
            return s
        }
        let long = "attendanceOverTheLastTwelveMonths"
        let inner = FEELContext([
            (heap("name"), .string("x")), (heap(long), .number(3)), ("élève", .number(4)), (heap("rate"), .number(5)),
        ])
        let facts = FEELValue.context(FEELContext([("a", .null), (heap("school"), .context(inner))]))
        func run(_ text: String) throws -> String {
            try FEELExpression(text, names: ["facts"]).evaluate([facts]).typedJSONText
        }
        #expect(try run("facts.school.rate") == (try eval("5")))
        #expect(try run("facts.school.élève") == (try eval("4")))
        #expect(try run("facts.school.\(long)") == (try eval("3")))
        #expect(try run("facts.school.\(long) < 3.5") == (try eval("true")))
        #expect(try run("facts.school.rate > 4") == (try eval("true")))
        #expect(try run("facts.school.missing") == (try eval("null")))
        #expect(try run("facts.missing.rate") == (try eval("null")))
        #expect(try run("facts.a.rate") == (try eval("null")))
        let date = FEELValue.context(FEELContext([(heap("d"), .date(FEELDate(year: 2025, month: 3, day: 1)))]))
        #expect(try FEELExpression("x.d.month", names: ["x"]).evaluate([date]).typedJSONText == (try eval("3")))
        #expect(inner[heap("rate")] != nil && inner[long] != nil && inner["rat"] == nil && inner["élève"] != nil)
    }

    /// Inputs read as paths without a frame, inputs computed by their code, and an input naming a
    /// variable the caller did not pass (null) all reach the same rules as the unary tests alone.
    @Test(arguments: ["0.87", "0.5", "0.855", "0.9", "0.91", "2"])
    func tableInputsReadAsPathsAgreeWithComputedInputs(attendance: String) throws {
        let names = ["facts", "extra"]
        let value = try FEELExpression(attendance).evaluate([])
        let facts = FEELValue.context(FEELContext([("school", .context(FEELContext([("attendance", value)])))]))
        let cells = [["< 0.5", "-"], ["[0.5..0.85)", "-"], ["[0.85..0.9]", "null"], ["> 0.9", "-"], ["-", "-"]]
        func table(_ first: String) throws -> FEELDecisionTable {
            FEELDecisionTable(
                inputs: [try FEELExpression(first, names: names), try FEELExpression("extra", names: names)],
                outputNames: ["row"],
                rules: try cells.enumerated().map { index, row in
                    FEELDecisionTable.Rule(
                        inputs: try row.map { try FEELUnaryTests($0, names: names) },
                        outputs: [try FEELExpression("\(index)", names: names)])
                }, hitPolicy: .first)
        }
        let viaPath = try table("facts.school.attendance").evaluate([facts])
        let viaCode = try table("facts.school.attendance + 0").evaluate([facts])
        // The second column always matches: `-`, or `null` against the variable not passed.
        let expected = cells.firstIndex { row in row[0] == "-" || (try? FEELUnaryTests(row[0]).matches(value)) == true }
        #expect(viaPath.typedJSONText == viaCode.typedJSONText)
        #expect(viaPath.typedJSONText == FEELValue.number(Decimal(expected!)).typedJSONText)
    }

    /// A table without input columns has nothing to prepare; its first rule matches.
    @Test func aTableWithoutInputsMatchesItsFirstRule() throws {
        let table = FEELDecisionTable(
            inputs: [], outputNames: ["x"],
            rules: [
                FEELDecisionTable.Rule(inputs: [], outputs: [try FEELExpression("1")]),
                FEELDecisionTable.Rule(inputs: [], outputs: [try FEELExpression("2")]),
            ], hitPolicy: .first)
        #expect(table.evaluate([]).typedJSONText == (try eval("1")))
        let collect = FEELDecisionTable(
            inputs: [], outputNames: ["x"], rules: table.rules, hitPolicy: .collect(.sum))
        #expect(collect.evaluate([]).typedJSONText == (try eval("3")))
    }

    /// `path op number` runs without a frame; it must give what the general comparison gives for
    /// numbers, other kinds, missing entries and variables the caller did not pass.
    @Test(arguments: ["0.87", "0.9", "0.91", "-3", "1e40", "\"0.5\"", "null", "true"])
    func pathComparedWithANumberAgreesWithTheGeneralComparison(attendance: String) throws {
        let names = ["facts"]
        let value = try FEELExpression(attendance).evaluate([])
        let facts = FEELValue.context(FEELContext([("school", .context(FEELContext([("attendance", value)])))]))
        for op in ["<", "<=", ">", ">="] {
            for path in ["facts.school.attendance", "facts.school.missing", "facts.other.attendance"] {
                let fast = try FEELExpression("\(path) \(op) 0.9", names: names)
                let general = try FEELExpression("(\(path)) \(op) (0.9 + x)", names: names + ["x"])
                #expect(
                    fast.evaluate([facts]).typedJSONText == general.evaluate([facts, .number(0)]).typedJSONText,
                    "\(path) \(op) 0.9 with \(attendance)")
                #expect(fast.evaluate([]).typedJSONText == general.evaluate([]).typedJSONText)
            }
        }
    }

    /// An expression with local names evaluated in a kept frame gives what a new frame gives, one
    /// expression after another and with the frame left as the last evaluation left it; a function
    /// made in the frame keeps the values it was made with.
    @Test func aKeptFrameGivesWhatANewFrameGives() throws {
        let texts = [
            "some t in xs satisfies t > y", "for a in xs, b in [1, 2] return a * b + y", "(function(n) n + y)(2)",
            "count(xs[item > y])", "y + 1", "every t in xs satisfies t != null",
            "for i in xs return (function(n) n * i)(y)", "sum(for a in xs return for b in xs return a - b)",
        ]
        let expressions = try texts.map { try FEELExpression($0, names: ["xs", "y"]) }
        var scratch: [FEELValue] = []
        var evaluated = 0
        for round in 0..<3 {
            let xs = FEELValue.list((0..<(round + 2)).map { .number(Decimal($0 * 3 - round)) })
            for (text, expression) in zip(texts, expressions) {
                for values in [[xs, .number(Decimal(round))], [xs], []] {
                    let kept = expression.evaluate(values, reusing: &scratch).typedJSONText
                    #expect(kept == expression.evaluate(values).typedJSONText, "\(text) over \(values)")
                    evaluated += 1
                }
            }
        }
        #expect(evaluated == 72)
        // The frame was reused: it holds the last evaluation's slots, beyond the two names given.
        #expect(scratch.count > 2)
    }

    /// A number's text is written without Foundation's long division when its mantissa fits 64 bits:
    /// it must be `description` exactly, for numbers as events give them, as arithmetic makes them
    /// (trailing zeros kept in the mantissa), at every exponent, and for those it leaves to Foundation.
    @Test func aNumbersTextIsFoundationsDescription() throws {
        var samples: [Decimal] = [
            0, 1, -1, 100, .nan, Decimal(string: "-0")!, Decimal(string: "0.483")!, Decimal(string: "0.483")! * 100,
            Decimal(string: "1e40")!, Decimal(string: "1e-20")!, Decimal(string: "0.0001")!, Decimal(string: "-0.5")!,
            Decimal(string: "10.0")!, Decimal(string: "12345678901234567890123")!, Decimal(Int64.max),
            Decimal(Int64.min),
        ]
        var numbers = SeededSequence(seed: 1)
        for _ in 0..<30_000 {
            samples.append(numbers.decimal(exponents: -30..<30))
            let ratio = Decimal(Int(numbers.next() % 2000)) / Decimal(Int(numbers.next() % 200) + 1)
            samples.append(ratio)
            samples.append(ratio * Decimal(string: "0.01")!)
        }
        let wrong = samples.filter { $0.plainDescription != $0.description }
        #expect(wrong.isEmpty, "\(wrong.prefix(5).map { ($0.description, $0.plainDescription) })")
    }
}
