import Testing
import WaymarkDefinitions
import WaymarkModel

/// `waymark graph` labels each transition with its event and, when it has one, its condition,
/// escaped so that neither Mermaid nor Graphviz misreads it, and shortened when long.
@Suite struct PathwayGraphTests {
    /// The fixture pathway with conditional transitions out of `referral`.
    func pathway() throws -> Pathway {
        let transitions = [
            "    transitions:",
            "      - on: referral.decided",
            #"        when: event.data.score >= 3 and event.data.team = "east""#,
            "        to: closed",
            "      - on: [referral.decided, case.noted]",
            "        when: >-",
            "          event.data.score < 3",
            ##"            and (event.data.note = "#1 | urgent" or event.data.reviewed = true)"##,
            #"            and count(case.history[type = "referral.received"]) > 2"#,
            "        to: closed",
            "      - on: referral.decided",
            "        to: closed",
            "",
        ]
        let text = Fixtures.pathway.replacingOccurrences(
            of: "    transitions:\n      - on: referral.decided\n        to: closed\n",
            with: transitions.joined(separator: "\n"))
        #expect(text != Fixtures.pathway)
        let loaded = Fixtures.load(replacing: "workflows/demo.yaml", with: text)
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        return try #require(loaded.definitions.pathways["demo"])
    }

    @Test func mermaidLabelsCarryTheEventAndTheEscapedCondition() throws {
        let out = PathwayGraph.render(try pathway(), format: .mermaid)
        #expect(
            out.contains(
                #"s_referral -->|"referral.decided<br/>[event.data.score #gt;= 3 and event.data.team = #quot;east#quot;]"| s_closed"#
            ))
        // No raw `<`, `>` or `"` inside a label, where Mermaid would read markup or the label's end.
        for line in out.split(separator: "\n") where line.contains("-->|") {
            let label = line.split(separator: "|\"", maxSplits: 1)[1].split(separator: "\"|")[0]
            #expect(!label.contains(">") || label.contains("<br/>"))
            #expect(!label.replacingOccurrences(of: "<br/>", with: "").contains("<"))
            #expect(!label.contains("\""))
        }
        #expect(out.contains(#"s_referral -->|"referral.decided"| s_closed"#))
    }

    @Test func longConditionsAreFoldedOntoOneLineAndShortened() throws {
        let out = PathwayGraph.render(try pathway(), format: .dot)
        let line = try #require(out.split(separator: "\n").first { $0.contains("referral.decided | case.noted") })
        // The `>-` block's line breaks and indentation become single spaces, cut at a word with `…`.
        #expect(line.contains(##"[event.data.score < 3 and (event.data.note = \"#1 | urgent\"…]"##))
        #expect(!line.drop { $0 == " " }.contains("  "))
    }

    @Test func dotLabelsEscapeQuotesAndBackslashes() throws {
        let out = PathwayGraph.render(try pathway(), format: .dot)
        #expect(
            out.contains(
                #""referral" -> "closed" [label="referral.decided\n[event.data.score >= 3 and event.data.team = \"east\"]"];"#
            ))
        #expect(out.contains(#""referral" -> "closed" [label="referral.decided"];"#))
    }

    @Test func shortConditionsAreKeptWhole() {
        #expect(PathwayGraph.condition("a   =\n   1") == "a = 1")
        let long = String(repeating: "x and ", count: 20) + "y"
        let short = PathwayGraph.condition(long)
        #expect(short.count <= PathwayGraph.maximumConditionLength)
        #expect(short.hasSuffix("…"))
        #expect(long.hasPrefix(String(short.dropLast())))
    }
}
