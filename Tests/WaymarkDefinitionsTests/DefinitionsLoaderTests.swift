import Testing
import WaymarkDefinitions
import WaymarkModel

@Suite struct DefinitionsLoaderTests {
    @Test func cleanFolderLoadsEveryKind() throws {
        let loaded = Fixtures.load([
            "workflows/calendars/ew.yaml": Fixtures.calendar, "workflows/demo.yaml": Fixtures.pathway,
            "rules/escalation.yaml": Fixtures.rules,
        ])
        #expect(loaded.diagnostics.isEmpty)
        let pathway = try #require(loaded.definitions.pathways["demo"])
        #expect(pathway.stages.map(\.id) == ["referral", "closed"])
        #expect(pathway.calendar == "england-and-wales")
        #expect(pathway.stages[0].tasks[0].due == DurationSpec(amount: 1, unit: .workingDays, text: "1 working day"))
        #expect(pathway.stages[0].within?.amount == 5)
        #expect(pathway.stages[1].final)
        #expect(pathway.location == SourceLocation(file: "workflows/demo.yaml", line: 1, column: 10))
        let calendar = try #require(loaded.definitions.calendars["england-and-wales"])
        #expect(calendar.timeZoneID == "Europe/London")
        #expect(calendar.holidays.count == 1)
        let rules = try #require(loaded.definitions.ruleSets["escalation"]?.rules)
        #expect(rules.map(\.id) == ["re-referral", "daily"])
        #expect(rules[1].pathway == "demo")
        if case .daily = rules[1].trigger {} else { Issue.record("every: day should be a daily trigger") }
    }

    @Test func unknownStageInATransitionIsReportedAtItsValue() {
        let text = Fixtures.pathway.replacingOccurrences(
            of: "    to: closed\n  closed:", with: "    to: closd\n  closed:")
        let loaded = Fixtures.load(replacing: "workflows/demo.yaml", with: text)
        #expect(loaded.summaries.contains("workflows/demo.yaml:22:13: error: unknown-stage"))
        #expect(
            loaded.diagnostics.first { $0.code == "unknown-stage" }?.message.contains("did you mean `closed`") == true)
        #expect(loaded.hasErrors)
    }

    /// The engine keeps a stage index in 16 bits; the limit is a diagnostic, not a crash at run time.
    @Test func aPathwayWithMoreStagesThanTheEngineCanNumberIsRefused() {
        func pathway(stages: Int) -> String {
            var text = Fixtures.pathway.components(separatedBy: "stages:\n")[0] + "stages:\n"
            text += "  s0:\n    final: true\n"
            for n in 1..<stages { text += "  s\(n): { final: true }\n" }
            return text.replacingOccurrences(of: "start: referral", with: "start: s0")
        }
        let tooMany = Fixtures.load(replacing: "workflows/demo.yaml", with: pathway(stages: 32_768))
        #expect(tooMany.summaries.contains("workflows/demo.yaml:9:3: error: too-many-stages"))
        let most = Fixtures.load(replacing: "workflows/demo.yaml", with: pathway(stages: 32_767))
        #expect(!most.diagnostics.contains { $0.code == "too-many-stages" })
    }

    @Test func badDurationIsReported() {
        let text = Fixtures.pathway.replacingOccurrences(of: "due: 1 working day", with: "due: one working day")
        let loaded = Fixtures.load(replacing: "workflows/demo.yaml", with: text)
        #expect(loaded.summaries == ["workflows/demo.yaml:15:14: error: bad-duration"])
    }

    /// A deadline beyond a hundred years, or too large to count at all, is refused where it is
    /// written, rather than loaded (a due date past what the engine counts in would stop a run) or
    /// stopping the loader (a number of weeks or years that overflows when counted in days or
    /// months); a hundred years is kept.
    @Test func aDurationTooLongIsReportedAtItsValue() {
        for (due, refused) in [
            ("36526 days", true), ("5218 weeks", true), ("101 years", true), ("P1201M", true),
            ("999999999999999999 weeks", true), ("P999999999999999999Y", true), ("36525 days", false),
            ("100 years", false), ("P1200M", false),
        ] {
            let text = Fixtures.pathway.replacingOccurrences(of: "due: 1 working day", with: "due: \(due)")
            let loaded = Fixtures.load(replacing: "workflows/demo.yaml", with: text)
            #expect(loaded.summaries == (refused ? ["workflows/demo.yaml:15:14: error: bad-duration"] : []), "\(due)")
        }
        let text = Fixtures.pathway.replacingOccurrences(of: "due: 1 working day", with: "due: 5000000 working days")
        let message = Fixtures.load(replacing: "workflows/demo.yaml", with: text).diagnostics.first?.message
        #expect(message?.contains("longer than a definitions file may give") == true)
    }

    @Test func duplicateKeyIsReportedAtTheSecondKey() {
        let text = Fixtures.pathway.replacingOccurrences(
            of: "    title: Referral\n", with: "    title: Referral\n    title: Again\n")
        let loaded = Fixtures.load(replacing: "workflows/demo.yaml", with: text)
        #expect(loaded.summaries == ["workflows/demo.yaml:11:5: error: duplicate-key"])
    }

    @Test func unknownSeverityIsReportedWithASuggestion() {
        let text = Fixtures.pathway.replacingOccurrences(of: "severity: high", with: "severity: hihg")
        let loaded = Fixtures.load(replacing: "workflows/demo.yaml", with: text)
        #expect(loaded.summaries == ["workflows/demo.yaml:19:28: error: unknown-severity"])
        #expect(loaded.diagnostics.first?.message.contains("did you mean `high`") == true)
    }

    @Test func unknownCalendarIsReportedInEachFileThatNamesIt() {
        let text = Fixtures.pathway.replacingOccurrences(of: "calendar: england-and-wales", with: "calendar: scotland")
        let loaded = Fixtures.load(replacing: "workflows/demo.yaml", with: text)
        #expect(loaded.summaries == ["workflows/demo.yaml:4:11: error: unknown-calendar"])
        #expect(loaded.diagnostics.first?.message.contains("england-and-wales") == true)
    }

    @Test func aliasBombIsADiagnosticNamingTheFile() {
        var text = "pathway: bomb\na0: &a0 [x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            text +=
                "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ") + "]\n"
        }
        let loaded = Fixtures.load(replacing: "workflows/bomb.yaml", with: text)
        #expect(loaded.summaries.count == 1)
        #expect(loaded.summaries.first?.hasPrefix("workflows/bomb.yaml:7:") == true)
        #expect(loaded.summaries.first?.hasSuffix("error: alias-expansion") == true)
    }

    @Test func unknownKeysSuggestTheNearestKnownKey() {
        let text = Fixtures.pathway.replacingOccurrences(of: "    title: Referral", with: "    titel: Referral")
        let loaded = Fixtures.load(replacing: "workflows/demo.yaml", with: text)
        #expect(loaded.summaries == ["workflows/demo.yaml:10:5: error: unknown-key"])
        #expect(loaded.diagnostics.first?.message == "unknown key `titel` in stage `referral`; did you mean `title`?")
    }

    @Test func missingRequiredFieldsAreReported() {
        let text = Fixtures.pathway.replacingOccurrences(of: "        role: duty-social-worker\n", with: "")
        let loaded = Fixtures.load(replacing: "workflows/demo.yaml", with: text)
        #expect(loaded.summaries == ["workflows/demo.yaml:12:9: error: missing-field"])
        #expect(loaded.diagnostics.first?.message == "task `decide` is missing `role:`")
    }

    @Test func emptyConditionIsReported() {
        let text = Fixtures.pathway.replacingOccurrences(
            of: "  on: referral.received\n", with: "  on: referral.received\n  when: \"  \"\n")
        let loaded = Fixtures.load(replacing: "workflows/demo.yaml", with: text)
        #expect(loaded.summaries == ["workflows/demo.yaml:7:9: error: empty-expression"])
    }

    @Test func everyProblemIsReportedSortedByPosition() {
        let text = Fixtures.pathway
            .replacingOccurrences(of: "due: 1 working day", with: "due: soon")
            .replacingOccurrences(of: "severity: high", with: "severity: urgent")
            .replacingOccurrences(of: "calendar: england-and-wales", with: "calendar: wales")
        let loaded = Fixtures.load(replacing: "workflows/demo.yaml", with: text)
        #expect(
            loaded.summaries == [
                "workflows/demo.yaml:4:11: error: unknown-calendar",
                "workflows/demo.yaml:15:14: error: bad-duration",
                "workflows/demo.yaml:19:28: error: unknown-severity",
            ])
    }

    @Test func duplicateIdsAcrossFilesAreReportedAtTheSecond() {
        let loaded = Fixtures.load([
            "workflows/calendars/ew.yaml": Fixtures.calendar, "workflows/a.yaml": Fixtures.pathway,
            "workflows/b.yaml": Fixtures.pathway,
            "rules/one.yaml": Fixtures.rules,
            "rules/two.yaml": Fixtures.rules.replacingOccurrences(of: "ruleset: escalation", with: "ruleset: more"),
        ])
        #expect(
            loaded.summaries == [
                "rules/two.yaml:4:9: error: duplicate-id", "rules/two.yaml:8:9: error: duplicate-id",
                "workflows/b.yaml:1:10: error: duplicate-id",
            ])
        #expect(
            loaded.diagnostics.last?.message
                == "pathway `demo` is already defined (at workflows/a.yaml:1); ids must be unique")
    }

    @Test func duplicateTaskKeysWithinAStage() {
        let task =
            "      - key: decide\n        title: Decide\n        role: duty-social-worker\n        due: 1 working day\n"
        let text = Fixtures.pathway.replacingOccurrences(of: "    within:", with: task + "    within:")
        let loaded = Fixtures.load(replacing: "workflows/demo.yaml", with: text)
        #expect(loaded.summaries == ["workflows/demo.yaml:17:9: error: duplicate-id"])
    }

    @Test func shapeProblemsUnreachableNoWayOutNoFinal() {
        let text = Fixtures.pathway.replacingOccurrences(
            of: "  closed:\n    final: true\n",
            with: "  closed:\n    final: true\n  orphan:\n    title: Nobody comes here\n"
        )
        .replacingOccurrences(of: "transitions:\n  - on: case.closed\n    to: closed", with: "")
        let loaded = Fixtures.load(replacing: "workflows/demo.yaml", with: text)
        #expect(
            loaded.summaries == [
                "workflows/demo.yaml:25:3: error: no-way-out", "workflows/demo.yaml:25:3: warning: unreachable-stage",
            ])
        let noFinal = Fixtures.pathway.replacingOccurrences(of: "    final: true\n", with: "    title: Closed\n")
        let shape = Fixtures.load(replacing: "workflows/demo.yaml", with: noFinal)
        #expect(shape.summaries == ["workflows/demo.yaml:1:10: error: no-final-stage"])
    }

    @Test func plainScalarsAreTypedByTheirField() throws {
        // `on` is a key, `yes` a boolean only where one is expected, `no` a stage id.
        let text = Fixtures.pathway
            .replacingOccurrences(of: "    final: true\n", with: "    final: yes\n")
            .replacingOccurrences(of: "  closed:\n", with: "  no:\n")
            .replacingOccurrences(of: "to: closed", with: "to: no")
        let loaded = Fixtures.load(replacing: "workflows/demo.yaml", with: text)
        #expect(loaded.diagnostics.isEmpty)
        let pathway = try #require(loaded.definitions.pathways["demo"])
        #expect(pathway.stages.map(\.id) == ["referral", "no"])
        #expect(pathway.stage("no")?.final == true)
        #expect(pathway.enrol.on == ["referral.received"])
    }

    @Test func fileWithoutAKindIsReported() {
        let loaded = Fixtures.load(replacing: "workflows/odd.yaml", with: "pathways: x\n")
        #expect(loaded.summaries == ["workflows/odd.yaml:1:1: error: unknown-kind"])
        #expect(loaded.diagnostics.first?.message.hasSuffix("did you mean `pathway`?") == true)
    }

    @Test func unknownPathwayOfARuleIsReported() {
        let text = Fixtures.rules.replacingOccurrences(of: "pathway: demo", with: "pathway: dem")
        let loaded = Fixtures.load(replacing: "rules/escalation.yaml", with: text)
        #expect(loaded.summaries == ["rules/escalation.yaml:10:14: error: unknown-pathway"])
    }

    @Test func badCalendarEntries() {
        let text = Fixtures.calendar
            .replacingOccurrences(of: "2025-12-25", with: "2025-02-30")
            .replacingOccurrences(of: "fri]", with: "fryday]")
        let loaded = Fixtures.load(replacing: "workflows/calendars/ew.yaml", with: text)
        #expect(
            loaded.summaries == [
                "workflows/calendars/ew.yaml:3:36: error: bad-weekday",
                "workflows/calendars/ew.yaml:5:13: error: bad-date",
            ])
    }
}
