import Testing
import WaymarkDefinitions
import WaymarkModel

/// A FEEL mistake inside a YAML scalar is reported at the line and column of the offending token in
/// the file, whatever the scalar's style: the offset inside the expression is mapped back through
/// the scalar's folding, escapes and indentation. Each case puts the mistake (a `)` where an operand
/// belongs) on the second or third line of a multi-line expression, and the expected position is
/// that `)` as an editor shows it.
@Suite struct FEELPositionTests {
    /// A rule file whose only rule has `when:` written as `scalar` (lines after the first indented
    /// to the rule's keys), with the rule starting on line 4.
    func load(when scalar: String) -> LoadedDefinitions {
        let text = """
            ruleset: escalation
            calendar: england-and-wales
            rules:
              - id: checked
                on: referral.received
                when: \(scalar)
                then:
                  - alert: { severity: high, message: "checked" }

            """
        return Fixtures.load(replacing: "rules/escalation.yaml", with: text)
    }

    func feelErrors(_ loaded: LoadedDefinitions) -> [String] {
        loaded.diagnostics.filter { $0.code == "feel-syntax" }.map { "\($0.location)" }
    }

    @Test func plainScalarOverSeveralLines() {
        // Line 6 is `    when: event.type = "a" and`; line 7 is `      count(case.history) > )`.
        let loaded = load(when: "event.type = \"a\" and\n      count(case.history) > )")
        #expect(feelErrors(loaded) == ["rules/escalation.yaml:7:29"])
    }

    @Test func plainScalarWithTheMistakeOnItsFirstLine() {
        let loaded = load(when: "event.type = ) and\n      true")
        #expect(feelErrors(loaded) == ["rules/escalation.yaml:6:24"])
    }

    @Test func doubleQuotedOverSeveralLines() {
        // Escapes and the folded line break shift the value against the file; the mapping undoes both.
        let loaded = load(when: "\"event.type = \\\"a\\\" and\n      count(case.history) > )\"")
        #expect(feelErrors(loaded) == ["rules/escalation.yaml:7:29"])
    }

    @Test func singleQuotedOverSeveralLines() {
        let loaded = load(when: "'event.type = \"a\" and\n      \"it''s\" != \"x\" and\n      count(case.history) > )'")
        #expect(feelErrors(loaded) == ["rules/escalation.yaml:8:29"])
    }

    @Test func foldedBlockStripped() {
        let loaded = load(when: ">-\n      event.type = \"a\"\n        and\n      count(case.history) > )")
        // Line 9 is `      count(case.history) > )`; the more-indented line 8 keeps its break.
        #expect(feelErrors(loaded) == ["rules/escalation.yaml:9:29"])
    }

    @Test func literalBlock() {
        let loaded = load(when: "|\n      event.type = \"a\" and\n        count(case.history) > )")
        #expect(feelErrors(loaded) == ["rules/escalation.yaml:8:31"])
    }

    @Test func literalBlockWithAnExplicitIndentation() {
        let loaded = load(when: "|2\n        event.type = \"a\" and\n          ) > 1")
        #expect(feelErrors(loaded) == ["rules/escalation.yaml:8:11"])
    }

    @Test func mistakeInsideAMessageTemplate() throws {
        let text = """
            ruleset: escalation
            calendar: england-and-wales
            rules:
              - id: checked
                on: referral.received
                then:
                  - alert:
                      severity: high
                      message: >-
                        Referral for {{ case.id }}
                        on {{ event.date + ) }}

            """
        let loaded = Fixtures.load(replacing: "rules/escalation.yaml", with: text)
        #expect(feelErrors(loaded) == ["rules/escalation.yaml:11:32"])
    }
}
