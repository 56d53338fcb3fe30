import Testing

@testable import WaymarkEngine

/// The index of accepted event ids keeps only hash bits and a case number, and asks the cases to
/// confirm a match: a wrong answer would either drop a new event or apply a duplicate.
@Suite struct EventIDIndexTests {
    /// Cases as lists of ids, standing in for the engine's cases and their events.
    struct Cases {
        var ids: [[String]] = []

        mutating func add(_ id: String, to c: Int, in index: inout EventIDIndex) -> Bool {
            let snapshot = ids
            return index.insert(
                id, holds: { snapshot[Int($0)].contains(id) },
                caseIndex: {
                    while ids.count <= c { ids.append([]) }
                    ids[c].append(id)
                    return Int32(c)
                })
        }
    }

    @Test func aRepeatedIdIsFoundInWhicheverCaseHoldsItAcrossGrowth() {
        var index = EventIDIndex()
        var cases = Cases()
        for n in 0..<20_000 {
            let added = cases.add("event-\(n)", to: n % 37, in: &index)
            #expect(added)
        }
        #expect(index.count == 20_000)
        // A duplicate is a duplicate whatever case its second copy names.
        for n in stride(from: 0, to: 20_000, by: 7) {
            let added = cases.add("event-\(n)", to: 3, in: &index)
            #expect(!added)
        }
        #expect(index.count == 20_000)
        #expect(cases.ids.map(\.count).reduce(0, +) == 20_000)
        let added = cases.add("event-20000", to: 0, in: &index)
        #expect(added)
    }

    /// Equal hash bits alone are not a match: the case must hold the id.
    @Test func aHashMatchCountsOnlyWhenTheCaseHoldsTheId() {
        var index = EventIDIndex()
        let first = index.insert("a", holds: { _ in false }, caseIndex: { 0 })
        let unconfirmed = index.insert("a", holds: { _ in false }, caseIndex: { 1 })
        let confirmed = index.insert("a", holds: { $0 == 1 }, caseIndex: { 2 })
        #expect(first && unconfirmed && !confirmed)
        #expect(index.count == 2)
    }

    /// A batch gets the room it needs (three-quarters full, not the next power of two), and batches
    /// or single ids after it grow the table by doubling, not by the few slots each needs.
    @Test func aBatchIsHeldThreeQuartersFullAndLaterGrowthDoubles() {
        var index = EventIDIndex()
        index.reserve(1_000_000)
        #expect(index.capacity == 1_333_334)
        index.reserve(1_000_001)
        #expect(index.capacity == 2_666_668)
        var small = EventIDIndex()
        var cases = Cases()
        var sizes: Set<Int> = []
        for n in 0..<10_000 {
            small.reserve(1)
            _ = cases.add("e\(n)", to: 0, in: &small)
            sizes.insert(small.capacity)
        }
        #expect(sizes.count < 12)
    }

    @Test func reservingMakesNoDifferenceToWhatIsFound() {
        var index = EventIDIndex()
        index.reserve(100_000)
        var cases = Cases()
        let added = (0..<1_000).map { cases.add("id\($0)", to: $0 % 5, in: &index) }
        let again = (0..<1_000).map { cases.add("id\($0)", to: 0, in: &index) }
        #expect(added.allSatisfy { $0 } && again.allSatisfy { !$0 })
    }
}
