import BenchmarkSupport
import Foundation
import WaymarkEngine
import WaymarkFEEL
import WaymarkModel
import WaymarkSimulation

// Issue 4 asks that advancing the clock one day over 100,000 open cases cost time in proportion to
// the timers that fire that day, not to the open cases. The main benchmark's cohort ends with about
// 40,000 open cases (its cases close over two years). This one builds engines of several sizes from
// cohorts referred over one quarter, so that most cases are still open at its end, the largest with
// more than 100,000, and advances each three days, then through a morning hour by hour.
//
// If the cost follows the timers, the CPU time per timer fired is the same at every size while the
// open cases grow fourfold, and an hour with nothing due costs the same at every size.

let root = option("--definitions", "../..")
let workers = Int(option("--workers", String(ProcessInfo.processInfo.activeProcessorCount)))!
/// Cohort sizes (cases referred), each a separate engine.
let sizes = option("--cases", "40000,80000,160000").split(separator: ",").map { Int($0)! }
let from = FEELDate(year: 2018, month: 1, day: 8)
let to = FEELDate(year: 2018, month: 3, day: 31)

let definitions = loadDefinitions(root)
print("engine threads: \(workers) (--workers N); every rule on; referrals \(from.isoString) to \(to.isoString)")

struct Row {
    var openCases = 0
    var events = 0
    var engineBytesPerOpenCase = 0.0
    var days: [(day: FEELDate, cpu: Double, fired: Int)] = []
    var quietHourMicroseconds = 0.0
}

var rows: [Row] = []
for size in sizes {
    var row = Row()
    let generator = CohortGenerator(CohortConfiguration(cases: size, seed: 2018, from: from, to: to))
    var text = generator.jsonLines()
    let bytes = Array(text.utf8)
    text = ""
    trimMemory()
    let allocatedBefore = allocatedBytes()
    var engine = Engine(definitions: definitions)
    engine.workers = workers
    engine.keepsFinishedTaskReasons = false
    var events = try! EventDecoder.decode(bytes, timeZoneID: engine.timeZoneID, workers: workers)
    row.events = events.count
    engine.ingest(handOver(&events))
    engine.advance(to: engine.endOfDay(to))
    row.openCases = engine.openCaseCount
    row.engineBytesPerOpenCase = Double(allocatedBytes() - allocatedBefore) / Double(max(row.openCases, 1))
    // Three whole days, 2018-04-01 to 03: Easter Sunday, Easter Monday (a bank holiday) and the
    // Tuesday after, the first working day after the four-day weekend, when the working-day
    // deadlines that count over that weekend fall due.
    for offset in 1...3 {
        let day = to.addingDays(offset)
        let before = engine.timersFired
        let c = cpuSeconds()
        engine.advance(to: engine.endOfDay(day))
        row.days.append((day, cpuSeconds() - c, engine.timersFired - before))
    }
    // A morning hour by hour after that day's midnight timers: nothing is due, whatever the size.
    let midnight = engine.timeZone.startOfDay(to.addingDays(4)).epochNanoseconds
    engine.advance(to: Moment(epochNanoseconds: midnight + 1))
    let hourStart = ContinuousClock.now
    let firedBefore = engine.timersFired
    for hour in 1...12 {
        engine.advance(to: Moment(epochNanoseconds: midnight + Int64(hour) * 3_600_000_000_000))
    }
    row.quietHourMicroseconds = seconds(hourStart) * 1e6 / 12
    precondition(engine.timersFired == firedBefore, "a timer fired during the quiet morning")
    rows.append(row)
    print(
        String(
            format: "%d cases referred, %d events: %d open cases, engine %.0f bytes allocated per open case",
            size, row.events, row.openCases, row.engineBytesPerOpenCase))
    for d in row.days {
        print(
            String(
                format: "  advance one day to %@: %.1f ms CPU, %d timers fired, %.2f µs CPU per timer",
                d.day.isoString, d.cpu * 1000, d.fired, d.fired > 0 ? d.cpu * 1e6 / Double(d.fired) : 0))
    }
    print(String(format: "  an hour with nothing due: %.2f µs", row.quietHourMicroseconds))
}

// The comparison the issue asks for: per timer, and per open case, against the smallest engine.
if let first = rows.first {
    func perTimer(_ r: Row) -> Double {
        let cpu = r.days.reduce(0) { $0 + $1.cpu }
        let fired = r.days.reduce(0) { $0 + $1.fired }
        return fired > 0 ? cpu * 1e6 / Double(fired) : 0
    }
    print("open cases   timers fired (3 days)   µs CPU per timer   ratio to smallest   open cases ratio")
    for r in rows {
        print(
            String(
                format: "%10d   %21d   %16.2f   %17.2f   %16.2f", r.openCases, r.days.reduce(0) { $0 + $1.fired },
                perTimer(r), perTimer(r) / max(perTimer(first), 1e-9),
                Double(r.openCases) / Double(max(first.openCases, 1))))
    }
}
