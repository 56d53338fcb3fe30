import WaymarkModel
import WaymarkYAML

/// Reads actions (`task`, `alert`, `goto`, `set`) and task templates, shared by stages and rules.
extension FileContext {
    static let actionKinds = ["task", "alert", "goto", "set"]
    static let taskKeys = ["key", "title", "role", "due", "done_on", "done_when", "carry", "repeat", "description"]

    /// Reads a list of actions; `stageIDs` (when known) checks `goto` targets.
    func actions(_ nodes: [YAMLNode], where what: String, stageIDs: [String]?) -> [Action] {
        nodes.compactMap { action($0, where: what, stageIDs: stageIDs) }
    }

    func action(_ node: YAMLNode, where what: String, stageIDs: [String]?) -> Action? {
        guard let pairs = node.mapping, pairs.count == 1, let kind = pairs[0].key.text else {
            error(
                "an action in \(what) should be one of `task:`, `alert:`, `goto:` or `set:`", at: node,
                code: "bad-action")
            return nil
        }
        let value = pairs[0].value
        switch kind {
        case "task":
            return taskTemplate(value, where: what).map(Action.task)
        case "alert":
            guard
                let fields = Fields(
                    value, self, what: "an alert", allowed: ["severity", "message"], required: ["severity", "message"])
            else { return nil }
            let severity = fields["severity"].flatMap { self.severity($0) }
            let message = fields["message"].flatMap { template($0, key: "message") }
            guard let severity, let message else { return nil }
            return .alert(AlertTemplate(severity: severity, message: message, location: location(node)))
        case "goto":
            guard let target = Fields.string(value, key: "goto", context: self) else { return nil }
            if let stageIDs, !stageIDs.contains(target) {
                error(
                    "`goto: \(target)` names no stage of this pathway\(Suggestion.didYouMean(target, in: stageIDs))",
                    at: value, code: "unknown-stage")
            }
            return .goto(stage: target, location: location(value))
        case "set":
            guard let assignments = value.mapping else {
                error("`set:` should map fact paths to FEEL expressions", at: value, code: "wrong-type")
                return nil
            }
            var result: [(path: [String], value: Expression)] = []
            for pair in assignments {
                guard let path = pair.key.text, !path.isEmpty else {
                    error(
                        "a fact path should be a dotted name like `school.attendance`", at: pair.key, code: "wrong-type"
                    )
                    continue
                }
                let components = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
                if components.contains(where: \.isEmpty) {
                    error(
                        "`\(path)` is not a fact path: write names joined by single dots", at: pair.key,
                        code: "bad-path")
                    continue
                }
                if let expression = expression(pair.value, key: path) { result.append((components, expression)) }
            }
            return .set(result, location: location(node))
        default:
            error(
                "unknown action `\(kind)`; use `task`, `alert`, `goto` or `set`"
                    + Suggestion.didYouMean(kind, in: Self.actionKinds), at: pairs[0].key, code: "bad-action")
            return nil
        }
    }

    func severity(_ node: YAMLNode) -> AlertSeverity? {
        guard let text = Fields.string(node, key: "severity", context: self) else { return nil }
        if let severity = AlertSeverity(rawValue: text) { return severity }
        let names = AlertSeverity.allCases.map(\.rawValue)
        error(
            "unknown severity `\(text)`; use low, medium, high or critical\(Suggestion.didYouMean(text, in: names))",
            at: node, code: "unknown-severity")
        return nil
    }

    func taskTemplate(_ node: YAMLNode, where what: String) -> TaskTemplate? {
        let name = node["key"]?.text.map { "task `\($0)`" } ?? "a task"
        guard
            let fields = Fields(
                node, self, what: name, allowed: Self.taskKeys, required: ["key", "title", "role", "due"])
        else { return nil }
        let key = fields.id("key")
        let title = fields.string("title")
        let role = fields.string("role")
        let due = fields.duration("due")
        let doneOn = fields.strings("done_on") ?? []
        let doneWhen = fields["done_when"].flatMap { expression($0, key: "done_when") }
        let carry = fields.bool("carry") ?? false
        let repeatEvery = fields.duration("repeat")
        if let repeatEvery, repeatEvery.amount == 0, let value = fields["repeat"] {
            error("`repeat` must be longer than zero", at: value, code: "bad-duration")
        }
        guard let key, let title, let role, let due else { return nil }
        return TaskTemplate(
            key: key, title: title, role: role, due: due, doneOn: doneOn, doneWhen: doneWhen, carry: carry,
            repeat: repeatEvery, location: location(node))
    }
}
