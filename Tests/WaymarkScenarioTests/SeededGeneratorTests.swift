import Testing
import WaymarkSimulation

@Suite struct SeededGeneratorTests {
    @Test func matchesTheReferenceSplitMix64Sequence() {
        // Reference values of SplitMix64 from seed 0 (as in Vigna's splitmix64.c).
        var generator = SeededGenerator(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
        #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(generator.next() == 0x06C4_5D18_8009_454F)
    }

    @Test func drawsStayInTheirRangeAndCoverIt() {
        var generator = SeededGenerator(seed: 42)
        var counts = [Int](repeating: 0, count: 7)
        for _ in 0..<7000 {
            let value = generator.int(in: 3...9)
            #expect((3...9).contains(value))
            counts[value - 3] += 1
        }
        #expect(counts.allSatisfy { $0 > 800 && $0 < 1200 })
        for _ in 0..<1000 {
            let unit = generator.unit()
            #expect(unit >= 0 && unit < 1)
        }
    }

    @Test func streamsAreIndependentOfEachOther() {
        var first = SeededGenerator(seed: 7, stream: 0)
        var second = SeededGenerator(seed: 7, stream: 1)
        var again = SeededGenerator(seed: 7, stream: 1)
        let a = (0..<4).map { _ in first.next() }
        let b = (0..<4).map { _ in second.next() }
        let c = (0..<4).map { _ in again.next() }
        #expect(a != b)
        #expect(b == c)
    }
}
