public import WaymarkFEEL

/// A UTC instant with nanosecond precision (an event's `at`, a timer's moment).
///
/// Held as one integer so that ordering, hashing and heap keys cost nothing; time zones matter only
/// when a moment is read as a date or printed.
public struct Moment: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var epochNanoseconds: Int64

    public init(epochNanoseconds: Int64) {
        self.epochNanoseconds = epochNanoseconds
    }

    public init(epochSeconds: Int64) {
        self.epochNanoseconds = epochSeconds * 1_000_000_000
    }

    /// Whole seconds since the epoch, rounded down.
    public var epochSeconds: Int64 { epochNanoseconds.floorDivided(by: 1_000_000_000) }

    public static func < (lhs: Moment, rhs: Moment) -> Bool { lhs.epochNanoseconds < rhs.epochNanoseconds }

    public static let distantPast = Moment(epochNanoseconds: .min)
    public static let distantFuture = Moment(epochNanoseconds: .max)

    public var description: String { formatted(in: .utc) }

    /// The years a moment read from text may fall in.
    ///
    /// A moment is nanoseconds in an `Int64`, which spans 1677-09-21 to 2262-04-11; an event dated
    /// outside that overflowed while it was read and stopped the process. This range leaves room on
    /// both sides for the deadlines counted from a moment, and takes in any date a case can carry.
    public static let supportedYears = 1700...2200

    /// Whether `text` starts with a four-digit year outside ``supportedYears``: a date or date-time
    /// ``parse(_:zone:)`` refuses for its year alone, to be told so.
    private static func isOutOfRange(_ text: some StringProtocol) -> Bool {
        guard let year = Int(text.prefix(4)), text.utf8.prefix(4).allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            return false
        }
        return !supportedYears.contains(year)
    }

    /// Why ``parse(_:zone:)`` refuses `text`, in words for whoever sent it: its year is outside
    /// ``supportedYears``, or it is not an ISO 8601 date or date-time at all.
    public static func refusal(_ text: String) -> String {
        if isOutOfRange(text) {
            let years = supportedYears
            return "'\(text)' is outside the years Waymark handles (\(years.lowerBound) to \(years.upperBound))"
        }
        return "'\(text)' is not an ISO 8601 date or date-time"
    }

    /// Parses an ISO 8601 date (`2025-01-06`, 00:00 of that day in `zone`) or date-time
    /// (`2025-01-06T10:15:00Z`, `...+01:00`, fractional seconds allowed; without an offset the time
    /// is read as wall-clock time in `zone`). Returns nil for anything else.
    public static func parse(_ text: String, zone: ZoneOffsets) -> Moment? {
        let utf8 = Array(text.utf8)
        return utf8.withUnsafeBufferPointer { parse($0, zone: zone) }
    }

    static func parse(_ b: UnsafeBufferPointer<UInt8>, zone: ZoneOffsets) -> Moment? {
        // The position is passed in and out rather than captured: local functions that capture a
        // variable check exclusive access to it at run time on every call. And they are inlined:
        // called, they were ten calls an event, most of what parsing an `at` then cost.
        var i = 0
        @inline(__always) func digits(_ count: Int, _ i: inout Int) -> Int? {
            guard i + count <= b.count else { return nil }
            var value = 0
            var k = i
            while k < i + count {
                let d = b[k] &- 48
                guard d < 10 else { return nil }
                value = value &* 10 &+ Int(d)
                k += 1
            }
            i = k
            return value
        }
        @inline(__always) func expect(_ c: UInt8, _ i: inout Int) -> Bool {
            guard i < b.count, b[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = digits(4, &i), expect(45, &i), let month = digits(2, &i), expect(45, &i),
            let day = digits(2, &i), Self.supportedYears.contains(year),
            (1...12).contains(month), day >= 1, day <= FEELDate.daysInMonth(year: year, month: month)
        else { return nil }
        let date = FEELDate(year: year, month: month, day: day)
        if i == b.count { return zone.startOfDay(date) }
        guard expect(84, &i) || expect(116, &i) || expect(32, &i) else { return nil }
        guard let hour = digits(2, &i), expect(58, &i), let minute = digits(2, &i), hour < 24, minute < 60 else {
            return nil
        }
        var second = 0
        var nanos: Int64 = 0
        if expect(58, &i) {
            guard let s = digits(2, &i), s < 60 else { return nil }
            second = s
            if expect(46, &i) || expect(44, &i) {
                var scale: Int64 = 100_000_000
                var count = 0
                while i < b.count, b[i] >= 48, b[i] <= 57 {
                    nanos += Int64(b[i] - 48) * scale
                    scale /= 10
                    i += 1
                    count += 1
                }
                guard count > 0 else { return nil }
            }
        }
        let secondsOfDay = Int64(hour * 3600 + minute * 60 + second)
        if i == b.count { return zone.localMoment(date, secondsOfDay: secondsOfDay, nanoseconds: nanos) }
        var offset = 0
        if expect(90, &i) || expect(122, &i) {
            offset = 0
        } else {
            let sign: Int
            if expect(43, &i) {
                sign = 1
            } else if expect(45, &i) {
                sign = -1
            } else {
                return nil
            }
            guard let oh = digits(2, &i) else { return nil }
            _ = expect(58, &i)
            let om = digits(2, &i) ?? 0
            guard oh < 24, om < 60 else { return nil }
            offset = sign * (oh * 3600 + om * 60)
        }
        guard i == b.count else { return nil }
        let seconds = Int64(date.dayNumber) * 86_400 + secondsOfDay - Int64(offset)
        return Moment(epochNanoseconds: seconds * 1_000_000_000 + nanos)
    }

    /// ISO 8601 in `zone` with its offset: `2025-01-07T09:00:00+00:00` (fractional seconds only when
    /// there are any).
    public func formatted(in zone: ZoneOffsets) -> String {
        var bytes = ByteBuffer(capacity: 64)
        writeISO(in: zone, to: &bytes)
        return bytes.string
    }

    /// Appends ``formatted(in:)``'s text to `out`.
    ///
    /// Written digit by digit in place: a report prints two or three moments for each task and alert
    /// (millions in a large run). Built by string interpolation, they were more than a quarter of
    /// the instructions spent writing the JSON.
    func writeISO(in zone: ZoneOffsets, to out: inout ByteBuffer) {
        let seconds = epochSeconds
        let nanos = epochNanoseconds - seconds * 1_000_000_000
        let offset = zone.offset(atEpochSeconds: seconds)
        let local = seconds + Int64(offset)
        let day = local.floorDivided(by: 86_400)
        let secondOfDay = Int(local - day * 86_400)
        // At most a date (27 bytes), 9 of time, 10 of fraction and 6 of offset.
        out.appendInPlace(most: 64) { p in
            var i = 0
            FEELDate(dayNumber: Int(day)).writeISO(to: p, at: &i)
            p[i] = UInt8(ascii: "T")
            i += 1
            putTwoDigits(secondOfDay / 3600, p, &i)
            p[i] = UInt8(ascii: ":")
            i += 1
            putTwoDigits(secondOfDay / 60 % 60, p, &i)
            p[i] = UInt8(ascii: ":")
            i += 1
            putTwoDigits(secondOfDay % 60, p, &i)
            if nanos != 0 {
                // Nine digits, without the zeros that end them.
                var fraction = Int(nanos)
                var count = 9
                while fraction % 10 == 0 {
                    fraction /= 10
                    count -= 1
                }
                p[i] = UInt8(ascii: ".")
                i += 1
                putDigits(fraction, count, p, &i)
            }
            let absOffset = abs(offset)
            p[i] = offset < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+")
            i += 1
            putTwoDigits(absOffset / 3600, p, &i)
            p[i] = UInt8(ascii: ":")
            i += 1
            putTwoDigits(absOffset / 60 % 60, p, &i)
            return i
        }
    }

    /// This moment as a FEEL date and time carrying the offset it has in `zone`.
    public func feelDateTime(in zone: ZoneOffsets) -> FEELDateTime {
        let seconds = epochSeconds
        let nanos = Int(epochNanoseconds - seconds * 1_000_000_000)
        let offset = zone.offset(atEpochSeconds: seconds)
        let local = seconds + Int64(offset)
        let date = FEELDate(dayNumber: Int(local.floorDivided(by: 86_400)))
        let secondOfDay = Int(local - local.floorDivided(by: 86_400) * 86_400)
        let time = FEELTime(
            hour: secondOfDay / 3600, minute: secondOfDay / 60 % 60, second: secondOfDay % 60, nanosecond: nanos,
            offsetSeconds: offset)
        return FEELDateTime(date: date, time: time)
    }
}

extension FEELDate {
    /// Appends ``isoString``'s text to `out` (see ``Moment/writeISO(in:to:)`` for why by hand).
    func writeISO(to out: inout ByteBuffer) {
        out.appendInPlace(most: 32) { p in
            var i = 0
            writeISO(to: p, at: &i)
            return i
        }
    }

    /// Parses `YYYY-MM-DD`; nil for anything else or an impossible date.
    public static func parseISO(_ text: String) -> FEELDate? {
        let b = Array(text.utf8)
        guard b.count == 10, b[4] == 45, b[7] == 45 else { return nil }
        func num(_ r: Range<Int>) -> Int? {
            var v = 0
            for k in r {
                guard b[k] >= 48 && b[k] <= 57 else { return nil }
                v = v * 10 + Int(b[k] - 48)
            }
            return v
        }
        guard let y = num(0..<4), let m = num(5..<7), let d = num(8..<10), (1...12).contains(m), d >= 1,
            d <= daysInMonth(year: y, month: m)
        else { return nil }
        return FEELDate(year: y, month: m, day: d)
    }
}
