import WaymarkModel

/// The values a scenario may name, taken from the definitions, so that a misspelt name fails: the
/// fields of its expectations, and the types of its events.
///
/// Without this check `no_alerts: [{ rule: re-referal-within-12-months }]` would pass forever, since
/// no alert ever has that rule; and `status: overdu` would make a `tasks` entry fail with a diff that
/// hides the real mistake. Each field with a fixed set of values (status, severity, rule, pathway,
/// stage, key, role) or a fixed shape (dates and moments) is checked before any record is compared.
struct ExpectationVocabulary: Sendable {
    private var values: [String: Set<String>] = [:]
    /// Event types some definition reacts to (`on`, `done_on`, `enrol.on`), or names in FEEL text.
    private var eventTypes: Set<String> = ["task.completed"]
    private var feelSources: [String] = []

    init(definitions: Definitions) {
        var rules: Set<String> = []
        var pathways: Set<String> = []
        var stages: Set<String> = []
        var keys: Set<String> = []
        var roles: Set<String> = []
        var types: Set<String> = ["task.completed"]
        var sources: [String] = []
        func add(_ expression: Expression?) {
            if let expression { sources.append(expression.source) }
        }
        func add(_ actions: [Action]) {
            for action in actions {
                switch action {
                case .task(let t):
                    keys.insert(t.key)
                    roles.insert(t.role)
                    types.formUnion(t.doneOn)
                    add(t.doneWhen)
                case .alert(let a): sources.append(a.message.source)
                case .set(let pairs, _): sources += pairs.map(\.value.source)
                case .goto: break
                }
            }
        }
        for pathway in definitions.sortedPathways {
            pathways.insert(pathway.id)
            types.formUnion(pathway.enrol.on)
            add(pathway.enrol.when)
            for transition in pathway.transitions + pathway.stages.flatMap(\.transitions) {
                types.formUnion(transition.on)
                add(transition.when)
            }
            for stage in pathway.stages {
                stages.insert(stage.id)
                add(stage.tasks.map { Action.task($0) })
                add(stage.onEnter + stage.onExit + stage.onBreach)
                for hook in ["on_enter", "on_exit", "on_breach"] { rules.insert("\(pathway.id):\(stage.id):\(hook)") }
            }
        }
        for rule in definitions.allRules {
            rules.insert(rule.id)
            if case .events(let on) = rule.trigger { types.formUnion(on) }
            add(rule.when)
            add(rule.then)
        }
        for set in definitions.ruleSets.values {
            for table in set.tables {
                sources += table.inputs.map(\.source) + table.rules.flatMap(\.inputEntries)
            }
        }
        eventTypes = types
        feelSources = sources
        values = [
            "rule": rules, "pathway": pathways, "stage": stages, "key": keys, "role": roles,
        ]
    }

    /// The mistakes in an expectation's values, each at its field's position.
    /// An event whose type no definition reacts to or reads is most likely misspelt: it would do nothing.
    func problem(_ event: ScenarioEvent) -> ScenarioResult.Failure? {
        guard !eventTypes.contains(event.type), !feelSources.contains(where: { $0.contains("\"\(event.type)\"") })
        else { return nil }
        let text =
            "\(event.location): no definition reacts to or reads events of type `\(event.type)`"
            + suggestion(event.type, eventTypes)
        return ScenarioResult.Failure(location: event.location, text: text)
    }

    static let statuses = ["open", "overdue", "done", "cancelled"]
    static let severities = ["low", "medium", "high", "critical"]

    /// `cases` are the case ids the scenario's events name: an expectation about another case is a typo.
    func problems(_ expectation: Expectation, cases: Set<String>) -> [ScenarioResult.Failure] {
        var failures: [ScenarioResult.Failure] = []
        for field in expectation.fields {
            guard let value = field.value else { continue }
            var message: String?
            switch field.name {
            case "due":
                if ScenarioDates.date(value) == nil { message = "`due` must be a date (YYYY-MM-DD), not `\(value)`" }
            case "raised", "done", "at", "since", "closed":
                if !ScenarioDates.isInstant(value) {
                    message = "`\(field.name)` must be an ISO 8601 date or date-time, not `\(value)`"
                }
            case "version":
                if Int(value) == nil { message = "`version` must be a whole number, not `\(value)`" }
            case "status", "severity":
                let known = field.name == "status" ? Self.statuses : Self.severities
                if !known.contains(value) {
                    message = "`\(field.name)` must be one of \(known.joined(separator: ", ")), not `\(value)`"
                }
            case "case":
                if !cases.contains(value) {
                    message = "no event of this scenario is for case `\(value)`" + suggestion(value, cases)
                }
            default:
                guard let known = values[field.name], !known.contains(value) else { break }
                message =
                    "`\(field.name)` names no \(field.name) of the definitions: `\(value)`" + suggestion(value, known)
            }
            if let message {
                failures.append(
                    ScenarioResult.Failure(location: field.location, text: "\(field.location): \(message)"))
            }
        }
        return failures
    }

    /// ` (did you mean `x`?)` for the nearest known value within a few edits, else the known values
    /// when there are few of them.
    private func suggestion(_ value: String, _ known: Set<String>) -> String {
        let sorted = known.sorted()
        let scored = sorted.map { (name: $0, distance: Self.distance(value, $0)) }
        if let best = scored.min(by: { $0.distance < $1.distance }), best.distance <= max(2, value.count / 4) {
            return " (did you mean `\(best.name)`?)"
        }
        if sorted.count <= 6 { return "; expected one of: " + sorted.joined(separator: ", ") }
        return ""
    }

    /// Levenshtein distance: a dozen lines, not worth a dependency.
    static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a.unicodeScalars)
        let y = Array(b.unicodeScalars)
        guard !x.isEmpty else { return y.count }
        var previous = Array(0...y.count)
        for i in 1...x.count {
            var current = [i] + Array(repeating: 0, count: y.count)
            for j in stride(from: 1, through: y.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[y.count]
    }
}
