/// Everything loaded from one definitions folder: pathways, rule sets and calendars, by id.
///
/// Immutable once loaded; the daemon keeps several versions side by side so that a running
/// enrolment stays on the version it opened on.
public struct Definitions: Sendable {
    public var pathways: [String: Pathway]
    public var ruleSets: [String: RuleSet]
    public var calendars: [String: WorkingCalendar]

    public init(
        pathways: [String: Pathway] = [:],
        ruleSets: [String: RuleSet] = [:],
        calendars: [String: WorkingCalendar] = [:]
    ) {
        self.pathways = pathways
        self.ruleSets = ruleSets
        self.calendars = calendars
    }

    /// Pathways sorted by id, so that anything that walks them is deterministic.
    public var sortedPathways: [Pathway] { pathways.values.sorted { $0.id < $1.id } }

    /// Every rule of every rule set, sorted by rule set id and then file order.
    public var allRules: [Rule] {
        ruleSets.values.sorted { $0.id < $1.id }.flatMap(\.rules)
    }
}
