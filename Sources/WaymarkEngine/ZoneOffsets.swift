import Foundation
import Synchronization
public import WaymarkFEEL

/// A time zone's UTC offsets as a sorted table of transitions, read once from the system database.
///
/// Foundation's `TimeZone` answers one instant at a time and is slow enough to dominate a replay of
/// a million events; the table answers by binary search and keeps the engine free of any per-call
/// system lookup. Zones are cached by identifier because every decoder call and engine share them.
public struct ZoneOffsets: Sendable, Hashable {
    /// The zone's table, shared by every copy: a copy of the zone is one reference count. As four
    /// fields (three arrays and the name) a zone was four, and the zone is copied wherever a moment
    /// becomes a date — nine times for each event the decoder read (3.6% of a run's instructions).
    private let table: Table

    public var identifier: String { table.identifier }

    /// Immutable after it is made, so shared between threads without a lock.
    private final class Table: Sendable {
        let identifier: String
        /// Instants (seconds since the epoch) at which the offset changes, ascending.
        let transitions: [Int64]
        /// `offsets[i]` holds before `transitions[i]`; the last one holds after the last transition.
        let offsets: [Int32]
        /// For each span of 2^20 seconds (about 12 days) from the one holding the first transition,
        /// how many transitions come before the span starts: a lookup goes to its span and steps
        /// over the transitions inside it (hardly ever more than one) instead of searching all of
        /// them. Every moment a report prints and every date the engine takes of a moment asks for
        /// an offset, and the binary search over 600 transitions was 2% of a run's instructions.
        let spans: [Int32]
        let firstSpan: Int64

        init(identifier: String, transitions: [Int64], offsets: [Int32]) {
            self.identifier = identifier
            self.transitions = transitions
            self.offsets = offsets
            (spans, firstSpan) = ZoneOffsets.spans(of: transitions)
        }
    }

    private static let spanShift: Int64 = 20

    private static let cache = Mutex<[String: ZoneOffsets]>([:])

    /// UTC: no offset ever.
    public static let utc = ZoneOffsets(identifier: "UTC", transitions: [], offsets: [0])

    private init(identifier: String, transitions: [Int64], offsets: [Int32]) {
        table = Table(identifier: identifier, transitions: transitions, offsets: offsets)
    }

    /// Zones are equal when they are the same zone: a zone's table is read once from the system and
    /// cached by name, so two tables of one name hold the same transitions.
    public static func == (a: ZoneOffsets, b: ZoneOffsets) -> Bool {
        a.table === b.table || a.identifier == b.identifier
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(identifier) }

    /// ``Table/spans`` and the span it starts at, for these transitions.
    private static func spans(of transitions: [Int64]) -> ([Int32], Int64) {
        guard let first = transitions.first, let last = transitions.last else { return ([], 0) }
        let firstSpan = first >> spanShift
        var spans: [Int32] = []
        var before = 0
        for span in firstSpan...(last >> spanShift) {
            let start = span << spanShift
            while before < transitions.count, transitions[before] < start { before += 1 }
            spans.append(Int32(before))
        }
        return (spans, firstSpan)
    }

    /// The zone named `identifier` (IANA), or nil when the system does not know it.
    public init?(identifier: String) {
        if let cached = ZoneOffsets.cache.withLock({ $0[identifier] }) {
            self = cached
            return
        }
        guard let zone = TimeZone(identifier: identifier) else { return nil }
        var transitions: [Int64] = []
        var offsets: [Int32] = []
        // 1900 to 2200 covers every date a case can carry; outside it the nearest offset holds.
        var instant = Date(timeIntervalSince1970: -2_208_988_800)
        let end = Date(timeIntervalSince1970: 7_258_118_400)
        offsets.append(Int32(zone.secondsFromGMT(for: instant)))
        while let next = zone.nextDaylightSavingTimeTransition(after: instant), next < end {
            transitions.append(Int64(next.timeIntervalSince1970.rounded()))
            offsets.append(Int32(zone.secondsFromGMT(for: next.addingTimeInterval(1))))
            instant = next
        }
        self.init(identifier: identifier, transitions: transitions, offsets: offsets)
        let made = self
        ZoneOffsets.cache.withLock { $0[identifier] = made }
    }

    /// The offset from UTC, in seconds, at `epochSeconds`.
    public func offset(atEpochSeconds epochSeconds: Int64) -> Int {
        let table = table
        let (transitions, offsets, spans) = (table.transitions, table.offsets, table.spans)
        let span = (epochSeconds >> Self.spanShift) - table.firstSpan
        if span < 0 || transitions.isEmpty { return Int(offsets[0]) }
        if span >= spans.count { return Int(offsets[transitions.count]) }
        var passed = Int(spans[Int(span)])
        while passed < transitions.count, transitions[passed] <= epochSeconds { passed += 1 }
        return Int(offsets[passed])
    }

    /// The local calendar date of `moment` in this zone.
    public func date(of moment: Moment) -> FEELDate {
        let seconds = moment.epochSeconds
        let local = seconds + Int64(offset(atEpochSeconds: seconds))
        return FEELDate(dayNumber: Int(local.floorDivided(by: 86_400)))
    }

    /// 00:00 of `date` in this zone.
    public func startOfDay(_ date: FEELDate) -> Moment {
        localMoment(date, secondsOfDay: 0)
    }

    /// The instant at which local wall-clock time `secondsOfDay` on `date` happens in this zone.
    ///
    /// A date beyond what a moment can hold (after 2262, before 1677: a deadline counted a long way
    /// from an event) gives ``Moment/distantFuture`` or ``Moment/distantPast``, a moment no clock
    /// reaches, rather than overflowing.
    public func localMoment(_ date: FEELDate, secondsOfDay: Int64, nanoseconds: Int64 = 0) -> Moment {
        let wall = Int64(date.dayNumber) * 86_400 + secondsOfDay
        let guess = wall - Int64(offset(atEpochSeconds: wall))
        let seconds = wall - Int64(offset(atEpochSeconds: guess))
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (nanos, overflowAgain) = scaled.addingReportingOverflow(nanoseconds)
        guard !overflow && !overflowAgain else { return seconds < 0 ? .distantPast : .distantFuture }
        return Moment(epochNanoseconds: nanos)
    }
}

extension Int64 {
    func floorDivided(by divisor: Int64) -> Int64 {
        let q = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? q - 1 : q
    }
}
