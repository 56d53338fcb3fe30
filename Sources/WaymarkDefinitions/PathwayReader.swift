import WaymarkModel
import WaymarkYAML

/// A reference to a definition in another file, checked once every file is read.
struct Reference {
    var id: String
    var location: SourceLocation
}

/// Reads a pathway file (top-level key `pathway:`) and checks it on its own: stage names, reachability,
/// a way out of every stage and a final stage.
extension FileContext {
    static let pathwayKeys = [
        "pathway", "version", "title", "description", "calendar", "enrol", "start", "stages", "transitions",
    ]
    static let stageKeys = [
        "title", "description", "final", "tasks", "within", "on_breach", "on_enter", "on_exit", "transitions",
    ]

    func pathway(_ root: YAMLNode, calendars: inout [Reference]) -> Pathway? {
        guard
            let fields = Fields(
                root, self, what: "the pathway", allowed: Self.pathwayKeys,
                required: ["pathway", "calendar", "enrol", "start", "stages"])
        else { return nil }
        let id = fields.id("pathway")
        let version = fields.int("version") ?? 1
        let title = fields.string("title")
        let calendar = fields.string("calendar")
        if let calendar, let node = fields["calendar"] {
            calendars.append(Reference(id: calendar, location: location(node)))
        }
        let enrol = fields["enrol"].flatMap { enrolment($0) }

        // Stage ids first, so that transitions can be checked as they are read.
        var stageNodes: [(id: String, key: YAMLNode, value: YAMLNode)] = []
        if let stagesNode = fields["stages"] {
            if let pairs = stagesNode.mapping {
                for pair in pairs {
                    guard let stageID = Fields.string(pair.key, key: "stages", context: self) else { continue }
                    Fields.checkID(stageID, at: pair.key, context: self)
                    stageNodes.append((stageID, pair.key, pair.value))
                }
                if pairs.isEmpty { error("the pathway has no stages", at: stagesNode, code: "missing-field") }
                // The engine keeps a stage's index in 16 bits in each history entry (see `HistoryItem`).
                if pairs.count > Int(Int16.max) {
                    error(
                        "the pathway has \(pairs.count) stages, more than the \(Int16.max) a pathway may have",
                        at: stagesNode, code: "too-many-stages")
                }
            } else {
                error(
                    "`stages` should map stage ids to stages, not \(stagesNode.kindDescription)", at: stagesNode,
                    code: "wrong-type")
            }
        }
        let stageIDs = stageNodes.map(\.id)
        let start = fields.string("start")
        if let start, let node = fields["start"], !stageIDs.isEmpty, !stageIDs.contains(start) {
            error(
                "`start: \(start)` names no stage of this pathway\(Suggestion.didYouMean(start, in: stageIDs))",
                at: node,
                code: "unknown-stage")
        }
        let stages = stageNodes.compactMap { stage(id: $0.id, key: $0.key, value: $0.value, stageIDs: stageIDs) }
        let wide = fields.list("transitions").compactMap { transition($0, stageIDs: stageIDs) }

        guard let id, let calendar, let enrol, let start else { return nil }
        let pathway = Pathway(
            id: id, version: version, title: title ?? id, calendar: calendar, enrol: enrol, start: start,
            stages: stages, transitions: wide, location: location(fields["pathway"] ?? root))
        if stages.count == stageNodes.count {
            checkShape(pathway, keys: Dictionary(stageNodes.map { ($0.id, $0.key) }, uniquingKeysWith: { a, _ in a }))
        }
        return pathway
    }

    func enrolment(_ node: YAMLNode) -> Pathway.Enrolment? {
        guard let fields = Fields(node, self, what: "`enrol`", allowed: ["on", "when"], required: ["on"]) else {
            return nil
        }
        let on = fields.strings("on")
        let when = fields["when"].flatMap { expression($0, key: "when") }
        guard let on else { return nil }
        return Pathway.Enrolment(on: on, when: when, location: location(node))
    }

    func stage(id: String, key: YAMLNode, value: YAMLNode, stageIDs: [String]) -> Stage? {
        if value.scalar?.isNull == true {
            return Stage(id: id, location: location(key))
        }
        guard let fields = Fields(value, self, what: "stage `\(id)`", allowed: Self.stageKeys) else { return nil }
        let hook = { (name: String) in
            self.actions(fields.list(name), where: "`\(name)` of stage `\(id)`", stageIDs: stageIDs)
        }
        let tasks = fields.list("tasks").compactMap { taskTemplate($0, where: "stage `\(id)`") }
        var seen: [String: SourceLocation] = [:]
        for task in tasks {
            if let first = seen[task.key] {
                error(
                    "task key `\(task.key)` is used twice in stage `\(id)` (first on line \(first.line))",
                    at: task.location, code: "duplicate-id")
            } else {
                seen[task.key] = task.location
            }
        }
        return Stage(
            id: id, title: fields.string("title"), final: fields.bool("final") ?? false, tasks: tasks,
            within: fields.duration("within"), onBreach: hook("on_breach"), onEnter: hook("on_enter"),
            onExit: hook("on_exit"),
            transitions: fields.list("transitions").compactMap { transition($0, stageIDs: stageIDs) },
            location: location(key))
    }

    func transition(_ node: YAMLNode, stageIDs: [String]) -> Transition? {
        guard
            let fields = Fields(
                node, self, what: "a transition", allowed: ["on", "when", "to"], required: ["on", "to"])
        else { return nil }
        let on = fields.strings("on")
        let when = fields["when"].flatMap { expression($0, key: "when") }
        let to = fields.string("to")
        if let to, let toNode = fields["to"], !stageIDs.contains(to) {
            error(
                "`to: \(to)` names no stage of this pathway\(Suggestion.didYouMean(to, in: stageIDs))", at: toNode,
                code: "unknown-stage")
        }
        guard let on, let to else { return nil }
        return Transition(on: on, when: when, to: to, location: location(node))
    }

    /// Reachability from `start`, a way out of every stage that is not final, and at least one final stage.
    func checkShape(_ pathway: Pathway, keys: [String: YAMLNode]) {
        guard pathway.stages.contains(where: \.final) else {
            error(
                "pathway `\(pathway.id)` has no final stage: mark the stage that ends the case with `final: true`",
                at: pathway.location, code: "no-final-stage")
            return
        }
        var edges: [String: [String]] = [:]
        for stage in pathway.stages {
            var targets = stage.transitions.map(\.to)
            for action in stage.onEnter + stage.onExit + stage.onBreach {
                if case .goto(let target, _) = action { targets.append(target) }
            }
            if !stage.final { targets += pathway.transitions.map(\.to) }
            edges[stage.id] = targets
            if !stage.final && targets.isEmpty, let key = keys[stage.id] {
                error(
                    "stage `\(stage.id)` is not final and has no way out: add `transitions:` or mark it `final: true`",
                    at: key, code: "no-way-out")
            }
        }
        // A misspelt target is reported where it is written; the stage it meant would only be reported
        // again as unreachable.
        let ids = Set(pathway.stages.map(\.id))
        guard ids.contains(pathway.start), edges.values.allSatisfy({ $0.allSatisfy(ids.contains) }) else { return }
        var reached: Set<String> = [pathway.start]
        var queue = [pathway.start]
        while let next = queue.popLast() {
            for target in edges[next] ?? [] where !reached.contains(target) {
                reached.insert(target)
                queue.append(target)
            }
        }
        for stage in pathway.stages where !reached.contains(stage.id) {
            if let key = keys[stage.id] {
                warning(
                    "stage `\(stage.id)` cannot be reached from `start: \(pathway.start)`: no transition or `goto` leads to it",
                    at: key, code: "unreachable-stage")
            }
        }
    }
}
