import Foundation
import Testing
import WaymarkTestSupport

@testable import WaymarkFEEL

/// Which conditions over a list may be given only the elements with one entry value: a wrong answer
/// would hide a task from a condition that counts or inspects every task, so anything the search
/// cannot be sure of must give nil.
@Suite struct FEELEntryRequirementTests {
    static let names = ["event", "case", "facts", "task"]

    static func requirement(_ source: String) throws -> FEELEntryRequirement? {
        try FEELExpression(source, names: names).entryRequirement(onList: ["case", "tasks"])
    }

    @Test(arguments: [
        #"some t in case.tasks satisfies t.status = "overdue" and working days between(t.due, today()) > 5"#,
        #"some t in case.tasks satisfies t.key != "review" and t.status = "overdue""#,
        #"not(some t in case.tasks satisfies "overdue" = t.status and t.due < today())"#,
        #"case.id = "C1" and (some t in case.tasks satisfies t.status = "overdue")"#,
        #"(some t in case.tasks satisfies t.status = "overdue") or (some u in case.tasks satisfies u.status = "overdue" and u.role = "x")"#,
    ])
    func findsTheStatusEveryUseRequires(source: String) throws {
        #expect(try Self.requirement(source) == FEELEntryRequirement(key: "status", value: "overdue"))
    }

    @Test(arguments: [
        // The list used another way, or the quantifier not a `some` over a conjunction with the term.
        #"count(case.tasks) > 3"#,
        #"some t in case.tasks satisfies t.status = "overdue" or t.due < today()"#,
        #"every t in case.tasks satisfies t.status = "overdue""#,
        #"some t in case.tasks satisfies t.status != "overdue""#,
        #"some t in case.tasks satisfies not(t.status = "overdue")"#,
        #"some t in case.tasks[status = "overdue"] satisfies true"#,
        #"(some t in case.tasks satisfies t.status = "overdue") and count(case.tasks) = 1"#,
        #"(some t in case.tasks satisfies t.status = "overdue") or (some t in case.tasks satisfies t.status = "open")"#,
        #"some t in case.tasks satisfies t.status = "overdue" and count(case.tasks) > 1"#,
        #"some t in case.tasks, u in case.tasks satisfies t.status = "overdue""#,
        #"get value(case, "tasks") = null"#,
        #"some c in [case] satisfies count(c.tasks) > 0"#,
        #"some t in case.tasks satisfies t.status = "überfällig""#,
        #"facts.x = 1"#,
    ])
    func givesUpOnAnythingElse(source: String) throws {
        #expect(try Self.requirement(source) == nil)
    }

    /// The claim behind the search, checked by evaluation: over lists of tasks in every mix of
    /// statuses, the expression gives the same value on the whole list as on the passing elements.
    @Test func theFilteredListGivesTheSameValue() throws {
        let sources = [
            #"some t in case.tasks satisfies t.status = "overdue" and t.due < @"2025-01-10""#,
            #"not(some t in case.tasks satisfies t.key != "review" and t.status = "overdue")"#,
            #"(some t in case.tasks satisfies t.status = "overdue" and t.key = "a") or facts.flag = true"#,
        ]
        let statuses = ["open", "overdue", "done", "cancelled"]
        var numbers = SeededSequence(seed: 7)
        func next(_ bound: Int) -> Int { numbers.next(below: bound) }
        for source in sources {
            let expression = try FEELExpression(source, names: Self.names)
            let requirement = try #require(expression.entryRequirement(onList: ["case", "tasks"]))
            for _ in 0..<200 {
                let tasks: [FEELValue] = (0..<next(6)).map { _ in
                    .context(
                        FEELContext([
                            ("key", .string(["a", "b", "review"][next(3)])),
                            ("status", .string(statuses[next(4)])),
                            ("due", .date(FEELDate(year: 2025, month: 1, day: 1 + next(20)))),
                        ]))
                }
                let passing = tasks.filter {
                    if case .context(let c) = $0, case .string(let s)? = c[requirement.key] {
                        s == requirement.value
                    } else {
                        false
                    }
                }
                func value(_ list: [FEELValue]) -> String {
                    let scope: [FEELValue] = [
                        .null, .context(FEELContext([("tasks", .list(list))])),
                        .context(FEELContext([("flag", .boolean(false))])), .null,
                    ]
                    return "\(expression.evaluate(scope))"
                }
                #expect(value(tasks) == value(passing), "\(source)")
            }
        }
    }

    /// Which conditions are false, without evaluation, when the list holds nothing: the engine then
    /// skips them, so a wrong yes would hide an alert from a condition that holds of an empty list.
    @Test(arguments: [
        (#"some t in case.tasks satisfies t.status = "overdue" and t.due < today()"#, true),
        (#"facts.x = 1 and (some t in case.tasks satisfies t.status = "overdue")"#, true),
        (#"(some t in case.tasks satisfies t.status = "overdue") and facts.x = 1"#, true),
        (#"not(some t in case.tasks satisfies t.status = "overdue")"#, false),
        (#"(some t in case.tasks satisfies t.status = "overdue") or facts.x = 1"#, false),
        (#"every t in case.tasks satisfies t.status = "overdue""#, false),
        (#"some t in case.tasks, u in [1] satisfies t.status = "overdue""#, false),
        (#"some t in case.history satisfies t.status = "overdue""#, false),
        (#"some t in [1, 2] satisfies t > 1"#, false),
        (#"if facts.x = 1 then (some t in case.tasks satisfies t.status = "overdue") else true"#, false),
        (#"count(case.tasks) = 0"#, false),
    ])
    func tellsWhichConditionsAreFalseOnAnEmptyList(source: String, falseWhenEmpty: Bool) throws {
        let expression = try FEELExpression(source, names: Self.names)
        #expect(expression.isFalseWhenEmpty(list: ["case", "tasks"]) == falseWhenEmpty)
    }

    /// The claim checked by evaluation: every condition said to be false on an empty list is false
    /// on one, whatever the facts.
    @Test func aConditionSaidFalseOnAnEmptyListIsFalseOnOne() throws {
        let sources = [
            #"some t in case.tasks satisfies t.status = "overdue" and t.due < @"2025-01-10""#,
            #"facts.flag = true and (some t in case.tasks satisfies t.status = "overdue")"#,
            #"(some t in case.tasks satisfies t.status = "overdue") and facts.flag"#,
            #"(some t in case.tasks satisfies t.status = "overdue") and null"#,
        ]
        for source in sources {
            let expression = try FEELExpression(source, names: Self.names)
            #expect(expression.isFalseWhenEmpty(list: ["case", "tasks"]), "\(source)")
            for flag: FEELValue in [.boolean(true), .boolean(false), .null, .string("x")] {
                let scope: [FEELValue] = [
                    .null, .context(FEELContext([("tasks", .list([]))])), .context(FEELContext([("flag", flag)])),
                    .null,
                ]
                let value = expression.evaluate(scope)
                var isFalse = false
                if case .boolean(false) = value { isFalse = true }
                #expect(isFalse, "\(source) with flag \(flag) gave \(value)")
            }
        }
    }

    static func types(_ source: String) throws -> Set<String>? {
        try FEELExpression(source, names: names).entryValues(of: "type", onList: ["case", "history"])
    }

    /// The `type` values of `case.history` an expression can read: what decides which emitted events a
    /// case's history must keep.
    @Test(arguments: [
        (
            #"count(case.history[type = "crisis.presented" and at >= event.at - duration("P3M")]) >= 3"#,
            ["crisis.presented"]
        ),
        (
            #"some r in case.history[type = "referral.received"] satisfies r.date >= event.date - duration("P12M")"#,
            ["referral.received"]
        ),
        (#"some h in case.history satisfies h.type = "task.raised" and h.at > event.at"#, ["task.raised"]),
        (#"count(case.history[item.type = "a"]) + count(case.history["b" = type])"#, ["a", "b"]),
        (#"facts.x = 1 and case.id = "C1""#, []),
    ])
    func findsTheTypesEveryUseOfTheHistoryReads(source: String, types: [String]) throws {
        #expect(try Self.types(source) == Set(types))
    }

    @Test(arguments: [
        #"count(case.history) > 3"#,
        #"count(case.history[type != "referral.received"]) > 0"#,
        #"count(case.history[type = "a" or type = "b"]) > 0"#,
        #"every h in case.history satisfies h.type = "a""#,
        #"some h in case.history satisfies h.at > event.at"#,
        #"count(case.history[status = "a"]) > 0"#,
        #"for h in case.history return h.type"#,
        #"get value(case, "history") = null"#,
        #"case.history[1].type = "a""#,
    ])
    func givesUpOnAnyOtherUseOfTheHistory(source: String) throws {
        #expect(try Self.types(source) == nil)
    }
}
