public import WaymarkEngine
import WaymarkFEEL
public import WaymarkModel

/// Which parts of the definitions a set of scenarios exercises: stages entered, stage deadlines
/// breached, transitions taken, tasks raised and rules fired.
///
/// The engine reports outcomes, not the definition that produced each one, so exercise is read back
/// from a case's history and its records: a stage from `stage.entered` / `stage.breached`, a task from
/// its record's pathway, stage and key, a rule from its alerts (or, for a rule that only raises tasks,
/// from a task with its key and pathway and no stage). A transition is the one whose stage, target and
/// event type match a `stage.exited` followed by `stage.entered`, where the event type is that of an
/// event handled at the same moment before the exit; a move with no such transition (a `goto`) marks
/// none.
public struct ScenarioCoverage: Sendable {
    /// One thing the definitions offer that a scenario can exercise.
    public struct Item: Sendable, Hashable, Comparable {
        public enum Kind: String, Sendable, Hashable, Comparable, CaseIterable {
            case stage, deadline, transition, task, rule

            public static func < (a: Kind, b: Kind) -> Bool {
                allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
            }
        }

        public var kind: Kind
        /// Stable and readable: `right-balance/fgc`, `right-balance/referral -> closed on referral.decided`,
        /// `right-balance/fgc/hold-fgc`, `escalation/re-referral-within-12-months`.
        public var id: String
        public var location: SourceLocation

        public static func < (a: Item, b: Item) -> Bool { (a.kind, a.id) < (b.kind, b.id) }

        /// `workflows/right-balance.yaml:52:9: transition right-balance/referral -> closed on referral.decided`
        public var description: String { "\(location): \(kind.rawValue) \(id)" }
    }

    /// Everything the definitions offer, sorted by kind then id.
    public let items: [Item]
    /// The ids (per kind) of what has been exercised so far.
    public private(set) var exercised: Set<Key> = []

    public struct Key: Sendable, Hashable {
        public var kind: Item.Kind
        public var id: String
    }

    private let definitions: Definitions

    public init(definitions: Definitions) {
        self.definitions = definitions
        var items: [Item] = []
        for pathway in definitions.sortedPathways {
            for stage in pathway.stages {
                let stageID = "\(pathway.id)/\(stage.id)"
                items.append(Item(kind: .stage, id: stageID, location: stage.location))
                if stage.within != nil {
                    items.append(Item(kind: .deadline, id: stageID, location: stage.location))
                }
                for task in stage.tasks {
                    items.append(Item(kind: .task, id: "\(stageID)/\(task.key)", location: task.location))
                }
                for case .task(let task) in stage.onEnter + stage.onExit + stage.onBreach {
                    items.append(Item(kind: .task, id: "\(stageID)/\(task.key)", location: task.location))
                }
                guard !stage.final else { continue }
                for transition in stage.transitions + pathway.transitions {
                    items.append(
                        Item(
                            kind: .transition, id: Self.transitionID(pathway.id, stage.id, transition),
                            location: transition.location))
                }
            }
        }
        for set in definitions.ruleSets.values.sorted(by: { $0.id < $1.id }) {
            for rule in set.rules {
                items.append(Item(kind: .rule, id: "\(set.id)/\(rule.id)", location: rule.location))
                for case .task(let task) in rule.then {
                    items.append(Item(kind: .task, id: "\(set.id)/\(rule.id)/\(task.key)", location: task.location))
                }
            }
        }
        var seen: Set<Key> = []
        self.items = items.filter { seen.insert(Key(kind: $0.kind, id: $0.id)).inserted }.sorted()
    }

    /// `right-balance/referral -> closed on referral.decided`; a pathway-wide transition is listed once
    /// for each stage it can leave, since a scenario that closes a case from one stage says nothing of
    /// the others.
    static func transitionID(_ pathway: String, _ stage: String, _ transition: Transition) -> String {
        let guarded = transition.when.map { " when \($0.source)" } ?? ""
        return "\(pathway)/\(stage) -> \(transition.to) on \(transition.on.joined(separator: " | "))\(guarded)"
    }

    /// What the definitions offer that nothing recorded so far exercised.
    public var missing: [Item] { items.filter { !exercised.contains(Key(kind: $0.kind, id: $0.id)) } }

    /// Records what an engine's cases exercised.
    public mutating func record(_ engine: Engine, cases: some Sequence<String>) {
        for caseID in Set(cases).sorted() {
            guard let detail = engine.caseDetail(caseID) else { continue }
            record(detail)
        }
    }

    mutating func record(_ detail: CaseDetail) {
        let history = detail.history
        for (index, item) in history.enumerated() {
            guard let pathway = item.data?["pathway"].flatMap(Self.text),
                let stage = item.data?["stage"].flatMap(Self.text)
            else { continue }
            switch item.type {
            case "stage.entered": mark(.stage, "\(pathway)/\(stage)")
            case "stage.breached": mark(.deadline, "\(pathway)/\(stage)")
            case "stage.exited":
                guard
                    let entered = history[(index + 1)...].first(where: {
                        $0.type == "stage.entered" && $0.data?["pathway"].flatMap(Self.text) == pathway
                    }), let target = entered.data?["stage"].flatMap(Self.text)
                else { continue }
                let triggers = Set(history[..<index].reversed().prefix { $0.at == item.at }.map(\.type))
                markTransition(pathway: pathway, from: stage, to: target, triggers: triggers)
            default: break
            }
        }
        for task in detail.tasks {
            if let stage = task.stage, let pathway = task.pathway {
                mark(.task, "\(pathway)/\(stage)/\(task.key)")
                continue
            }
            for (set, rule) in rules where rule.pathway == task.pathway {
                for case .task(let t) in rule.then where t.key == task.key {
                    mark(.rule, "\(set)/\(rule.id)")
                    mark(.task, "\(set)/\(rule.id)/\(task.key)")
                }
            }
        }
        for alert in detail.alerts {
            for (set, rule) in rules where rule.id == alert.rule {
                mark(.rule, "\(set)/\(rule.id)")
            }
        }
    }

    private var rules: [(set: String, rule: Rule)] {
        definitions.ruleSets.values.sorted { $0.id < $1.id }.flatMap { set in set.rules.map { (set.id, $0) } }
    }

    private mutating func markTransition(pathway: String, from: String, to: String, triggers: Set<String>) {
        guard let p = definitions.pathways[pathway], let stage = p.stage(from), !stage.final else { return }
        // Transitions are tried in order; the first with this target and a trigger seen is the one taken.
        for transition in stage.transitions + p.transitions
        where transition.to == to && transition.on.contains(where: triggers.contains) {
            mark(.transition, Self.transitionID(pathway, from, transition))
            return
        }
    }

    private mutating func mark(_ kind: Item.Kind, _ id: String) {
        exercised.insert(Key(kind: kind, id: id))
    }

    private static func text(_ value: FEELValue) -> String? {
        if case .string(let s) = value { return s }
        return nil
    }
}
