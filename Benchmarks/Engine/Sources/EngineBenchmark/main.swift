import BenchmarkSupport
import Foundation
import WaymarkEngine
import WaymarkFEEL
import WaymarkModel
import WaymarkSimulation
import WaymarkSpill

let caseCount = Int(option("--cases", "100000"))!
let eventTarget = Int(option("--events", "1000000"))!
let root = option("--definitions", "../..")
/// Threads the engine may run cases on while the clock advances (default: every core).
let workers = Int(option("--workers", String(ProcessInfo.processInfo.activeProcessorCount)))!

let shipped = loadDefinitions(root)
/// `--without-daily`: the main run drops the daily rules too (to profile the event path alone).
let withoutDaily = CommandLine.arguments.contains("--without-daily")
var definitions = shipped
if withoutDaily {
    for (id, set) in definitions.ruleSets {
        var s = set
        s.rules.removeAll { if case .daily = $0.trigger { true } else { false } }
        definitions.ruleSets[id] = s
    }
}
print(
    "definitions: \(definitions.pathways.count) pathways, "
        + "\(definitions.ruleSets.values.reduce(0) { $0 + $1.rules.count }) rules, "
        + "\(definitions.ruleSets.values.reduce(0) { $0 + $1.tables.count }) decision tables")

// The cohort: a simulated stream, cut to the target number of events (whole lines, in time order).
// `--events-file PATH` reads a stream written earlier with `--save-events PATH` (the generator
// takes longer than the run it feeds, which makes profiling the run alone awkward).
var generatorStart = ContinuousClock.now
var bytes: [UInt8]
let eventsFile = option("--events-file", "")
if !eventsFile.isEmpty {
    guard let data = FileManager.default.contents(atPath: eventsFile) else {
        print("cannot read \(eventsFile)")
        exit(2)
    }
    bytes = Array(data)
} else {
    let generator = CohortGenerator(
        CohortConfiguration(
            cases: caseCount, seed: 2017, from: FEELDate(year: 2017, month: 9, day: 1),
            to: FEELDate(year: 2019, month: 8, day: 31)))
    var text = generator.jsonLines()
    bytes = Array(text.utf8)
    text = ""
}
var lines = 0
var cut = bytes.count
for (i, b) in bytes.enumerated() where b == 0x0A {
    lines += 1
    if lines == eventTarget {
        cut = i + 1
        break
    }
}
bytes.removeSubrange(cut...)
let saveEvents = option("--save-events", "")
if !saveEvents.isEmpty {
    _ = FileManager.default.createFile(atPath: saveEvents, contents: Data(bytes))
    print("saved the events to \(saveEvents)")
}
print("engine threads: \(workers) (--workers N)")
print(
    "\(eventsFile.isEmpty ? "generated" : "read") \(lines) events in \(String(format: "%.1f", seconds(generatorStart))) s"
)

// An honest baseline: the generator's freed memory is given back to the system (kept, the engine
// would fill it without raising the resident size, which flattered the figures of earlier stops
// by up to a third), and the resident peak is reset, so that every peak below is the run's own.
trimMemory()
resetResidentPeak()
let baselineKiB = status("VmRSS")
let baselineAllocated = allocatedBytes()

// End to end, as `waymark run --open --format json` does it: read the events into an index, run each
// case on its own and spill its records to a temporary file, then write the lists in order.
let start = ContinuousClock.now
let startCPU = cpuSeconds()
var run = CaseByCaseRun(definitions: definitions)
run.workers = workers
do {
    try run.add(bytes)
} catch {
    print("events rejected: \(error.problems.prefix(3))")
    exit(2)
}
let parsed = seconds(start)
let peakAfterParseKiB = status("VmHWM")
let indexKiB = status("VmRSS")
let eventCount = run.eventCount
let lastDay = run.timeZone.date(of: run.lastEventMoment!)
// Written out a piece at a time to a sink that only counts the bytes.
var jsonCount = 0
/// `--hash-json`: FNV-1a over the JSON, printed so that two builds can be shown to write the same
/// bytes (off by default: it would be timed with the output).
let hashing = CommandLine.arguments.contains("--hash-json")
var jsonHash: UInt64 = 0xcbf2_9ce4_8422_2325
let summary = try run.writeJSON(through: lastDay, openOnly: true, spill: try TemporaryFileSpill()) {
    jsonCount += $0.count
    if hashing { for b in $0 { jsonHash = (jsonHash ^ UInt64(b)) &* 0x100_0000_01b3 } }
}
let total = seconds(start)
let totalCPU = cpuSeconds() - startCPU
let eventsPerSecond = Double(eventCount) / total
print(
    String(
        format:
            "end to end: %d events in %.2f s = %.0f events/s (read %.2f s; run, spill and write %.2f s; %d bytes of JSON)",
        eventCount, total, eventsPerSecond, parsed, total - parsed, jsonCount))
print(
    String(
        format: "end to end in CPU time: %.2f s = %.0f events per CPU second", totalCPU,
        Double(eventCount) / totalCPU))
if hashing { print("JSON written: \(jsonCount) bytes, FNV-1a \(String(jsonHash, radix: 16))") }
print(
    "timers fired: \(summary.timersFired); daily conditions evaluated: \(summary.dailyChecks); problems: \(summary.problems.count)"
)
let open = summary.openCaseCount
let peakKiB = status("VmHWM")
print(
    String(
        format: "index of the events: %d KiB above baseline (%.1f bytes an event); peak after reading %d KiB",
        indexKiB - baselineKiB, Double(indexKiB - baselineKiB) * 1024 / Double(max(eventCount, 1)),
        peakAfterParseKiB - baselineKiB))
print(
    String(
        format:
            "memory: baseline %d KiB (the events file is %d KiB of it), peak %d KiB; %d cases, %d open: %.0f bytes per open case (peak above baseline)",
        baselineKiB, bytes.count / 1024, peakKiB, run.caseCount, open,
        Double(peakKiB - baselineKiB) * 1024 / Double(max(open, 1))))

// The daemon's way, for comparison and for advancing the clock: an engine that keeps every case.
resetResidentPeak()
let engineBaselineKiB = status("VmRSS")
let engineStart = ContinuousClock.now
var engine = Engine(definitions: definitions)
engine.workers = workers
engine.keepsFinishedTaskReasons = false
var events = try! EventDecoder.decode(bytes, timeZoneID: engine.timeZoneID, workers: workers)
engine.ingest(handOver(&events))
engine.advance(to: engine.endOfDay(lastDay))
var engineJSONCount = 0
var engineHash: UInt64 = 0xcbf2_9ce4_8422_2325
engine.reportStream(openOnly: true).writeJSON(workers: workers) {
    engineJSONCount += $0.count
    if hashing { for b in $0 { engineHash = (engineHash ^ UInt64(b)) &* 0x100_0000_01b3 } }
}
let engineTotal = seconds(engineStart)
let enginePeakKiB = status("VmHWM")
print(
    String(
        format:
            "through an engine that keeps every case (the daemon's way): %.2f s = %.0f events/s; peak %.0f bytes per open case above its baseline%@",
        engineTotal, Double(eventCount) / engineTotal,
        Double(enginePeakKiB - engineBaselineKiB) * 1024 / Double(max(engine.openCaseCount, 1)),
        hashing ? (engineHash == jsonHash && engineJSONCount == jsonCount ? "; the same JSON" : "; DIFFERENT JSON") : ""
    ))

// Advancing the clock one day at a time over the open cases: cost against timers fired.
for dayOffset in 1...3 {
    let day = lastDay.addingDays(dayOffset)
    let before = engine.timersFired
    let t = ContinuousClock.now
    let c = cpuSeconds()
    engine.advance(to: engine.endOfDay(day))
    let elapsed = seconds(t)
    let cpu = cpuSeconds() - c
    let fired = engine.timersFired - before
    print(
        String(
            format:
                "advance one day to %@ over %d open cases: %.1f ms (%.1f ms CPU), %d timers fired, %.2f µs CPU per timer",
            day.isoString, engine.openCaseCount, elapsed * 1000, cpu * 1000, fired,
            fired > 0 ? cpu * 1e6 / Double(fired) : 0))
}
// Advancing by hours within a day, when no timer is due: the cost must not grow with the open cases.
do {
    let day = lastDay.addingDays(4)
    let midnight = engine.timeZone.startOfDay(day).epochNanoseconds
    // Timers fall due at 00:00: fire that day's first, then step through hours with nothing due.
    engine.advance(to: Moment(epochNanoseconds: midnight + 1))
    let before = engine.timersFired
    let t = ContinuousClock.now
    for hour in 1...12 {
        engine.advance(to: Moment(epochNanoseconds: midnight + Int64(hour) * 3_600_000_000_000))
    }
    let elapsed = seconds(t)
    print(
        String(
            format:
                "advance hour by hour through the morning of %@ over %d open cases: %.1f µs an hour, %d timers fired",
            day.isoString, engine.openCaseCount, elapsed * 1e6 / 12, engine.timersFired - before))
}

// The same with the daily rules that read the clock switched off: only due tasks and deadlines fire.
var quiet = definitions
for (id, set) in quiet.ruleSets {
    var s = set
    s.rules.removeAll { if case .daily = $0.trigger { true } else { false } }
    quiet.ruleSets[id] = s
}
let quietStart = ContinuousClock.now
let quietCPU = cpuSeconds()
var quietRun = CaseByCaseRun(definitions: quiet)
quietRun.workers = workers
try! quietRun.add(bytes)
var quietJSONCount = 0
let quietSummary = try quietRun.writeJSON(through: lastDay, openOnly: true, spill: try TemporaryFileSpill()) {
    quietJSONCount += $0.count
}
let quietTotal = seconds(quietStart)
let quietTotalCPU = cpuSeconds() - quietCPU
print(
    String(
        format:
            "without daily rules, end to end: %.2f s = %.0f events/s (%d timers, %d bytes)",
        quietTotal, Double(eventCount) / quietTotal, quietSummary.timersFired, quietJSONCount))
print(
    String(
        format: "without daily rules, in CPU time: %.2f s = %.0f events per CPU second",
        quietTotalCPU, Double(eventCount) / quietTotalCPU))
// Outside the timing, an engine for advancing the clock.
var quietEvents = try! EventDecoder.decode(bytes, timeZoneID: engine.timeZoneID, workers: workers)
var quietEngine = Engine(definitions: quiet)
quietEngine.workers = workers
quietEngine.keepsFinishedTaskReasons = false
quietEngine.ingest(handOver(&quietEvents))
quietEngine.advance(to: quietEngine.endOfDay(lastDay))
for dayOffset in 1...3 {
    let day = lastDay.addingDays(dayOffset)
    let before = quietEngine.timersFired
    let t = ContinuousClock.now
    let c = cpuSeconds()
    quietEngine.advance(to: quietEngine.endOfDay(day))
    let elapsed = seconds(t)
    let cpu = cpuSeconds() - c
    let fired = quietEngine.timersFired - before
    print(
        String(
            format: "without daily rules, advance to %@: %.2f ms (%.2f ms CPU), %d timers fired over %d open cases",
            day.isoString, elapsed * 1000, cpu * 1000, fired, quietEngine.openCaseCount))
}
