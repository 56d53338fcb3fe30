import Testing

@testable import WaymarkFEEL

/// The fast conversions between day numbers and dates must give Hinnant's results, which the TCK
/// and the round trip check.
@Suite struct FEELDateTests {
    /// Every day from 1709 to 4707, then a day in every 9,973 over the whole fast range, its ends,
    /// and days beyond them (converted by Hinnant's).
    @Test func theFastConversionsGiveHinnantsResults() {
        var days = Array(-95_000...1_000_000)
        days += stride(from: FEELDate.fastDayNumbers.lowerBound, through: FEELDate.fastDayNumbers.upperBound, by: 9_973)
        for end in [FEELDate.fastDayNumbers.lowerBound, FEELDate.fastDayNumbers.upperBound] {
            days += Array(end - 800...end + 800)
        }
        days += [Int(Int32.min), Int(Int32.max), -5_000_000_000, 5_000_000_000]
        let firstDiffering = Array(
            days.lazy.filter { FEELDate(dayNumber: $0) != FEELDate(civilFromDays: $0) }.prefix(5))
        #expect(firstDiffering == [])
        // Back to day numbers, each way, over the same days.
        let firstNotBack = Array(days.lazy.filter { FEELDate(civilFromDays: $0).dayNumber != $0 }.prefix(5))
        #expect(firstNotBack == [])
        let firstDifferingBack = Array(
            days.lazy.filter {
                let date = FEELDate(civilFromDays: $0)
                return date.dayNumber != date.daysFromCivil
            }.prefix(5))
        #expect(firstDifferingBack == [])
        // Dates that are not real, as FEEL arithmetic may hold for a moment: Hinnant's either way.
        for odd in [FEELDate(year: 2025, month: 13, day: 1), FEELDate(year: 2025, month: 2, day: 0)] {
            #expect(odd.dayNumber == odd.daysFromCivil)
        }
        #expect(FEELDate(dayNumber: 0) == FEELDate(year: 1970, month: 1, day: 1))
        #expect(FEELDate(dayNumber: 20_148) == FEELDate(year: 2025, month: 3, day: 1))
        #expect(FEELDate(dayNumber: 20_147) == FEELDate(year: 2025, month: 2, day: 28))
    }
}
