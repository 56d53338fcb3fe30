import Testing

@testable import WaymarkFEEL

/// The fast conversions between day numbers and dates must give Hinnant's results, which the TCK
/// and the round trip check.
@Suite struct FEELDateTests {
    /// A date is written `YYYY-MM-DD` with the year padded to four digits (and `-` before a year
    /// before 1 BCE), whichever way the writer takes: every day from 0900 to 1100 and from 9900 to
    /// 10100 (where the ten-byte way starts and stops), days of years around 0, and dates with
    /// months or days out of range, against the text padded by hand.
    @Test func isoStringPadsEveryPart() {
        func padded(_ n: Int, _ width: Int) -> String {
            let digits = String(n)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        func expected(_ d: FEELDate) -> String {
            (d.year < 0 ? "-" : "") + padded(abs(d.year), 4) + "-" + padded(d.month, 2) + "-" + padded(d.day, 2)
        }
        var dates: [FEELDate] = []
        for range in [
            FEELDate(year: 900, month: 1, day: 1).dayNumber...FEELDate(year: 1100, month: 1, day: 1).dayNumber,
            FEELDate(year: 9900, month: 1, day: 1).dayNumber...FEELDate(year: 10100, month: 1, day: 1).dayNumber,
            FEELDate(year: -2, month: 1, day: 1).dayNumber...FEELDate(year: 2, month: 12, day: 31).dayNumber,
        ] {
            for n in range { dates.append(FEELDate(dayNumber: n)) }
        }
        dates += [
            FEELDate(year: 2025, month: 13, day: 1), FEELDate(year: 2025, month: 1, day: 100),
            FEELDate(year: 2025, month: 0, day: 0), FEELDate(year: 999_999_999, month: 12, day: 31),
            FEELDate(year: -999_999_999, month: 1, day: 1),
        ]
        var wrong = 0
        for d in dates where d.isoString != expected(d) {
            wrong += 1
            if wrong <= 5 { Issue.record("\(d.isoString) for \(expected(d))") }
        }
        #expect(wrong == 0)
        #expect(dates.count > 140_000)
    }

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
