import Foundation
import Testing
import WaymarkFEEL
import WaymarkTestSupport

@testable import WaymarkEngine

@Suite struct EventDecoderTests {
    func decode(_ text: String, zone: String = "Europe/London") throws(EventBatchError) -> [Event] {
        try EventDecoder.decode(Array(text.utf8), timeZoneID: zone)
    }

    /// The problems a batch is refused with, as `LINE:FIELD: MESSAGE`; none if it is accepted.
    func problems(_ text: String) -> [String] {
        do {
            _ = try decode(text)
            return []
        } catch {
            return error.problems.map { "\($0.line):\($0.field ?? "-"): \($0.message)" }
        }
    }

    @Test func decodesJSONLinesWithFactsAndData() throws {
        let text = """
            {"id": "e-1", "case": "C-1042", "type": "referral.received", "at": "2025-01-06T10:15:00Z", \
            "facts": {"child": {"birth_date": "2013-05-01"}, "score": 0.85}, "data": {"source": "school"}}

            {"id": "e-2", "case": "C-1042", "type": "referral.decided", "at": "2025-01-07"}
            """
        let events = try decode(text)
        #expect(events.count == 2)
        #expect(events[0].id == "e-1")
        #expect(events[0].caseID == "C-1042")
        #expect(events[0].at == Moment(epochSeconds: 1_736_158_500))
        guard case .context(let child)? = events[0].facts?["child"], case .string(let birth)? = child["birth_date"]
        else {
            Issue.record("facts.child.birth_date missing")
            return
        }
        #expect(birth == "2013-05-01")
        guard case .number(let score)? = events[0].facts?["score"] else {
            Issue.record("score missing")
            return
        }
        #expect("\(score)" == "0.85")
        #expect(events[1].facts == nil)
    }

    /// Long strings met again are handed out from the table, sharing one copy; every string still
    /// reads back exactly, whatever its length, its bytes, or another string sharing its slot.
    @Test func repeatedLongStringsAreKeptOnceAndReadBackExactly() throws {
        let table = JSONStringTable()
        func read(_ text: String) -> String {
            Array(text.utf8).withUnsafeBufferPointer { table.string($0) }
        }
        let first = read("attendance.recorded")
        let again = read("attendance.recorded")
        var a = first
        var b = again
        #expect(a.withUTF8 { $0.baseAddress } == b.withUTF8 { $0.baseAddress })
        var texts = ["", "short", String(repeating: "x", count: 15), String(repeating: "y", count: 16)]
        texts += [String(repeating: "z", count: 64), String(repeating: "w", count: 65), "référence.reçue.é"]
        texts += (0..<3000).map { "lifelong-links.event-\($0)" }
        // Short strings come from a table of their own, keyed by their bytes and length: a string
        // and the same with a NUL byte after it must not be taken for each other.
        texts += (0..<3000).map { "k\($0)" } + ["a", "a\u{0}", "a\u{0}\u{0}", "é", "ée", "\u{0}"]
        for _ in 0..<2 {
            for text in texts { #expect(read(text) == text) }
        }
        // Bytes that are not UTF-8 are repaired as `String(decoding:as:)` repairs them, hit or miss.
        for bytes: [UInt8] in [[0xFF], [0x61, 0xC3], [0xC3, 0xA9, 0xFF], [0xFF], [0x61, 0xC3]] {
            let made = bytes.withUnsafeBufferPointer { table.string($0) }
            #expect(made == String(decoding: bytes, as: UTF8.self))
        }
        let lines = (0..<50).map { #"{"case":"C\#($0 % 3)","type":"lifelong-links.referred","at":"2025-01-06"}"# }
        let events = try EventDecoder.decode(Array(lines.joined(separator: "\n").utf8), timeZoneID: "Europe/London")
        #expect(events.count == 50)
        #expect(Set(events.map(\.type)) == ["lifelong-links.referred"])
    }

    /// Field names are recognised from the file's bytes, and through the string reader when they
    /// hold an escape; either way an unknown or repeated name is reported by its text.
    @Test func fieldNamesAreReadTheSameWithEscapes() throws {
        let events = try decode(
            #"{"i\u0064": "e-1", "c\u0061se": "C1", "type": "t", "at": "2025-01-06", "f\u0061cts": {"sc\u00f6re": 1}}"#)
        #expect(events.first?.id == "e-1")
        #expect(events.first?.caseID == "C1")
        guard case .number(let score)? = events.first?.facts?["scöre"] else {
            Issue.record("facts.scöre missing")
            return
        }
        #expect(score == 1)
        let text = """
            {"id": "e-1", "case": "C1", "type": "t", "at": "2025-01-06", "typ\\u0065": "u"}
            {"id": "e-2", "case": "C1", "type": "t", "at": "2025-01-06", "col\\u006fur": "red", "ids": 1}
            """
        #expect(
            problems(text) == [
                "1:type: appears more than once", "2:colour: unknown field", "2:ids: unknown field",
            ])
    }

    /// Objects of any size keep their entries in order, a repeated name its first place and last
    /// value, whether it repeats among the first entries or after many; an error part way through a
    /// nested object is reported on its line, and the line after it is read as usual.
    @Test func objectsOfAnySizeKeepOrderAndLastValues() throws {
        for size in [0, 1, 2, 7, 8, 9, 20] {
            var fields = (0..<size).map { #""k\#($0)": \#($0)"# }
            if size > 1 { fields.append(#""k0": "again""#) }
            if size > 9 { fields.append(#""k9": {"inner": [1, {"k0": true}]}"#) }
            let line =
                #"{"case": "C", "type": "t", "at": "2025-01-06", "facts": {"#
                + fields.joined(separator: ", ") + "}}"
            let facts = try #require(try decode(line).first?.facts)
            #expect(facts.entries.map(\.key) == (0..<size).map { "k\($0)" })
            if size > 1 {
                guard case .string("again")? = facts["k0"] else {
                    Issue.record("k0 should hold its last value")
                    continue
                }
            }
            if size > 9 {
                guard case .context(let inner)? = facts["k9"], case .list(let list)? = inner["inner"] else {
                    Issue.record("k9 should hold the nested object")
                    continue
                }
                #expect(list.count == 2)
            }
        }
        let text = """
            {"case": "C", "type": "t", "at": "2025-01-06", "facts": {"a": 1, "b": {"c": 2, "d": [1, }}}
            {"case": "C", "type": "t", "at": "2025-01-06", "facts": {"a": 1}}
            """
        #expect(problems(text).count == 1)
        #expect(problems(text).first?.hasPrefix("1:facts: invalid JSON") == true)
    }

    /// A syntax error names the field it is in, whether that field is known or not and whatever came
    /// before it. One before any field's value is read (a missing colon after the first name) names
    /// none, and one in a later field's name names the field before it.
    @Test func aSyntaxErrorNamesTheFieldItIsIn() {
        let head = #"{"case": "C", "type": "t", "at": "2025-01-06", "#
        #expect(problems(head + #""facts": {"a": [1,}}"#).first?.hasPrefix("1:facts: invalid JSON") == true)
        #expect(problems(head + #""note": {"a": [1,}}"#).first?.hasPrefix("1:note: invalid JSON") == true)
        #expect(
            problems(head + #""note": 1, "data": {"a": tru}}"#).first?.hasPrefix("1:data: invalid JSON") == true)
        #expect(problems(head + #""data": {}, "memo": [}"#).first?.hasPrefix("1:memo: invalid JSON") == true)
        #expect(problems(#"{"case" "C"}"#).first?.hasPrefix("1:-: invalid JSON") == true)
        #expect(problems("[1]").first?.hasPrefix("1:-: invalid JSON") == true)
        #expect(problems(head + #""note": 1, "\q": 2}"#).first?.hasPrefix("1:note: invalid JSON") == true)
    }

    @Test func bareDateIsMidnightInTheCalendarZone() throws {
        // 1 July is in British Summer Time: 00:00 in London is 23:00 UTC the day before.
        let events = try decode(#"{"id": "a", "case": "C", "type": "t", "at": "2025-07-01"}"#)
        #expect(events[0].at == Moment(epochSeconds: 1_751_324_400))
        let utc = try decode(#"{"id": "a", "case": "C", "type": "t", "at": "2025-07-01"}"#, zone: "UTC")
        #expect(utc[0].at == Moment(epochSeconds: 1_751_328_000))
    }

    @Test func offsetsAndFractionsAreRead() throws {
        let events = try decode(#"{"id": "a", "case": "C", "type": "t", "at": "2025-07-01T10:00:00.250+01:00"}"#)
        #expect(events[0].at == Moment(epochNanoseconds: 1_751_360_400_250_000_000))
    }

    @Test func reportsEveryProblemWithLineAndField() {
        let text = """
            {"id": "e-1", "case": "C1", "type": "referral.received", "at": "2025-01-06"}
            {"id": "e-2", "type": "referral.received", "at": "yesterday", "colour": "red"}
            {"id": "e-3", "case": "C1", "type": "x", "at": "2025-01-06", "facts": [1, 2]}
            {"id": "e-4", "case": "C1", "type": "x", "at": "2025-01-06",
            """
        do {
            _ = try decode(text)
            Issue.record("expected an error")
        } catch {
            let found = Set(error.problems.map { "\($0.line):\($0.field ?? "-")" })
            #expect(found.contains("2:at"))
            #expect(found.contains("2:colour"))
            #expect(found.contains("2:case"))
            #expect(found.contains("3:facts"))
            #expect(error.problems.contains { $0.line == 4 })
            #expect(!error.problems.contains { $0.line == 1 })
            let message = error.problems.first { $0.field == "colour" }?.message
            #expect(message == "unknown field")
        }
    }

    /// `at` is parsed from the file's bytes when it is a plain string, and through the string reader
    /// otherwise: an escape, a wrong kind or a second `at` must come out as they always did.
    @Test func atIsReadTheSameFromPlainAndEscapedText() throws {
        let plain = try decode(#"{"id": "a", "case": "C", "type": "t", "at": "2025-01-06T10:00:00Z"}"#)
        let escaped = try decode(#"{"id": "a", "case": "C", "type": "t", "at": "2025-01-06T10:00:00\u005A"}"#)
        #expect(plain.first?.at == Moment.parse("2025-01-06T10:00:00Z", zone: .utc))
        #expect(escaped.first?.at == plain.first?.at)
        let text = """
            {"id": "e-1", "case": "C1", "type": "t", "at": "yesterday"}
            {"id": "e-2", "case": "C1", "type": "t", "at": 20250106}
            {"id": "e-3", "case": "C1", "type": "t", "at": "2025-01-06", "at": "2025-01-07"}
            {"id": "e-4", "case": "C1", "type": "t", "at": "2025-01-06T10:00:00\\u005A", "at": "x"}
            """
        #expect(
            problems(text) == [
                "1:at: 'yesterday' is not an ISO 8601 date or date-time",
                "2:at: must be an ISO 8601 date or date-time string",
                "3:at: appears more than once",
                "4:at: appears more than once",
            ])
    }

    /// A moment is nanoseconds in an `Int64` (1677 to 2262). An `at` in year 2999 overflowed while
    /// it was read and stopped the process: found by fuzzing (`Fuzz/`, FuzzEvents); one such event
    /// posted to the daemon stopped it. Years outside ``Moment/supportedYears`` are refused by name.
    @Test func anAtOutsideTheYearsAMomentHoldsIsRefusedByName() throws {
        let text = """
            {"id": "e-1", "case": "C1", "type": "t", "at": "2999-01-01T00:00:00Z"}
            {"id": "e-2", "case": "C1", "type": "t", "at": "0001-01-01"}
            {"id": "e-3", "case": "C1", "type": "t", "at": "2201-01-01T00:00:00\\u005A"}
            {"id": "e-4", "case": "C1", "type": "t", "at": "2200-12-31T23:59:59Z"}
            {"id": "e-5", "case": "C1", "type": "t", "at": "1700-01-01"}
            """
        #expect(
            problems(text) == [
                "1:at: '2999-01-01T00:00:00Z' is outside the years Waymark handles (1700 to 2200)",
                "2:at: '0001-01-01' is outside the years Waymark handles (1700 to 2200)",
                "3:at: '2201-01-01T00:00:00Z' is outside the years Waymark handles (1700 to 2200)",
            ])
        let ends = try decode(
            """
            {"id": "e-4", "case": "C1", "type": "t", "at": "2200-12-31T23:59:59Z"}
            {"id": "e-5", "case": "C1", "type": "t", "at": "1700-01-01"}
            """)
        #expect(ends.map { $0.at.description } == ["2200-12-31T23:59:59+00:00", "1700-01-01T00:00:00+00:00"])
    }

    /// A deadline counted far from an event (a date after 2262) is a moment no clock reaches, not an
    /// overflow.
    @Test func aDateBeyondWhatAMomentHoldsIsNeverReached() {
        let zone = ZoneOffsets(identifier: "Europe/London")!
        #expect(zone.startOfDay(FEELDate(year: 2300, month: 1, day: 1)) == .distantFuture)
        #expect(zone.startOfDay(FEELDate(year: 1600, month: 1, day: 1)) == .distantPast)
        #expect(zone.startOfDay(FEELDate(year: 2262, month: 4, day: 10)) < .distantFuture)
    }

    /// A decoded object holds room for its own fields and no more: its contexts wait in the engine
    /// until their event is applied, and with room for four fields made for every object, the
    /// million-event benchmark's peak after parsing rose from 177 to 322 MB.
    @Test func aDecodedObjectKeepsNoSpareRoom() throws {
        let events = try decode(
            #"{"id": "a", "case": "C", "type": "t", "at": "2025-01-06", "data": {"task": "x"}, "facts": {"school": {"attendance": 0.9}}}"#
        )
        let data = try #require(events.first?.data)
        let facts = try #require(events.first?.facts)
        #expect(data.entries.count == 1 && data.entries.capacity < 4)
        #expect(facts.entries.capacity < 4)
        guard case .context(let school)? = facts["school"] else {
            Issue.record("school is not a context")
            return
        }
        #expect(school.entries.capacity < 4)
    }

    /// A field given twice is named at its line, once, and the batch is refused.
    @Test func aFieldGivenTwiceIsReported() {
        let text = """
            {"id": "e-1", "case": "C1", "type": "referral.received", "at": "2025-01-06"}
            {"id": "e-2", "case": "C1", "type": "a", "type": "b", "at": "2025-01-06"}
            {"id": "e-3", "case": "C1", "colour": "red", "type": "a", "colour": "red", "at": "2025-01-06"}
            {"id": "e-4", "case": "C1", "at": "2025-01-06", "data": {}, "data": null}
            """
        #expect(
            problems(text) == [
                "2:type: appears more than once", "3:colour: unknown field", "3:colour: appears more than once",
                "4:data: appears more than once", "4:type: is required",
            ])
    }

    @Test func decodesAJSONArrayWithIndexPositions() throws {
        let ok = try decode(
            #"[{"id": "a", "case": "C", "type": "t", "at": "2025-01-01"}, {"id": "b", "case": "C", "type": "u", "at": "2025-01-02"}]"#
        )
        #expect(ok.map(\.id) == ["a", "b"])
        do {
            _ = try decode(#"[{"id": "a", "case": "C", "type": "t", "at": "2025-01-01"}, {"id": "b", "case": "C"}]"#)
            Issue.record("expected an error")
        } catch {
            #expect(error.problems.map(\.line) == [2, 2])
            #expect(Set(error.problems.compactMap(\.field)) == ["type", "at"])
        }
    }

    @Test func missingIDsAreDerivedFromContentAndNumbered() throws {
        let events = try decode(
            """
            {"case": "C", "type": "t", "at": "2025-01-01T09:00:00Z"}
            {"case": "C", "type": "t", "at": "2025-01-01T09:00:00Z"}
            """)
        #expect(events[0].id == "C/t/2025-01-01T09:00:00+00:00")
        #expect(events[1].id == "C/t/2025-01-01T09:00:00+00:00#2")
    }

    @Test func escapesAndUnicodeAreDecoded() throws {
        let events = try decode(
            #"{"id": "a\"b", "case": "C\u00e9", "type": "t", "at": "2025-01-01", "data": {"s": "\ud83d\ude00\n"}}"#)
        #expect(events[0].id == "a\"b")
        #expect(events[0].caseID == "Cé")
        guard case .string(let s)? = events[0].data?["s"] else {
            Issue.record("data.s missing")
            return
        }
        #expect(s == "😀\n")
    }

    @Test func encoderRoundTrips() throws {
        let text =
            #"{"id":"e-1","case":"C1","type":"x","at":"2025-01-06T10:15:00Z","facts":{"a":{"b":[1,"two",null,true]}},"data":{"n":-1.5e2}}"#
        let events = try decode(text)
        let line = EventEncoder.encodeLine(events[0])
        #expect(
            line
                == #"{"id":"e-1","case":"C1","type":"x","at":"2025-01-06T10:15:00Z","facts":{"a":{"b":[1,"two",null,true]}},"data":{"n":-150}}"#
        )
        let again = try decode(line)
        #expect(EventEncoder.encodeLine(again[0]) == line)
    }
}

@Suite struct MomentTests {
    @Test func formatsInTheZoneWithItsOffset() {
        let london = ZoneOffsets(identifier: "Europe/London")!
        let winter = Moment.parse("2025-01-07T09:00:00Z", zone: .utc)!
        #expect(winter.formatted(in: london) == "2025-01-07T09:00:00+00:00")
        let summer = Moment.parse("2025-06-30T23:30:00Z", zone: .utc)!
        #expect(summer.formatted(in: london) == "2025-07-01T00:30:00+01:00")
        #expect(london.date(of: summer) == FEELDate(year: 2025, month: 7, day: 1))
    }

    /// Moments and dates are written digit by digit: every part that string interpolation used to
    /// pad or leave out (fractions, negative offsets, short and negative years) is written the same.
    @Test func writesEveryPartOfAMomentAndADate() {
        let newYork = ZoneOffsets(identifier: "America/New_York")!
        let fraction = Moment(
            epochNanoseconds: Moment.parse("2025-01-07T09:00:05Z", zone: .utc)!.epochNanoseconds + 120_000_000)
        #expect(fraction.formatted(in: .utc) == "2025-01-07T09:00:05.12+00:00")
        #expect(fraction.formatted(in: newYork) == "2025-01-07T04:00:05.12-05:00")
        let nano = Moment(epochNanoseconds: 1)
        #expect(nano.formatted(in: .utc) == "1970-01-01T00:00:00.000000001+00:00")
        let kolkata = ZoneOffsets(identifier: "Asia/Kolkata")!
        #expect(Moment(epochSeconds: 0).formatted(in: kolkata) == "1970-01-01T05:30:00+05:30")
        #expect(Moment(epochSeconds: -1).formatted(in: .utc) == "1969-12-31T23:59:59+00:00")
        #expect(FEELDate(year: 987, month: 3, day: 4).isoString == "0987-03-04")
        #expect(FEELDate(year: 12345, month: 11, day: 30).isoString == "12345-11-30")
        #expect(FEELDate(year: -44, month: 3, day: 15).isoString == "-0044-03-15")
        #expect(FEELDate(year: -123_456_789_012, month: 1, day: 2).isoString == "-123456789012-01-02")
        var json = JSONWriter()
        json.moment(fraction, in: newYork)
        json.date(FEELDate(year: 2025, month: 1, day: 7))
        json.optionalMoment(nil, in: newYork)
        #expect(json.out == "\"2025-01-07T04:00:05.12-05:00\"\"2025-01-07\"null")
    }

    /// The offset table answers by the span of about 12 days a moment falls in: it must give what the
    /// system's zone database gives, on either side of every clock change and everywhere between.
    @Test func offsetsAgreeWithTheSystemZoneOnEitherSideOfEveryChange() {
        for name in ["Europe/London", "America/New_York", "Australia/Lord_Howe", "UTC"] {
            let zone = ZoneOffsets(identifier: name)!
            let system = TimeZone(identifier: name)!
            var seconds: Int64 = -2_100_000_000
            while seconds < 4_200_000_000 {
                let date = Date(timeIntervalSince1970: TimeInterval(seconds))
                #expect(zone.offset(atEpochSeconds: seconds) == system.secondsFromGMT(for: date), "\(name) \(seconds)")
                seconds += 86_400 * 5 + 3_601
            }
            var instant = Date(timeIntervalSince1970: 0)
            while let change = system.nextDaylightSavingTimeTransition(after: instant),
                change.timeIntervalSince1970 < 2_500_000_000
            {
                let at = Int64(change.timeIntervalSince1970.rounded())
                for s in [at - 1, at, at + 1] {
                    let date = Date(timeIntervalSince1970: TimeInterval(s))
                    #expect(zone.offset(atEpochSeconds: s) == system.secondsFromGMT(for: date), "\(name) \(s)")
                }
                instant = change
            }
        }
    }

    @Test func rejectsImpossibleDates() {
        #expect(Moment.parse("2025-02-29", zone: .utc) == nil)
        #expect(Moment.parse("2025-13-01", zone: .utc) == nil)
        #expect(Moment.parse("2025-01-01T25:00:00Z", zone: .utc) == nil)
        #expect(Moment.parse("2024-02-29", zone: .utc) != nil)
    }

    /// Every digit of a date-time is a digit: a byte just below `0` or just above `9`, a letter, a
    /// control or a byte of a multi-byte character in its place is refused, wherever it falls. And
    /// the digits that are there make the moment Foundation's calendar makes of them.
    @Test func readsEveryDigitAsADigit() throws {
        let template = Array("2025-06-30T23:30:05.25+01:30".utf8)
        for position in template.indices where (48...57).contains(template[position]) {
            for byte: UInt8 in [0x2F, 0x3A, 0x40, 0x61, 0x00, 0x20, 0xD9, 0xFF] {
                var text = template
                text[position] = byte
                let parsed = text.withUnsafeBufferPointer { Moment.parse($0, zone: .utc) }
                #expect(parsed == nil, "\(String(decoding: text, as: UTF8.self))")
            }
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        var numbers = SeededSequence(seed: 11)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        for _ in 0..<2_000 {
            let (year, month, day) = (
                1990 + numbers.next(below: 70), 1 + numbers.next(below: 12), 1 + numbers.next(below: 28)
            )
            let (hour, minute, second) = (numbers.next(below: 24), numbers.next(below: 60), numbers.next(below: 60))
            let offset = (numbers.next(below: 29) - 14) * 60 + [0, 30, 45][numbers.next(below: 3)]
            let sign = offset < 0 ? "-" : "+"
            let text =
                "\(year)-\(two(month))-\(two(day))T\(two(hour)):\(two(minute)):\(two(second))"
                + (offset == 0 ? "Z" : "\(sign)\(two(abs(offset) / 60)):\(two(abs(offset) % 60))")
            let components = DateComponents(
                year: year, month: month, day: day, hour: hour, minute: minute, second: second)
            let local = try #require(calendar.date(from: components))
            let expected = Int64(local.timeIntervalSince1970) - Int64(offset * 60)
            #expect(Moment.parse(text, zone: .utc) == Moment(epochSeconds: expected), "\(text)")
        }
    }

    @Test func startOfDayAcrossTheClockChange() {
        let london = ZoneOffsets(identifier: "Europe/London")!
        // 30 March 2025: clocks go forward at 01:00 UTC; 00:00 local is still 00:00 UTC.
        #expect(london.startOfDay(FEELDate(year: 2025, month: 3, day: 30)) == Moment(epochSeconds: 1_743_292_800))
        #expect(london.startOfDay(FEELDate(year: 2025, month: 3, day: 31)) == Moment(epochSeconds: 1_743_375_600))
    }

    /// A large file is decoded a run of lines per thread: the events, their order, the numbered ids
    /// of events without one and every problem's line must not depend on the number of threads.
    @Test func decodingOnSeveralThreadsGivesTheSameEventsAndLines() throws {
        var lines: [String] = []
        for i in 1...3000 {
            let id = i % 7 == 0 ? "" : "\"id\": \"e-\(i)\", "
            lines.append(
                "{\(id)\"case\": \"C-\(i % 50)\", \"type\": \"visit.recorded\", \"at\": \"2025-01-06\", "
                    + "\"data\": {\"n\": \(i)}}")
            if i % 500 == 0 { lines.append("") }
        }
        let text = lines.joined(separator: "\n") + "\n"
        #expect(text.utf8.count > 8 * ParallelChunks.minimumPerChunk)
        func decoded(_ workers: Int) throws -> [String] {
            try EventDecoder.decode(Array(text.utf8), timeZoneID: "UTC", workers: workers).map {
                "\($0.id) \($0.caseID) \($0.data.map { FEELValue.context($0) } ?? .null)"
            }
        }
        let single = try decoded(1)
        #expect(single.count == 3000)
        #expect(try decoded(2) == single)
        #expect(try decoded(4) == single)

        var bad = lines
        bad[10] = "{\"case\": \"C-1\", \"type\": 3, \"at\": \"2025-01-06\"}"
        bad[2500] = "{\"case\": \"C-1\", \"type\": \"x\", \"at\": \"2025-02-30\"}"
        bad[bad.count - 1] = "not json"
        let badText = Array(bad.joined(separator: "\n").utf8)
        func problems(_ workers: Int) -> [EventBatchError.Problem] {
            do {
                _ = try EventDecoder.decode(badText, timeZoneID: "UTC", workers: workers)
                return []
            } catch {
                return error.problems
            }
        }
        let expected = problems(1)
        #expect(expected.map(\.line) == [11, 2501, bad.count])
        #expect(problems(2) == expected)
        #expect(problems(4) == expected)
    }
}
