import Testing
import WaymarkStore

/// What every ``EventStore`` must do with appends, checked the same way for each store: the
/// store suites call these on a store of their kind.
enum EventStoreContract {
    static func event(_ id: String, case caseID: String = "C-1", at: Int64 = 0) -> StoredEvent {
        StoredEvent(id: id, caseID: caseID, atNanoseconds: at, body: "{\"id\":\"\(id)\"}")
    }

    /// Ids already stored, and ids repeated within one request, are duplicates; the rest are kept
    /// in the order they were accepted.
    static func appendsAreIdempotentByEventID(_ store: any EventStore) async throws {
        let first = try await store.append([event("a"), event("b"), event("a")])
        #expect(first.acceptedIndexes == [0, 1])
        #expect(first.duplicates == 1)
        let second = try await store.append([event("b"), event("c")])
        #expect(second.acceptedIndexes == [1])
        #expect(second.duplicates == 1)
        #expect(try await store.loadAll().map(\.id) == ["a", "b", "c"])
        #expect(try await store.eventCount() == 3)
    }

    /// 40 posters at once, each sending 25 events of which 5 overlap with the next poster's: every
    /// event is stored once and counted once, as accepted or as a duplicate.
    static func concurrentAppendsAreEachCountedOnce(_ store: any EventStore) async throws {
        let results = try await withThrowingTaskGroup(of: AppendResult.self) { group in
            for poster in 0..<40 {
                group.addTask {
                    let ids = (poster * 20..<poster * 20 + 25).map { "e-\($0)" }
                    return try await store.append(ids.map { event($0) })
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let accepted = results.reduce(0) { $0 + $1.accepted }
        let duplicates = results.reduce(0) { $0 + $1.duplicates }
        #expect(accepted == 39 * 20 + 25)
        #expect(duplicates == 40 * 25 - accepted)
        let stored = try await store.loadAll().map(\.id)
        #expect(stored.count == accepted)
        #expect(Set(stored).count == stored.count)
    }
}
