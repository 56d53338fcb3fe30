import Foundation
import Testing
import WaymarkFEEL

/// Behaviour of compiled expressions that Waymark's rules rely on beyond the TCK.
@Suite struct FEELExpressionTests {
    func eval(
        _ text: String, _ names: [String] = [], _ values: [FEELValue] = [], environment: FEELEnvironment = .init()
    )
        throws -> FEELValue
    {
        try FEELExpression(text, names: names).evaluate(values, environment: environment)
    }

    func number(_ text: String) -> FEELValue { .number(Decimal(string: text)!) }

    func history() -> FEELValue {
        func event(_ type: String, _ day: Int) -> FEELValue {
            .context(
                FEELContext([
                    ("type", .string(type)),
                    (
                        "at",
                        .dateTime(
                            FEELDateTime(
                                date: FEELDate(year: 2024, month: 3, day: day),
                                time: FEELTime(hour: 9, minute: 0, second: 0, offsetSeconds: 0)))
                    ),
                ]))
        }
        return .context(FEELContext([("history", .list([event("referral.received", 4), event("case.closed", 28)]))]))
    }

    @Test func namesWithSpacesResolveAgainstTheScope() throws {
        let value = try eval("12 * Monthly Salary + 1", ["Monthly Salary"], [number("100")])
        #expect(value.typedJSONText == #"{"type":"number","value":"1201"}"#)
    }

    @Test func pathsFiltersAndQuantifiersOverHistory() throws {
        let event = FEELValue.context(
            FEELContext([
                (
                    "at",
                    .dateTime(
                        FEELDateTime(
                            date: FEELDate(year: 2025, month: 1, day: 6),
                            time: FEELTime(hour: 10, minute: 0, second: 0, offsetSeconds: 0)))
                )
            ]))
        let rule = """
            some r in case.history[type = "referral.received"] satisfies r.at >= event.at - duration("P12M")
            """
        #expect(try eval(rule, ["event", "case"], [event, history()]).typedJSONText.contains("true"))
        let count = try eval(#"count(case.history[type = "case.closed"])"#, ["case"], [history()])
        #expect(count.typedJSONText == #"{"type":"number","value":"1"}"#)
    }

    @Test func threeValuedLogicAndNullPropagation() throws {
        #expect(try eval("null and false").typedJSONText == #"{"type":"boolean","value":false}"#)
        #expect(try eval("null and true").isNull)
        #expect(try eval("null or true").typedJSONText == #"{"type":"boolean","value":true}"#)
        #expect(try eval("1 + null").isNull)
        #expect(try eval("x < 5", ["x"], [.null]).isNull)
    }

    @Test func dateArithmeticClampsToTheMonthEnd() throws {
        let value = try eval(#"date("2025-01-31") + duration("P1M")"#)
        #expect(value.typedJSONText == #"{"type":"date","value":"2025-02-28"}"#)
    }

    /// The clock is read where the body reaches it, not hoisted before the loop, so a caller learns
    /// that a value did not depend on the date.
    @Test func clockReadsAreCountedOnlyWhenReached() throws {
        let expression = try FEELExpression(
            #"some x in xs satisfies x > 5 and today() > date("2020-01-01")"#, names: ["xs"])
        let now = FEELDateTime(
            date: FEELDate(year: 2025, month: 1, day: 6), time: FEELTime(hour: 0, minute: 0, second: 0))
        for (items, reads, value) in [([1, 2], 0, false), ([1, 6, 7], 1, true)] {
            let probe = FEELClockReads()
            let result = expression.evaluate(
                [.list(items.map { .number(Decimal($0)) })], environment: FEELEnvironment(now: now, clockReads: probe))
            #expect(probe.reads == reads)
            #expect(result.typedJSONText == #"{"type":"boolean","value":\#(value)}"#)
        }
    }

    /// A clock given to the environment is what `now()` and `today()` read, asked only when they are
    /// reached, and moving it between evaluations moves them; a time set outright replaces it.
    @Test func aClockIsReadWhenTheExpressionReadsTheTime() throws {
        final class Clock: FEELClock, @unchecked Sendable {
            var day = 6
            var asked = 0
            func read() -> FEELDateTime? {
                asked += 1
                return FEELDateTime(
                    date: FEELDate(year: 2025, month: 1, day: day), time: FEELTime(hour: 0, minute: 0, second: 0))
            }
        }
        let clock = Clock()
        let environment = FEELEnvironment(clock: clock)
        let expression = try FEELExpression(#"x and today() = date("2025-01-07")"#, names: ["x"])
        #expect(
            expression.evaluate([.boolean(false)], environment: environment).typedJSONText
                == #"{"type":"boolean","value":false}"#)
        #expect(clock.asked == 0)
        #expect(
            expression.evaluate([.boolean(true)], environment: environment).typedJSONText
                == #"{"type":"boolean","value":false}"#)
        clock.day = 7
        #expect(
            expression.evaluate([.boolean(true)], environment: environment).typedJSONText
                == #"{"type":"boolean","value":true}"#)
        #expect(clock.asked == 2)
        var fixed = environment
        fixed.now = FEELDateTime(
            date: FEELDate(year: 2025, month: 1, day: 8), time: FEELTime(hour: 0, minute: 0, second: 0))
        #expect(fixed.clock == nil)
        #expect(
            expression.evaluate([.boolean(true)], environment: fixed).typedJSONText
                == #"{"type":"boolean","value":false}"#)
        #expect(clock.asked == 2)
    }

    /// A clock that gives its date apart from its date-time is read for `today()` by its date and for
    /// `now()` by its date-time, and both reads are counted as reads of the clock.
    @Test func todayReadsTheClocksDateAndNowItsDateTime() throws {
        final class Clock: FEELClock, @unchecked Sendable {
            var (dates, dateTimes) = (0, 0)
            func read() -> FEELDateTime? {
                dateTimes += 1
                return FEELDateTime(
                    date: FEELDate(year: 2025, month: 1, day: 6), time: FEELTime(hour: 23, minute: 0, second: 0))
            }
            func readDate() -> FEELDate? {
                dates += 1
                return FEELDate(year: 2025, month: 1, day: 7)
            }
        }
        let clock = Clock()
        let reads = FEELClockReads()
        let environment = FEELEnvironment(clockReads: reads, clock: clock)
        let today = try FEELExpression("today()")
        #expect(today.evaluate([], environment: environment).typedJSONText == #"{"type":"date","value":"2025-01-07"}"#)
        #expect((clock.dates, clock.dateTimes, reads.reads) == (1, 0, 1))
        let now = try FEELExpression("date(now())")
        #expect(now.evaluate([], environment: environment).typedJSONText == #"{"type":"date","value":"2025-01-06"}"#)
        #expect((clock.dates, clock.dateTimes, reads.reads) == (1, 1, 2))
    }

    /// A duration whose parts (up to 18 digits each) add up to more than 64 bits of seconds or
    /// months is null, in a literal or at run time, not a trap (found by FuzzFEEL: the first text
    /// stopped the process as the expression was compiled); the largest that fits is kept.
    @Test func aDurationTooLargeIsNullNotATrap() throws {
        for text in [
            "PT22222222222622444H1M", "P999999999999999999Y", "P106751991167300DT100000H",
            "-PT999999999999999999H", "P999999999999999999DT1S",
        ] {
            let call = try FEELExpression(#"duration("\#(text)")"#)
            #expect(call.evaluate([]).typedJSONText == #"{"type":"null"}"#, "\(text)")
            let late = try FEELExpression("duration(x)", names: ["x"])
            #expect(late.evaluate([.string(text)]).typedJSONText == #"{"type":"null"}"#, "\(text)")
        }
        let largest = try FEELExpression(#"duration("P106751991167300DT1H") > duration("P1D")"#)
        #expect(largest.evaluate([]).typedJSONText == #"{"type":"boolean","value":true}"#)
        let years = try FEELExpression(#"duration("P768614336404564650Y7M") > duration("P1Y")"#)
        #expect(years.evaluate([]).typedJSONText == #"{"type":"boolean","value":true}"#)
        // Arithmetic past 64 bits of months, or past the years FEEL writes, is null too.
        for text in [
            #"date("2025-01-01") + duration("P768614336404564650Y")"#,
            #"date("2025-01-01") - duration("P768614336404564650Y")"#,
            #"date and time("2025-01-01T00:00:00Z") + duration("P768614336404564650Y")"#,
            #"duration("P768614336404564650Y") + duration("P768614336404564650Y")"#,
            #"duration("-P768614336404564650Y") - duration("P768614336404564650Y")"#,
            #"date("2025-01-01") + duration("P106751991167300D")"#,
            #"date and time("2025-01-01T00:00:00Z") - duration("P106751991167300D")"#,
            #"date("999999999-12-01") + duration("P1M")"#,
        ] {
            #expect(try FEELExpression(text).evaluate([]).typedJSONText == #"{"type":"null"}"#, "\(text)")
        }
        let edge = try FEELExpression(#"date("999999999-11-01") + duration("P1M")"#)
        #expect(edge.evaluate([]).typedJSONText == #"{"type":"date","value":"999999999-12-01"}"#)
        // Eighteen digits of one part alone fit.
        for text in ["P999999999999999999M", "PT999999999999999999S"] {
            let call = try FEELExpression(#"duration("\#(text)") != null"#)
            #expect(call.evaluate([]).typedJSONText == #"{"type":"boolean","value":true}"#, "\(text)")
        }
    }

    @Test func runtimeProblemsGiveNullAndAWarning() throws {
        final class Sink: @unchecked Sendable {
            let lock = NSLock()
            var messages: [String] = []
        }
        let sink = Sink()
        let environment = FEELEnvironment(warnings: { m in
            sink.lock.lock()
            sink.messages.append(m)
            sink.lock.unlock()
        })
        #expect(try eval(#"upper case(5) + substring("a", "b")"#).isNull)
        #expect(try eval("x.y.z", ["x"], [number("1")]).isNull)
        #expect(try eval("x(1)", ["x"], [number("1")], environment: environment).isNull)
        #expect(try eval("upper case(x)", ["x"], [number("5")], environment: environment).isNull)
        #expect(sink.messages.count == 2)
        #expect(sink.messages[1].contains("upper case"))
        // Two arguments and three take their own paths through the compiler; both warn alike.
        #expect(try eval(#"substring(x, "b")"#, ["x"], [.string("a")], environment: environment).isNull)
        #expect(try eval(#"substring(x, "b", 1)"#, ["x"], [.string("a")], environment: environment).isNull)
        #expect(sink.messages.count == 4)
        #expect(sink.messages[2] == #"substring("a", "b") is null"#)
        #expect(sink.messages[3] == #"substring("a", "b", 1) is null"#)
        // A built-in written over its two arguments, which makes no array of them, warns alike too.
        #expect(
            try eval(#"working days between(x, "2025-01-10")"#, ["x"], [number("5")], environment: environment).isNull)
        #expect(sink.messages.count == 5)
        #expect(sink.messages[4] == #"working days between(5, "2025-01-10") is null"#)
    }

    @Test func syntaxErrorsArePositioned() {
        #expect(throws: FEELError.self) { try FEELExpression("1 +") }
        do {
            _ = try FEELExpression("a = 1 and\n  (b = )", names: ["a", "b"])
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 2)
            #expect(error.column == 8)
            #expect(error.offset == 17)
            #expect(error.message == "expected an expression but found ')'")
        }
        do {
            _ = try FEELExpression("facts.x > 1 and unknownn > 2", names: ["facts"])
            Issue.record("expected an error")
        } catch {
            #expect(error.column == 17)
            #expect(error.message.contains("unknownn"))
        }
    }

    @Test func externalFunctionsAreCalledByName() throws {
        let expression = try FEELExpression(#"absence level() = "severe""#, names: [], functionNames: ["absence level"])
        let environment = FEELEnvironment(functions: ["absence level": { _, _ in .string("severe") }])
        #expect(expression.evaluate([], environment: environment).typedJSONText.contains("true"))
    }

    @Test func workingDaysAndAgeUseTheCallersCalendar() throws {
        struct Weekdays: FEELWorkingDays {
            func addWorkingDays(_ date: FEELDate, _ n: Int) -> FEELDate {
                var d = date
                var left = n
                while left > 0 {
                    d = d.addingDays(1)
                    if d.isoWeekday <= 5 { left -= 1 }
                }
                return d
            }
            func workingDaysBetween(_ from: FEELDate, _ to: FEELDate) -> Int {
                var n = 0
                var d = from
                while d < to {
                    d = d.addingDays(1)
                    if d.isoWeekday <= 5 { n += 1 }
                }
                return n
            }
        }
        let environment = FEELEnvironment(workingDays: Weekdays())
        let added = try eval(#"add working days("2025-01-03", 1)"#, environment: environment)
        #expect(added.typedJSONText == #"{"type":"date","value":"2025-01-06"}"#)
        let between = try eval(
            #"working days between(date("2025-01-03"), date("2025-01-10"))"#, environment: environment)
        #expect(between.typedJSONText == #"{"type":"number","value":"5"}"#)
        // Named, in either order, the arguments reach the same two parameters.
        let named = try eval(
            #"working days between(to: date("2025-01-10"), from: date("2025-01-03"))"#, environment: environment)
        #expect(named.typedJSONText == between.typedJSONText)
        #expect(try eval(#"age("2013-05-01", date("2025-04-30"))"#).typedJSONText.contains(#""11""#))
    }

    @Test func iterationIsBounded() throws {
        #expect(try eval("count(for i in 1..100000000 return i)").isNull)
        #expect(throws: FEELError.self) { try FEELExpression(String(repeating: "(", count: 1000) + "1") }
    }
}
