import Testing

@testable import WaymarkFEEL

/// Which expressions are a function of a task's definition alone. A wrong yes would give every task
/// of one definition the value the first one had, so anything that may read more must be a no.
@Suite struct FEELEntryDependenceTests {
    static let names = ["event", "case", "facts", "task"]
    static let entries: [String: Set<String>] = ["task": ["key", "pathway"]]
    static let functions: Set<String> = ["list contains", "not"]

    static func readsOnly(_ source: String) throws -> Bool {
        try FEELExpression(source, names: names).readsOnly(entries, calling: functions)
    }

    @Test(arguments: [
        #"task.key = "hold-fgc" and task.pathway = "right-balance""#,
        #"list contains(["review", "cin-review"], task.key)"#,
        #"not(task.key = "a") or task.pathway in ("x", "y")"#,
        #"if task.key = "a" then 1 else 2"#,
        #"task.key between "a" and "m""#,
        #"true"#,
    ])
    func findsExpressionsOnTheGivenEntries(source: String) throws {
        #expect(try Self.readsOnly(source))
    }

    @Test(arguments: [
        // Another entry, another root, the root whole, a function not vouched for, the clock.
        #"task.status = "overdue""#,
        #"task.key = "a" and task.due < today()"#,
        #"event.type = "task.overdue" and task.key = "a""#,
        #"task = null"#,
        #"get value(task, "key") = "a""#,
        #"string length(task.key) > 3"#,
        #"task.key = "a" and facts.flag"#,
        // Names brought into scope, which could stand for anything.
        #"some k in ["a"] satisfies k = task.key"#,
        #"for k in ["a"] return task.key"#,
        #"["a", "b"][item = task.key] != []"#,
        #"{k: task.key, same: k = "a"}.same"#,
    ])
    func refusesAnythingThatMayReadMore(source: String) throws {
        #expect(try !Self.readsOnly(source))
    }
}
