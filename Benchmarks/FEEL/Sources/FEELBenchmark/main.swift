import Foundation
import WaymarkFEEL

// Each case compiles once, then evaluates in a loop for about `seconds`, and prints the rate.
// Runs are repeated three times so that the spread shows the machine's noise.

let arguments = CommandLine.arguments
let seconds = arguments.firstIndex(of: "--seconds").flatMap { Double(arguments[$0 + 1]) } ?? 1.0
/// `--iterations N` runs each case exactly N times once (for `perf stat` instruction counts).
let iterations = arguments.firstIndex(of: "--iterations").flatMap { Int(arguments[$0 + 1]) }
let only = arguments.firstIndex(of: "--only").map { arguments[$0 + 1] }
let names = ["event", "case", "facts", "task"]

func number(_ text: String) -> FEELValue { .number(Decimal(string: text)!) }

func moment(_ day: Int, hour: Int = 9) -> FEELValue {
    .dateTime(
        FEELDateTime(
            date: FEELDate(year: 2024, month: 1, day: 1).addingDays(day),
            time: FEELTime(hour: hour, minute: 0, second: 0, offsetSeconds: 0)))
}

let facts = FEELValue.context(
    FEELContext([
        ("child", .context(FEELContext([("age", number("12")), ("looked after", .boolean(false))]))),
        (
            "school",
            .context(
                FEELContext([
                    ("attendance", number("0.87")), ("exclusions", number("1")), ("name", .string("Hillside")),
                ]))
        ),
        ("risk", .context(FEELContext([("score", number("7")), ("level", .string("medium"))]))),
    ]))

let types = ["contact.received", "referral.received", "visit.completed", "assessment.started", "case.note"]
let history = FEELValue.list(
    (0..<50).map { i in
        .context(
            FEELContext([
                ("id", .string("e-\(i)")), ("type", .string(types[i % types.count])), ("at", moment(i * 9)),
                ("data", .context(FEELContext())),
            ]))
    })
let caseValue = FEELValue.context(FEELContext([("id", .string("C-1")), ("history", history), ("facts", facts)]))
let event = FEELValue.context(
    FEELContext([("type", .string("referral.received")), ("at", moment(460)), ("data", .context(FEELContext()))]))
let scope: [FEELValue] = [event, caseValue, facts, .null]

/// CPU time this thread has used, in seconds: unlike the wall clock, it does not count the time the
/// thread waits while other processes have the cores, so it shows the cost on a busy machine.
func threadSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

@inline(never)
func measure(_ label: String, _ body: () -> FEELValue) {
    if let only, !label.contains(only) { return }
    if let iterations {
        var sink = 0
        for _ in 0..<iterations {
            if case .boolean(true) = body() { sink &+= 1 }
        }
        print(label, iterations, "evaluations", "[\(sink % 7)]")
        return
    }
    var rates: [Double] = []
    var cpuRates: [Double] = []
    var sink = 0
    for _ in 0..<3 {
        let clock = ContinuousClock()
        let start = clock.now
        let cpuStart = threadSeconds()
        var count = 0
        var elapsed = 0.0
        while elapsed < seconds {
            for _ in 0..<1000 {
                if case .boolean(true) = body() { sink &+= 1 } else { sink &+= 2 }
            }
            count += 1000
            let d = clock.now - start
            elapsed = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        }
        rates.append(Double(count) / elapsed)
        cpuRates.append(Double(count) / (threadSeconds() - cpuStart))
    }
    print(
        label.padding(toLength: 48, withPad: " ", startingAt: 0)
            + String(
                format: "%10.0f /s wall (3 runs: %.0f–%.0f)  %10.0f /s of CPU time", rates.max()!, rates.min()!,
                rates.max()!, cpuRates.max()!), "[\(sink % 7)]")
}

/// `--expression TEXT` measures one more expression over the same scope (for profiling).
if let index = arguments.firstIndex(of: "--expression") {
    let extra = try! FEELExpression(arguments[index + 1], names: names)
    measure("expression") { extra.evaluate(scope) }
}

let simple = try! FEELExpression("facts.school.attendance <= 0.9", names: names)
precondition(simple.evaluate(scope).typedJSONText.contains("true"))
measure("simple comparison") { simple.evaluate(scope) }

let five = try! FEELExpression(
    """
    facts.school.attendance <= 0.9 and facts.child.age >= 5 and facts.child.age < 16
      and (facts.risk.score > 5 or facts.school.exclusions >= 2)
    """, names: names)
precondition(five.evaluate(scope).typedJSONText.contains("true"))
measure("boolean of five comparisons") { five.evaluate(scope) }

let rereferral = try! FEELExpression(
    #"some r in case.history[type = "referral.received"] satisfies r.at >= event.at - duration("P12M")"#,
    names: names)
precondition(rereferral.evaluate(scope).typedJSONText.contains("true"))
measure("re-referral over 50 events") { rereferral.evaluate(scope) }
// The same condition when no referral is recent enough: every event is looked at, none decides.
let lateEvent = FEELValue.context(
    FEELContext([("type", .string("referral.received")), ("at", moment(2000)), ("data", .context(FEELContext()))]))
let lateScope: [FEELValue] = [lateEvent, caseValue, facts, .null]
precondition(rereferral.evaluate(lateScope).typedJSONText.contains("false"))
measure("re-referral over 50 events, none recent") { rereferral.evaluate(lateScope) }

let rows: [([String], String)] = [
    (["< 0.5", ">= 2", "-"], #""severe""#),
    (["< 0.5", "-", "> 8"], #""severe""#),
    (["< 0.5", "-", "-"], #""high""#),
    (["[0.5..0.7)", ">= 3", "-"], #""high""#),
    (["[0.5..0.7)", "-", "> 6"], #""high""#),
    (["[0.5..0.7)", "-", "-"], #""raised""#),
    (["[0.7..0.8)", ">= 3", "> 6"], #""raised""#),
    (["[0.7..0.8)", "-", "-"], #""watch""#),
    (["[0.8..0.85)", ">= 1", "> 8"], #""watch""#),
    (["[0.8..0.85)", "-", "-"], #""low""#),
    (["[0.85..0.9]", "0", "<= 3"], #""low""#),
    (["-", "-", "-"], #""none""#),
]
let table = FEELDecisionTable(
    inputs: [
        try! FEELExpression("facts.school.attendance", names: names),
        try! FEELExpression("facts.school.exclusions", names: names),
        try! FEELExpression("facts.risk.score", names: names),
    ],
    outputNames: ["level"],
    rules: rows.map { cells, output in
        FEELDecisionTable.Rule(
            inputs: cells.map { try! FEELUnaryTests($0, names: names) },
            outputs: [try! FEELExpression(output, names: names)])
    },
    hitPolicy: .first)
precondition(table.evaluate(scope).typedJSONText.contains("none"))
measure("decision table, 12 rows x 3 inputs, first") { table.evaluate(scope) }
