import WaymarkModel
import WaymarkYAML

/// Reads a rule file (top-level key `ruleset:`): its decision tables and rules.
extension FileContext {
    static let ruleSetKeys = ["ruleset", "title", "description", "calendar", "tables", "rules"]
    static let ruleKeys = ["id", "title", "description", "on", "every", "pathway", "when", "then"]
    static let tableKeys = ["name", "description", "hit_policy", "inputs", "outputs", "output_values", "rules"]

    func ruleSet(_ root: YAMLNode, calendars: inout [Reference], pathways: inout [Reference]) -> RuleSet? {
        guard let fields = Fields(root, self, what: "the rule set", allowed: Self.ruleSetKeys, required: ["ruleset"])
        else { return nil }
        let id = fields.id("ruleset")
        let calendar = fields.string("calendar")
        if let calendar, let node = fields["calendar"] {
            calendars.append(Reference(id: calendar, location: location(node)))
        }
        let tables = fields.list("tables").compactMap { table($0) }
        let rules = fields.list("rules").compactMap { rule($0, pathways: &pathways) }
        guard let id else { return nil }
        return RuleSet(
            id: id, calendar: calendar, rules: rules, tables: tables, location: location(fields["ruleset"] ?? root))
    }

    func rule(_ node: YAMLNode, pathways: inout [Reference]) -> Rule? {
        let name = node["id"]?.text.map { "rule `\($0)`" } ?? "a rule"
        guard let fields = Fields(node, self, what: name, allowed: Self.ruleKeys, required: ["id", "then"]) else {
            return nil
        }
        let id = fields.id("id")
        var trigger: Rule.Trigger?
        switch (fields["on"], fields["every"]) {
        case (.some, .some):
            error("\(name) has both `on:` and `every:`; keep one", at: node, code: "bad-trigger")
        case (.none, .none):
            error("\(name) needs `on:` (event types) or `every: day`", at: node, code: "missing-field")
        case (.some, .none):
            trigger = fields.strings("on").map { .events($0) }
        case (.none, .some(let every)):
            if let text = fields.string("every") {
                if text == "day" {
                    trigger = .daily
                } else {
                    error("`every: \(text)` is not supported; write `every: day`", at: every, code: "bad-trigger")
                }
            }
        }
        let pathway = fields.string("pathway")
        if let pathway, let value = fields["pathway"] {
            pathways.append(Reference(id: pathway, location: location(value)))
        }
        let when = fields["when"].flatMap { expression($0, key: "when") }
        let thenNodes = fields.list("then")
        if fields.has("then") && thenNodes.isEmpty && fields["then"]?.sequence != nil {
            error("`then` of \(name) is empty: list at least one action", at: fields["then"]!, code: "missing-field")
        }
        let then = actions(thenNodes, where: name, stageIDs: nil)
        guard let id, let trigger else { return nil }
        return Rule(
            id: id, title: fields.string("title"), trigger: trigger, pathway: pathway, when: when, then: then,
            location: location(fields["id"] ?? node))
    }

    func table(_ node: YAMLNode) -> DecisionTable? {
        let label = node["name"]?.text.map { "table `\($0)`" } ?? "a decision table"
        guard
            let fields = Fields(
                node, self, what: label, allowed: Self.tableKeys, required: ["name", "inputs", "outputs", "rules"])
        else { return nil }
        let name = fields.string("name")
        let hitPolicy = fields["hit_policy"].flatMap { self.hitPolicy($0) } ?? .unique
        let inputs = fields.list("inputs").compactMap { expression($0, key: "inputs") }
        let inputCount = fields.list("inputs").count
        let outputs = fields.strings("outputs") ?? []
        var outputValues: [[String]] = []
        for item in fields.list("output_values") {
            if let values = item.sequence {
                outputValues.append(values.compactMap { Fields.string($0, key: "output_values", context: self) })
                for value in values { _ = compileFEEL(value.text ?? "", in: value) }
            } else {
                error("each entry of `output_values` should be a list of FEEL values", at: item, code: "wrong-type")
            }
        }
        if !outputValues.isEmpty && outputValues.count != outputs.count, let node = fields["output_values"] {
            error(
                "`output_values` has \(outputValues.count) lists but the table has \(outputs.count) outputs",
                at: node, code: "table-shape")
        }
        var rows: [DecisionTable.Row] = []
        for rowNode in fields.list("rules") {
            guard
                let row = Fields(
                    rowNode, self, what: "a table row", allowed: ["when", "then", "description"],
                    required: ["when", "then"])
            else { continue }
            let when = row.list("when")
            let then = row.list("then")
            if let whenNode = row["when"], when.count != inputCount {
                error(
                    "this row has \(when.count) input tests but \(label) has \(inputCount) inputs", at: whenNode,
                    code: "table-shape")
            }
            if let thenNode = row["then"], then.count != outputs.count {
                error(
                    "this row has \(then.count) outputs but \(label) has \(outputs.count)", at: thenNode,
                    code: "table-shape")
            }
            var entries: [String] = []
            for test in when {
                guard let text = Fields.string(test, key: "when", context: self) else { continue }
                if text.allSatisfy(\.isWhitespace) {
                    error("an input test is empty: write `-` to match anything", at: test, code: "empty-expression")
                }
                entries.append(text)
            }
            let outputEntries = then.compactMap { expression($0, key: "then") }
            if entries.count == when.count && outputEntries.count == then.count {
                rows.append(
                    DecisionTable.Row(inputEntries: entries, outputEntries: outputEntries, location: location(rowNode)))
            }
        }
        guard let name, inputs.count == inputCount else { return nil }
        return DecisionTable(
            name: name, hitPolicy: hitPolicy, inputs: inputs, outputs: outputs, outputValues: outputValues,
            rules: rows, location: location(fields["name"] ?? node))
    }

    static let hitPolicies: [String: DecisionTable.HitPolicy] = [
        "unique": .unique, "first": .first, "priority": .priority, "any": .any, "rule order": .ruleOrder,
        "output order": .outputOrder, "collect": .collect(nil), "collect sum": .collect(.sum),
        "collect count": .collect(.count), "collect min": .collect(.min), "collect max": .collect(.max),
    ]

    func hitPolicy(_ node: YAMLNode) -> DecisionTable.HitPolicy? {
        guard let text = Fields.string(node, key: "hit_policy", context: self) else { return nil }
        let normalised = text.lowercased().split(separator: " ").joined(separator: " ")
        if let policy = Self.hitPolicies[normalised] { return policy }
        let names = Self.hitPolicies.keys.sorted()
        error(
            "unknown hit policy `\(text)`; use one of \(names.joined(separator: ", "))"
                + Suggestion.didYouMean(text, in: names), at: node, code: "bad-hit-policy")
        return nil
    }
}
