import GRDB

/// Batches the appends that arrive while a commit is running into the next single transaction.
///
/// With `synchronous=FULL` each commit costs an fsync; committing every waiting request together
/// keeps the cost per request low under concurrency without weakening durability: no caller is
/// answered before the transaction holding its events has committed. Each request runs in its own
/// savepoint so that one failing request rolls back alone and stays atomic.
actor GroupCommitter {
    private struct Pending {
        var events: [StoredEvent]
        var continuation: CheckedContinuation<AppendResult, any Error>
    }

    private let pool: DatabasePool
    private var pending: [Pending] = []
    private var flushing = false

    init(pool: DatabasePool) {
        self.pool = pool
    }

    func append(_ events: [StoredEvent]) async throws -> AppendResult {
        try await withCheckedThrowingContinuation { continuation in
            pending.append(Pending(events: events, continuation: continuation))
            if !flushing {
                flushing = true
                Task { await self.flush() }
            }
        }
    }

    /// Commits every waiting request, then whatever arrived meanwhile, until none waits.
    private func flush() async {
        while !pending.isEmpty {
            let batch = pending
            pending = []
            let requests = batch.map(\.events)
            do {
                let outcomes = try await pool.write { db in
                    try requests.map { events in Self.insertInSavepoint(events, db) }
                }
                for (request, outcome) in zip(batch, outcomes) {
                    request.continuation.resume(with: outcome)
                }
            } catch {
                for request in batch { request.continuation.resume(throwing: error) }
            }
        }
        flushing = false
    }

    private static func insertInSavepoint(_ events: [StoredEvent], _ db: Database) -> Result<AppendResult, any Error> {
        var result = AppendResult(acceptedIndexes: [], duplicates: 0)
        do {
            try db.inSavepoint {
                let insert = try db.cachedStatement(
                    sql: "INSERT OR IGNORE INTO events (id, case_id, at, body) VALUES (?, ?, ?, ?)"
                )
                for (index, event) in events.enumerated() {
                    try insert.execute(arguments: [event.id, event.caseID, event.atNanoseconds, event.body])
                    if db.changesCount > 0 {
                        result.acceptedIndexes.append(index)
                    } else {
                        result.duplicates += 1
                    }
                }
                return .commit
            }
            return .success(result)
        } catch {
            return .failure(error)
        }
    }
}
