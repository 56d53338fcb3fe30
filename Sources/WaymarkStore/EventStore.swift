import Foundation
import Logging

/// Durable storage of accepted events and of the task and alert projections.
///
/// The events are the truth: the engine is rebuilt from them at start-up. The projections are a
/// convenience for readers (and, with a shared database, for other daemons) and can always be
/// rebuilt. Two stores keep it: ``SQLiteEventStore`` (embedded, the default) and ``PostgresEventStore``.
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

    /// Lets go of what the store holds on a server (connections, the writer lock) as the daemon
    /// stops, so that a daemon started next in the same process finds it free. Unusable after.
    func close() async
}

/// A store URL that no store understands, or a `postgres://` URL missing a part.
public struct StoreURLError: Error, Sendable, CustomStringConvertible {
    public var url: String
    public var reason: String

    public init(url: String, reason: String = "expected sqlite:PATH or postgres://USER@HOST:PORT/DATABASE") {
        self.url = url
        self.reason = reason
    }

    /// Never the URL's password: the message is logged and printed.
    public var description: String {
        let shown = url.replacingOccurrences(of: #"(://[^:/@]*:)[^@]*@"#, with: "$1***@", options: .regularExpression)
        return "unsupported store '\(shown)': \(reason)"
    }
}

/// Whether a store must be its database's only writer.
public enum StoreAccess: Sendable {
    /// Holds the database's writer lock (the daemon).
    case exclusive
    /// Shares the database (tools and tests that only read, or that know what they do).
    case shared
}

/// Opens the store a `--store` URL names, taking the database's writer lock for the caller:
/// `sqlite:PATH` (or `sqlite://PATH`), or
/// `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=disable|require]` (see
/// ``PostgresStoreURL``), which logs through `logger` (never below debug level).
public func openEventStore(
    url: String, logger: Logger = Logger(label: "waymark.store")
) async throws -> any EventStore {
    if url.hasPrefix("sqlite://") {
        return try SQLiteEventStore(path: String(url.dropFirst("sqlite://".count)), access: .exclusive)
    }
    if url.hasPrefix("sqlite:") {
        return try SQLiteEventStore(path: String(url.dropFirst("sqlite:".count)), access: .exclusive)
    }
    if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
        return try await PostgresEventStore.open(url: url, access: .exclusive, logger: logger)
    }
    throw StoreURLError(url: url)
}
