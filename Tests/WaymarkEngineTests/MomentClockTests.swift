import Testing
import WaymarkFEEL
import WaymarkTestSupport

@testable import WaymarkEngine

@Suite struct MomentClockTests {
    /// `today()` reads the clock's date alone, kept apart from its date-time: whichever is read first,
    /// and however the clock is moved (by a second, across local midnight, across a change of the
    /// clocks, back and forth), the date is the date of the date-time at that moment.
    @Test func theDateIsTheDateOfTheDateTimeWhereverTheClockMoves() throws {
        let london = try #require(ZoneOffsets(identifier: "Europe/London"))
        let clock = MomentClock()
        // Around local midnight on either side of the spring and autumn changes of 2025, and a day
        // from 1970's first second, in steps that cross midnight one way and then the other.
        let anchors: [Int64] = [1_743_292_800, 1_743_375_600, 1_761_436_800, 1_761_523_200, 0, 86_400]
        var numbers = SeededSequence(seed: 2026)
        var checked = 0
        clock.reset(Moment(epochSeconds: anchors[0]), in: london)
        for _ in 0..<4_000 {
            let anchor = anchors[numbers.next(below: anchors.count)]
            let moment = Moment(epochSeconds: anchor + Int64(numbers.next(below: 4 * 3_600)) - 2 * 3_600)
            clock.set(moment)
            let expected = london.date(of: moment)
            // Half the time the date-time is read first, so the date may come from it.
            if numbers.next(below: 2) == 0 {
                #expect(clock.read()?.date == expected)
                #expect(clock.readDate() == expected)
            } else {
                #expect(clock.readDate() == expected)
                #expect(clock.read()?.date == expected)
            }
            checked += 1
        }
        #expect(checked == 4_000)
        // A reset to another zone moves the date too, at the same moment.
        let instant = Moment(epochSeconds: 1_751_324_400)  // 2025-06-30T23:00:00Z, 00:00 in London
        clock.reset(instant, in: .utc)
        #expect(clock.readDate() == FEELDate(year: 2025, month: 6, day: 30))
        clock.reset(instant, in: london)
        #expect(clock.readDate() == FEELDate(year: 2025, month: 7, day: 1))
    }
}
