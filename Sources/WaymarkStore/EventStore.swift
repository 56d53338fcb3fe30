/// Durable storage of accepted events and of the task and alert projections.
///
/// The events are the truth: the engine is rebuilt from them at start-up. The projections are a
/// convenience for readers (and, with a shared database, for other daemons) and can always be
/// rebuilt. Kept behind a protocol so that a PostgreSQL store for several daemons can follow.
public protocol EventStore: Sendable {
    /// The schema version of the open store (the number of migrations applied).
    var schemaVersion: Int { get async throws }

    /// Appends one request's events atomically: either every new event is durable when this returns,
    /// or it throws and none is. Events whose id is already stored, or repeated earlier in the same
    /// array, are duplicates and are ignored.
    func append(_ events: [StoredEvent]) async throws -> AppendResult

    /// Every stored event in the order it was accepted.
    func loadAll() async throws -> [StoredEvent]

    /// How many events are stored.
    func eventCount() async throws -> Int

    /// Applies a change to the task and alert projections in one transaction.
    func applyProjection(_ change: ProjectionChange) async throws

    /// Tasks matching a query, sorted as the spec sorts them (due, case, key, id).
    func tasks(matching query: TaskQuery) async throws -> [TaskRow]

    /// Alerts at or after a moment (nanoseconds since the epoch), sorted by time, case, rule, id.
    func alerts(sinceNanoseconds: Int64?) async throws -> [AlertRow]
}

/// A store URL that no store understands.
public struct StoreURLError: Error, Sendable, CustomStringConvertible {
    public var url: String
    public var description: String {
        "unsupported store '\(url)': expected sqlite:PATH (postgres:// is not supported yet)"
    }
}

/// Opens the store a `--store` URL names: `sqlite:PATH` (or `sqlite://PATH`).
public func openEventStore(url: String) throws -> any EventStore {
    if url.hasPrefix("sqlite://") {
        return try SQLiteEventStore(path: String(url.dropFirst("sqlite://".count)))
    }
    if url.hasPrefix("sqlite:") {
        return try SQLiteEventStore(path: String(url.dropFirst("sqlite:".count)))
    }
    throw StoreURLError(url: url)
}
