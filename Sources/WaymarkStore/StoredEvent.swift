/// One accepted input event as the store keeps it.
///
/// The store does not parse events: the engine's decoder has already validated them, and the store
/// keeps the canonical JSON line so that a restart decodes exactly what was acknowledged. `caseID`
/// and `atNanoseconds` are kept beside the body so that a store can index and order without JSON.
public struct StoredEvent: Sendable, Hashable {
    /// The event's id: the key that makes ingestion idempotent.
    public var id: String
    /// The case the event belongs to.
    public var caseID: String
    /// The event's own moment (`at`), in nanoseconds since 1970-01-01T00:00:00Z.
    public var atNanoseconds: Int64
    /// The canonical JSON line of the event (no trailing newline).
    public var body: String

    public init(id: String, caseID: String, atNanoseconds: Int64, body: String) {
        self.id = id
        self.caseID = caseID
        self.atNanoseconds = atNanoseconds
        self.body = body
    }
}

/// What an append did with each event of one request.
public struct AppendResult: Sendable, Hashable {
    /// Indexes (into the appended array) of the events that were new and are now durable.
    public var acceptedIndexes: [Int]
    /// How many events were already stored (or repeated within the request) and were ignored.
    public var duplicates: Int

    public init(acceptedIndexes: [Int], duplicates: Int) {
        self.acceptedIndexes = acceptedIndexes
        self.duplicates = duplicates
    }

    /// How many events were new.
    public var accepted: Int { acceptedIndexes.count }
}
