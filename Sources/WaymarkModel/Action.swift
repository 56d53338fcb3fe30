/// What a stage hook or a rule does: raise a task or an alert, move to a stage, or set facts.
public enum Action: Sendable {
    case task(TaskTemplate)
    case alert(AlertTemplate)
    case goto(stage: String, location: SourceLocation)
    /// Each fact path (dotted, such as `school.attendance`) gets the value of its expression.
    case set([(path: [String], value: Expression)], location: SourceLocation)
}

/// How urgent an alert is.
public enum AlertSeverity: String, Sendable, Hashable, CaseIterable, Comparable {
    case low, medium, high, critical

    private var rank: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .high: 2
        case .critical: 3
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
}

/// An alert to raise: what a manager must know now.
public struct AlertTemplate: Sendable {
    public var severity: AlertSeverity
    public var message: MessageTemplate
    public var location: SourceLocation

    public init(severity: AlertSeverity, message: MessageTemplate, location: SourceLocation) {
        self.severity = severity
        self.message = message
        self.location = location
    }
}
