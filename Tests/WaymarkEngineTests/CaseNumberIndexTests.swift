import Testing

@testable import WaymarkEngine

/// The engine's indexes of event ids and case ids keep only hash bits and a case number, and ask the
/// caller to confirm a match: a wrong answer would drop a new event, apply a duplicate, or put an
/// event in another child's case.
@Suite struct CaseNumberIndexTests {
    /// Cases as lists of ids, standing in for the engine's cases and their events.
    struct Cases {
        var ids: [[String]] = []

        /// Files `id` under case `c` unless a case holds it already (then returns false), as the
        /// engine files an event's id.
        mutating func add(_ id: String, to c: Int, in index: inout CaseNumberIndex) -> Bool {
            let bits = CaseNumberIndex.bits(id)
            guard index.first(bits, where: { ids[Int($0)].contains(id) }) == nil else { return false }
            while ids.count <= c { ids.append([]) }
            ids[c].append(id)
            index.insert(bits, Int32(c))
            return true
        }
    }

    @Test func aRepeatedIdIsFoundInWhicheverCaseHoldsItAcrossGrowth() {
        var index = CaseNumberIndex()
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

    /// Equal hash bits alone are not a match: the caller must confirm it. Keys that share their bits
    /// are each found under their own case number.
    @Test func aHashMatchCountsOnlyWhenConfirmed() {
        var index = CaseNumberIndex()
        #expect(index.first(42, where: { _ in true }) == nil)
        index.insert(42, 0)
        index.insert(42, 1)
        index.insert(43, 2)
        #expect(index.first(42, where: { _ in false }) == nil)
        #expect(index.first(42, where: { $0 == 1 }) == 1)
        #expect(index.first(42, where: { $0 == 0 }) == 0)
        #expect(index.first(42, where: { $0 == 2 }) == nil)
        #expect(index.first(43, where: { _ in true }) == 2)
        #expect(index.count == 3)
    }

    /// A batch gets the room it needs (three-quarters full, not the next power of two), and batches
    /// or single ids after it grow the table by doubling, not by the few slots each needs.
    @Test func aBatchIsHeldThreeQuartersFullAndLaterGrowthDoubles() {
        var index = CaseNumberIndex()
        index.reserve(1_000_000)
        #expect(index.capacity == 1_333_334)
        index.reserve(1_000_001)
        #expect(index.capacity == 2_666_668)
        var small = CaseNumberIndex()
        var cases = Cases()
        var sizes: Set<Int> = []
        for n in 0..<10_000 {
            _ = cases.add("e\(n)", to: 0, in: &small)
            sizes.insert(small.capacity)
        }
        #expect(sizes.count < 12)
    }

    @Test func reservingMakesNoDifferenceToWhatIsFound() {
        var index = CaseNumberIndex()
        index.reserve(100_000)
        var cases = Cases()
        let added = (0..<1_000).map { cases.add("id\($0)", to: $0 % 5, in: &index) }
        let again = (0..<1_000).map { cases.add("id\($0)", to: 0, in: &index) }
        #expect(added.allSatisfy { $0 } && again.allSatisfy { !$0 })
    }
}
