import WaymarkFEEL

/// Counts working days in constant time per question, so that a daily rule comparing a task's due
/// date with today costs the same whether the task is two days or two years overdue.
///
/// `cumulative(n)` is the number of working days from a fixed origin up to and including day `n`:
/// whole weeks times the worked weekdays, plus the worked days of the last part week, less the
/// holidays up to `n` that fall on a worked weekday (a binary search over the few hundred holidays a
/// calendar lists). Any two values differ by the working days between them, and `cumulative` only
/// ever grows, which gives both the count between two dates and, by a search, the date that is `n`
/// working days away. The loop this replaces hashed every day it stepped over. For the years cases
/// live in, both answers are also kept in tables (see ``counts``).
struct WorkingDayCount: Sendable {
    /// Bit `w - 1` is set when ISO weekday `w` (1 Monday ... 7 Sunday) is worked.
    let weekdayMask: UInt8
    /// Worked days among Monday ... Monday + r, for r in 0...6.
    let workedThrough: [Int]
    /// Sorted, distinct day numbers of holidays that fall on a worked weekday.
    let workingHolidays: [Int]
    /// `cumulative(window.lowerBound + i)` for each day of ``window``, counted once when the
    /// calendar is made.
    ///
    /// Due dates and overdue counts fall in these years: answered by looking up two numbers, where
    /// the count by weeks searched the holidays for each count (a due date of a few working days
    /// walked its days), 1.3% of a run's instructions. Outside them the count by weeks answers.
    private let counts: [Int32]
    /// The working days of ``window`` in order: entry `k` is the day whose cumulative count is
    /// `firstCount + k`, the answer to "the `n`th working day after".
    private let workingDays: [Int32]
    private let firstCount: Int

    /// 1990-01-01 up to 2070-01-01: 29,220 days, 200 KB a calendar for both tables.
    static let window = 7_305..<36_525

    init(workingWeekdays: Set<Int>, holidayDayNumbers: Set<Int>) {
        var mask: UInt8 = 0
        for w in workingWeekdays where (1...7).contains(w) { mask |= 1 << UInt8(w - 1) }
        weekdayMask = mask
        var through: [Int] = []
        var running = 0
        for r in 0..<7 {
            if mask & (1 << UInt8(r)) != 0 { running += 1 }
            through.append(running)
        }
        workedThrough = through
        let holidays = holidayDayNumbers.filter { Self.isWorkedWeekday($0, mask) }.sorted()
        workingHolidays = holidays
        // The tables, a day at a time from the count of the day before the window.
        let window = Self.window
        let before = Self.countedByWeeks(window.lowerBound - 1, through, holidays)
        var count = before
        var counts: [Int32] = []
        var days: [Int32] = []
        counts.reserveCapacity(window.count)
        var h = Self.insertionPoint(window.lowerBound, holidays)
        for day in window {
            while h < holidays.count, holidays[h] < day { h += 1 }
            if Self.isWorkedWeekday(day, mask), h == holidays.count || holidays[h] != day {
                count += 1
                days.append(Int32(day))
            }
            counts.append(Int32(count))
        }
        self.counts = counts
        workingDays = days
        firstCount = before + 1
    }

    /// Whether day `n` falls on a weekday the mask says is worked.
    static func isWorkedWeekday(_ n: Int, _ mask: UInt8) -> Bool {
        mask & (1 << UInt8(FEELDate.isoWeekday(dayNumber: n) - 1)) != 0
    }

    var worksAnyDay: Bool { weekdayMask != 0 }

    func isWorkingDay(_ n: Int) -> Bool {
        Self.isWorkedWeekday(n, weekdayMask) && !isHoliday(n)
    }

    /// Working days from the origin up to and including day `n`.
    func cumulative(_ n: Int) -> Int {
        if Self.window.contains(n) { return Int(counts[n - Self.window.lowerBound]) }
        return Self.countedByWeeks(n, workedThrough, workingHolidays)
    }

    /// ``cumulative(_:)`` counted: whole weeks, the part week, less the holidays through `n`.
    private static func countedByWeeks(_ n: Int, _ workedThrough: [Int], _ holidays: [Int]) -> Int {
        // Day 4 is a Monday; weeks are counted from it with floor division so negative days work too.
        let m = n - 4
        let weeks = m >= 0 ? m / 7 : -((-m + 6) / 7)
        let r = m - weeks * 7
        return weeks * workedThrough[6] + workedThrough[r] - insertionPoint(n + 1, holidays)
    }

    /// The number of working days `d` with `a < d <= b`, negative when `b` is before `a`.
    func between(_ a: Int, _ b: Int) -> Int { cumulative(b) - cumulative(a) }

    /// The `n`th working day strictly after day `a`, or for negative `n` the `|n|`th strictly before it.
    /// Requires at least one worked weekday.
    func adding(_ n: Int, to a: Int) -> Int {
        if n == 0 { return a }
        // The answer is the first day whose cumulative count reaches `target`: the count steps up by
        // one exactly on working days, so that day is a working day with the right number before it.
        let target = n > 0 ? cumulative(a) + n : cumulative(a - 1) + n + 1
        // A count in the tables' years: its working day is kept (a walk over the days, which
        // answered the commonest questions before the tables, is no longer needed).
        let k = target - firstCount
        if k >= 0, k < workingDays.count { return Int(workingDays[k]) }
        // Bracket it (lo below, hi at or above), then halve.
        var lo: Int
        var hi: Int
        if n > 0 {
            lo = a
            var step = n
            hi = a + step
            while cumulative(hi) < target {
                lo = hi
                step *= 2
                hi = a + step
            }
        } else {
            hi = a - 1
            var step = -n
            lo = a - step
            while cumulative(lo) >= target {
                hi = lo
                step *= 2
                lo = a - step
            }
        }
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2
            if cumulative(mid) >= target { hi = mid } else { lo = mid }
        }
        return hi
    }

    private func isHoliday(_ n: Int) -> Bool {
        let i = insertionPoint(n)
        return i < workingHolidays.count && workingHolidays[i] == n
    }

    /// The index of the first holiday on or after day `n`.
    private func insertionPoint(_ n: Int) -> Int { Self.insertionPoint(n, workingHolidays) }

    private static func insertionPoint(_ n: Int, _ holidays: [Int]) -> Int {
        var lo = 0
        var hi = holidays.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if holidays[mid] < n { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
