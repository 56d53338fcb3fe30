public import WaymarkFEEL

/// A rule file: escalation rules and the decision tables they call.
public struct RuleSet: Sendable, Identifiable {
    public var id: String
    /// The calendar for `working days` in this set's rules.
    public var calendar: String?
    public var rules: [Rule]
    public var tables: [DecisionTable]
    public var location: SourceLocation

    public init(id: String, calendar: String?, rules: [Rule], tables: [DecisionTable], location: SourceLocation) {
        self.id = id
        self.calendar = calendar
        self.rules = rules
        self.tables = tables
        self.location = location
    }
}

/// An escalation rule: on an event (or once a day), when a condition holds, do its actions.
public struct Rule: Sendable, Identifiable {
    /// What makes a rule look at a case.
    public enum Trigger: Sendable {
        /// Input or engine-emitted event types.
        case events([String])
        /// Every calendar day at 00:00, edge-triggered per case.
        case daily
    }

    public var id: String
    public var title: String?
    public var trigger: Trigger
    /// Narrows the rule to cases while they are open on this pathway.
    public var pathway: String?
    public var when: Expression?
    public var then: [Action]
    public var location: SourceLocation

    public init(
        id: String, title: String?, trigger: Trigger, pathway: String?, when: Expression?, then: [Action],
        location: SourceLocation
    ) {
        self.id = id
        self.title = title
        self.trigger = trigger
        self.pathway = pathway
        self.when = when
        self.then = then
        self.location = location
    }
}

/// A DMN-style decision table, callable from FEEL by its name.
public struct DecisionTable: Sendable {
    /// DMN hit policies.
    public enum HitPolicy: Sendable, Hashable {
        case unique, first, priority, any, ruleOrder, outputOrder
        case collect(Aggregation?)
    }

    /// How `collect` combines its matches.
    public enum Aggregation: String, Sendable, Hashable {
        case sum, count, min, max
    }

    public var name: String
    public var hitPolicy: HitPolicy
    /// Input expressions, one per column.
    public var inputs: [Expression]
    /// Output names; one output gives a single value, several give a context.
    public var outputs: [String]
    /// For `priority` and `output order`: each output's values, highest priority first.
    public var outputValues: [[String]]
    public var rules: [Row]
    public var location: SourceLocation

    public init(
        name: String, hitPolicy: HitPolicy, inputs: [Expression], outputs: [String], outputValues: [[String]],
        rules: [Row], location: SourceLocation
    ) {
        self.name = name
        self.hitPolicy = hitPolicy
        self.inputs = inputs
        self.outputs = outputs
        self.outputValues = outputValues
        self.rules = rules
        self.location = location
    }

    /// One row: a unary-test text per input column and an output expression per output column.
    public struct Row: Sendable {
        public var inputEntries: [String]
        public var outputEntries: [Expression]
        public var location: SourceLocation

        public init(inputEntries: [String], outputEntries: [Expression], location: SourceLocation) {
            self.inputEntries = inputEntries
            self.outputEntries = outputEntries
            self.location = location
        }
    }
}
