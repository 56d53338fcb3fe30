import Testing
import WaymarkFEEL
import WaymarkModel

@testable import WaymarkEngine

/// Rules call decision tables by name, and a table's inputs read the calling rule's scope.
@Suite struct DecisionTableTests {
    typealias F = Fixtures

    static func expression(_ text: String) -> Expression {
        Expression(
            source: text, location: F.at(2, "rules/escalation.yaml"),
            compiled: try! FEELExpression(
                text, names: Expression.scopeNames, functionNames: ["crisis level", "setting level"]))
    }

    /// Priority: "urgent" is listed last but outranks "single", so a missing child is urgent.
    static func definitions() -> Definitions {
        let table = DecisionTable(
            name: "crisis level", hitPolicy: .priority, inputs: [expression("event.data.setting")],
            outputs: ["level"], outputValues: [[#""urgent""#, #""single""#]],
            rules: [
                .init(inputEntries: ["-"], outputEntries: [expression(#""single""#)], location: F.at(5)),
                .init(inputEntries: [#""missing""#], outputEntries: [expression(#""urgent""#)], location: F.at(6)),
            ], location: F.at(4, "rules/escalation.yaml"))
        let rule = Rule(
            id: "urgent-crisis", title: nil, trigger: .events(["crisis.presented"]), pathway: nil,
            when: expression(#"crisis level() = "urgent""#), then: [F.alert("Urgent crisis")],
            location: F.at(10, "rules/escalation.yaml"))
        var definitions = F.definitions()
        definitions.ruleSets["escalation"] = RuleSet(
            id: "escalation", calendar: "england-and-wales", rules: [rule], tables: [table],
            location: F.at(1, "rules/escalation.yaml"))
        return definitions
    }

    @Test func ruleConditionCallsATableOverTheEvent() {
        let events = [
            F.event(
                "e1", "K1", "crisis.presented", "2024-09-10T02:15:00Z",
                data: FEELContext([("setting", .string("missing"))])),
            F.event(
                "e2", "K2", "crisis.presented", "2024-09-10T02:15:00Z",
                data: FEELContext([("setting", .string("police"))])),
        ]
        let (_, report) = F.run(Self.definitions(), events, asOf: "2024-09-10")
        #expect(report.alerts.map(\.caseID) == ["K1"])
        #expect(report.alerts.map(\.rule) == ["urgent-crisis"])
    }

    /// Only the tables a condition calls decide which parts of the case it must build: calling a table
    /// that reads the event alone must not build the case history that another table reads.
    @Test func aConditionBuildsOnlyWhatTheTablesItCallsRead() {
        var definitions = Self.definitions()
        let historyTable = DecisionTable(
            name: "setting level", hitPolicy: .first,
            inputs: [Self.expression(#"count(case.history[type = "crisis.presented"])"#)], outputs: ["level"],
            outputValues: [],
            rules: [.init(inputEntries: ["-"], outputEntries: [Self.expression(#""single""#)], location: F.at(5))],
            location: F.at(20, "rules/escalation.yaml"))
        definitions.ruleSets["escalation"]?.tables.append(historyTable)
        let compiled = CompiledDefinitions(definitions)
        let eventOnly = compiled.needs[#"crisis level() = "urgent""#]
        #expect(eventOnly?.contains(.tables) == true)
        #expect(eventOnly?.contains(.history) == false)
        #expect(compiled.needs[#"count(case.history[type = "crisis.presented"])"#]?.contains(.history) == true)
        // A table that calls the history-reading one reads the history too.
        let caller = DecisionTable(
            name: "crisis level", hitPolicy: .first, inputs: [Self.expression("setting level()")], outputs: ["level"],
            outputValues: [], rules: [], location: F.at(30, "rules/escalation.yaml"))
        definitions.ruleSets["escalation"]?.tables = [caller, historyTable]
        #expect(CompiledDefinitions(definitions).needs[#"crisis level() = "urgent""#]?.contains(.history) == true)
    }

    /// What a rule reads through the tables it calls, whether it reads the clock, and what its
    /// explanation quotes all follow the calls from one table to the next, through an output as well
    /// as through an input.
    @Test func whatATableReadsIsFollowedThroughTheTablesItCalls() throws {
        var definitions = Self.definitions()
        let plainCaller = try #require(definitions.ruleSets["escalation"]?.tables.first)
        let dated = DecisionTable(
            name: "setting level", hitPolicy: .first, inputs: [Self.expression("today() - date(facts.opened)")],
            outputs: ["days"], outputValues: [], rules: [], location: F.at(20, "rules/escalation.yaml"))
        let caller = DecisionTable(
            name: "crisis level", hitPolicy: .first, inputs: [Self.expression("event.data.setting")],
            outputs: ["level"], outputValues: [],
            rules: [.init(inputEntries: ["-"], outputEntries: [Self.expression("setting level()")], location: F.at(5))],
            location: F.at(30, "rules/escalation.yaml"))
        let condition = #"crisis level() = "urgent""#
        #expect(CompiledDefinitions.tablesCalled(by: condition, in: [caller, dated]) == [0, 1])
        #expect(CompiledDefinitions.tablesCalled(by: "setting level()", in: [caller, dated]) == [1])
        #expect(CompiledDefinitions.tablesCalled(by: "facts.opened", in: [caller, dated]).isEmpty)
        func compiled(_ tables: [DecisionTable]) -> (needs: ScopeNeeds?, clock: Bool?) {
            definitions.ruleSets["escalation"]?.tables = tables
            let compiled = CompiledDefinitions(definitions)
            return (compiled.needs[condition], compiled.rules.first { $0.rule.id == "urgent-crisis" }?.readsClock)
        }
        let through = compiled([caller, dated])
        #expect(through.needs?.isSuperset(of: [.event, .facts, .tables]) == true)
        #expect(through.clock == true)
        #expect(ExplainPlan(condition, tables: [caller, dated]).factPaths == [["opened"]])
        // A caller whose output is a constant reads neither the facts nor the clock.
        let alone = compiled([plainCaller, dated])
        #expect(alone.needs?.contains(.facts) == false)
        #expect(alone.clock == false)
        #expect(ExplainPlan(condition, tables: [plainCaller, dated]).factPaths.isEmpty)
    }

    /// A table's input may call another table, over the same scope; a table calling itself gives null.
    @Test func aTableMayCallAnotherTable() {
        var definitions = Self.definitions()
        let outer = DecisionTable(
            name: "setting level", hitPolicy: .first, inputs: [Self.expression("crisis level()")], outputs: ["level"],
            outputValues: [],
            rules: [
                .init(
                    inputEntries: [#""urgent""#], outputEntries: [Self.expression(#""call now""#)], location: F.at(5)),
                .init(inputEntries: ["-"], outputEntries: [Self.expression(#""wait""#)], location: F.at(6)),
            ], location: F.at(20, "rules/escalation.yaml"))
        let selfCalling = DecisionTable(
            name: "setting level", hitPolicy: .first, inputs: [Self.expression("setting level()")], outputs: ["x"],
            outputValues: [], rules: [], location: F.at(30, "rules/escalation.yaml"))
        let rule = Rule(
            id: "call-now", title: nil, trigger: .events(["crisis.presented"]), pathway: nil,
            when: Self.expression(#"setting level() = "call now""#), then: [F.alert("Call now")],
            location: F.at(40, "rules/escalation.yaml"))
        definitions.ruleSets["escalation"]?.tables.append(outer)
        definitions.ruleSets["escalation"]?.rules = [rule]
        let events = [
            F.event(
                "e1", "K1", "crisis.presented", "2024-09-10T02:15:00Z",
                data: FEELContext([("setting", .string("missing"))])),
            F.event(
                "e2", "K2", "crisis.presented", "2024-09-10T02:15:00Z",
                data: FEELContext([("setting", .string("police"))])),
        ]
        #expect(F.run(definitions, events, asOf: "2024-09-10").1.alerts.map(\.caseID) == ["K1"])
        definitions.ruleSets["escalation"]?.tables = [selfCalling]
        #expect(F.run(definitions, events, asOf: "2024-09-10").1.alerts.isEmpty)
    }
}
