import WaymarkFEEL
import WaymarkModel

// libFuzzer's entry point for FEEL: the text is compiled as a rule condition would be, with two
// caller names, then evaluated against a few values with a clock, a working-day calendar and run-time
// warnings asked for (as `waymark eval` asks for them). A compile error must give a 1-based position
// inside the text; a trap, a hang or a leak is a finding.

/// The working-day calendar the engine gives FEEL (Mondays to Fridays here, with two holidays):
/// `add working days` and `working days between` over any dates the fuzzer writes.
let calendar = WorkingCalendar(
    id: "fuzz", timeZoneID: "Europe/London", workingWeekdays: [1, 2, 3, 4, 5],
    holidays: [
        .init(date: FEELDate(year: 2024, month: 12, day: 25), name: "Christmas Day"),
        .init(date: FEELDate(year: 2024, month: 12, day: 26), name: "Boxing Day"),
    ])

let clock: FEELDateTime? = {
    guard let expr = try? FEELExpression(#"date and time("2024-03-04T10:00:00Z")"#),
        case .dateTime(let moment) = expr.evaluate([])
    else { return nil }
    return moment
}()

let environment = FEELEnvironment(now: clock, workingDays: calendar, warnings: { _ in })

let values: [[FEELValue]] = [
    [.null, .null],
    [.number(3), .string("overdue")],
    [.list([.number(1), .string("a"), .boolean(true)]), .context(FEELContext())],
]

func fuzzFEEL(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        let expression = try FEELExpression(text, names: ["x", "y"])
        for v in values {
            _ = expression.evaluate(v, environment: environment)
        }
    } catch {
        precondition(error.offset >= 0 && error.offset <= text.utf8.count, "error offset out of the text")
        precondition(error.line >= 1 && error.column >= 1, "error position not 1-based")
    }
    return 0
}
