/// What a token may do. Each endpoint needs exactly one scope.
public enum Scope: String, Sendable, Hashable, CaseIterable, Codable {
    case eventsWrite = "events:write"
    case tasksRead = "tasks:read"
    case casesRead = "cases:read"
    case alertsRead = "alerts:read"
    case metricsRead = "metrics:read"
}
