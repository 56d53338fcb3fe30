import Foundation
import Testing
import WaymarkFEEL

@Suite struct FEELDecisionTableTests {
    let names = ["facts", "case"]

    func table(_ policy: FEELDecisionTable.HitPolicy) throws -> FEELDecisionTable {
        let rows: [([String], String)] = [
            (["< 0.5", "-"], #""severe""#),
            (["< 0.9", ">= 2"], #""persistent""#),
            (["[0.9..1]", "not(0)"], #""watch""#),
            (["-", "-"], #""none""#),
        ]
        return FEELDecisionTable(
            inputs: [
                try FEELExpression("facts.attendance", names: names),
                try FEELExpression("facts.crises", names: names),
            ],
            outputNames: ["level"],
            rules: try rows.map { cells, output in
                FEELDecisionTable.Rule(
                    inputs: try cells.map { try FEELUnaryTests($0, names: names) },
                    outputs: [try FEELExpression(output, names: names)])
            },
            hitPolicy: policy,
            outputValues: [[.string("severe"), .string("persistent"), .string("watch"), .string("none")]])
    }

    func facts(_ attendance: String, _ crises: Int) -> [FEELValue] {
        [
            .context(
                FEELContext([
                    ("attendance", .number(Decimal(string: attendance)!)), ("crises", .number(Decimal(crises))),
                ])), .null,
        ]
    }

    @Test func firstHitReturnsTheFirstMatchingRow() throws {
        let t = try table(.first)
        #expect(t.evaluate(facts("0.4", 0)).typedJSONText.contains("severe"))
        #expect(t.evaluate(facts("0.8", 3)).typedJSONText.contains("persistent"))
        #expect(t.evaluate(facts("0.8", 1)).typedJSONText.contains("none"))
        #expect(t.evaluate(facts("0.95", 1)).typedJSONText.contains("watch"))
    }

    @Test func collectAndPriorityPolicies() throws {
        #expect(try table(.collect(.count)).evaluate(facts("0.4", 3)).typedJSONText.contains(#""3""#))
        #expect(try table(.priority).evaluate(facts("0.95", 0)).typedJSONText.contains("none"))
        #expect(try table(.unique).evaluate(facts("0.4", 3)).isNull)
        let ordered = try table(.ruleOrder).evaluate(facts("0.8", 3)).typedJSONText
        #expect(ordered.range(of: "persistent")!.lowerBound < ordered.range(of: "none")!.lowerBound)
    }

    @Test func unaryTestsMatchTheInput() throws {
        #expect(try FEELUnaryTests(#""a", "b""#).matches(.string("b")) == true)
        #expect(try FEELUnaryTests("not(1, 2)").matches(.number(2)) == false)
        #expect(try FEELUnaryTests("? > x", names: ["x"]).matches(.number(3), values: [.number(2)]) == true)
        #expect(try FEELUnaryTests("-").matches(.null) == true)
        #expect(throws: FEELError.self) { try FEELUnaryTests("< ") }
    }

    @Test func hitPoliciesReadFromRuleFiles() {
        #expect(FEELDecisionTable.HitPolicy("collect sum") == .collect(.sum))
        #expect(FEELDecisionTable.HitPolicy("rule order") == .ruleOrder)
        #expect(FEELDecisionTable.HitPolicy("sometimes") == nil)
    }
}
