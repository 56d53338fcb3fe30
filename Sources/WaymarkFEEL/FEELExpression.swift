import Synchronization

/// A syntax or static error in a FEEL text, positioned inside that text.
///
/// `line` and `column` are 1-based and count inside the expression text itself; the definitions
/// loader maps them back through the YAML scalar to the file.
public struct FEELError: Error, Sendable, Equatable {
    public var message: String
    /// UTF-8 offset of the offending token inside the expression text.
    public var offset: Int
    public var line: Int
    public var column: Int

    public init(message: String, offset: Int, line: Int, column: Int) {
        self.message = message
        self.offset = offset
        self.line = line
        self.column = column
    }
}

/// Working-day arithmetic supplied by the caller, so that FEEL stays free of calendar files.
public protocol FEELWorkingDays: Sendable {
    /// The `n`th working day strictly after `date`.
    func addWorkingDays(_ date: FEELDate, _ n: Int) -> FEELDate
    /// The number of working days `d` with `from < d <= to` (negative when `to < from`).
    func workingDaysBetween(_ from: FEELDate, _ to: FEELDate) -> Int
}

/// What an evaluation may see beyond its variables: the engine clock, the working-day calendar,
/// the caller's functions (decision tables) and where to report run-time problems.
///
/// The fields live in one shared, immutable box so that handing the environment to every
/// evaluation (and every nested function call) costs a single reference count rather than a copy
/// of a date-time, an existential, a dictionary and a closure; setters copy the box first.
public struct FEELEnvironment: Sendable {
    final class Storage: Sendable {
        let now: FEELDateTime?
        let workingDays: (any FEELWorkingDays)?
        let functions: [String: FEELExternalFunction]
        let warnings: (@Sendable (String) -> Void)?
        let clockReads: FEELClockReads?
        let clock: (any FEELClock)?

        init(
            now: FEELDateTime?, workingDays: (any FEELWorkingDays)?, functions: [String: FEELExternalFunction],
            warnings: (@Sendable (String) -> Void)?, clockReads: FEELClockReads?, clock: (any FEELClock)?
        ) {
            self.now = now
            self.workingDays = workingDays
            self.functions = functions
            self.warnings = warnings
            self.clockReads = clockReads
            self.clock = clock
        }

        func with(
            now: FEELDateTime?? = nil, workingDays: (any FEELWorkingDays)?? = nil,
            functions: [String: FEELExternalFunction]? = nil, warnings: (@Sendable (String) -> Void)?? = nil,
            clockReads: FEELClockReads?? = nil
        ) -> Storage {
            // A time set outright replaces the clock.
            Storage(
                now: now ?? self.now, workingDays: workingDays ?? self.workingDays,
                functions: functions ?? self.functions,
                warnings: warnings ?? self.warnings, clockReads: clockReads ?? self.clockReads,
                clock: now == nil ? clock : nil)
        }
    }

    private(set) var storage: Storage

    /// The value of `now()`, unless a ``clock`` is given; `today()` is its date. Never the wall clock
    /// inside the engine.
    public var now: FEELDateTime? {
        get { storage.now }
        set { storage = storage.with(now: .some(newValue)) }
    }
    public var workingDays: (any FEELWorkingDays)? {
        get { storage.workingDays }
        set { storage = storage.with(workingDays: .some(newValue)) }
    }
    /// Functions called by name, such as decision tables; the expression must have been compiled
    /// with their names in `functionNames`.
    public var functions: [String: FEELExternalFunction] {
        get { storage.functions }
        set { storage = storage.with(functions: newValue) }
    }
    /// Receives a message for each run-time problem that made a value null (a function called with
    /// the wrong types, a path on a non-context), when the caller wants to record them.
    public var warnings: (@Sendable (String) -> Void)? {
        get { storage.warnings }
        set { storage = storage.with(warnings: .some(newValue)) }
    }
    /// Counts the calls of `now()` and `today()`, when the caller wants to know whether a value
    /// depended on the clock at all: an evaluation that never read it gives the same value on any day.
    public var clockReads: FEELClockReads? {
        get { storage.clockReads }
        set { storage = storage.with(clockReads: .some(newValue)) }
    }

    /// Where `now()` and `today()` read the time instead of ``now``, when the caller gives one.
    public var clock: (any FEELClock)? { storage.clock }

    /// The clock, as `now()` and `today()` read it: counted when the caller asked.
    var readClock: FEELDateTime? {
        storage.clockReads?.record()
        if let clock = storage.clock { return clock.read() }
        return storage.now
    }

    /// The date of the clock, as `today()` reads it: counted as ``readClock`` is.
    var readToday: FEELDate? {
        storage.clockReads?.record()
        if let clock = storage.clock { return clock.readDate() }
        return storage.now?.date
    }

    public init(
        now: FEELDateTime? = nil, workingDays: (any FEELWorkingDays)? = nil,
        functions: [String: FEELExternalFunction] = [:], warnings: (@Sendable (String) -> Void)? = nil,
        clockReads: FEELClockReads? = nil, clock: (any FEELClock)? = nil
    ) {
        storage = Storage(
            now: now, workingDays: workingDays, functions: functions, warnings: warnings, clockReads: clockReads,
            clock: clock)
    }

    init(storage: Storage) { self.storage = storage }

    /// The environment of calls that pass none: shared, so that default arguments allocate nothing.
    public static let empty = FEELEnvironment()
}

/// The time `now()` and `today()` read, when the caller moves it between evaluations given the same
/// environment: the engine evaluates a case's conditions at each of its events and timers, and
/// most never read the clock, so making a new environment and a FEEL date-time for every moment was
/// wasted work. The reading is asked for only when an expression calls `now()` or `today()`.
public protocol FEELClock: AnyObject, Sendable {
    /// The current time as FEEL sees it, or nil for none.
    func read() -> FEELDateTime?

    /// The date of ``read()``, which is what `today()` asks for. A clock that can give the date
    /// without making the date-time says so here (see the default).
    func readDate() -> FEELDate?
}

extension FEELClock {
    /// The date of the date-time ``read()`` gives.
    public func readDate() -> FEELDate? { read()?.date }
}

/// A counter of clock reads shared by every evaluation given the same environment (nested calls,
/// decision tables), so the engine can tell a daily condition that did not look at the date from one
/// that did, and stop re-checking the first kind until its case changes.
public final class FEELClockReads: Sendable {
    private let count = Atomic<Int>(0)

    public init() {}

    /// How many times `now()` or `today()` has been evaluated.
    public var reads: Int { count.load(ordering: .relaxed) }

    func record() { count.add(1, ordering: .relaxed) }
}

/// A FEEL expression parsed and checked once, evaluated many times.
///
/// Compilation resolves every name to a slot and every built-in call to its implementation, and
/// produces a tree of closures; evaluation runs the closures over an array of values.
public struct FEELExpression: Sendable {
    /// The source text, as written.
    public let source: String
    /// The names of the variables, in the order `evaluate(_:environment:)` takes their values.
    public let names: [String]
    let code: FEELCode
    let slotCount: Int
    /// The value, when the expression has no names and only pure calls (`"severe"`, `-1`): a
    /// decision table returns such an output without evaluating anything.
    let constant: FEELValue?
    /// When the expression is a variable or a path into one (`facts.school.attendance`): the
    /// variable's index in `names` and the entry names, which a decision table reads without a frame.
    let path: (slot: Int, keys: [FEELKey])?
    /// When the whole expression is `path op number` (`facts.school.attendance <= 0.9`): evaluated
    /// straight over the caller's values, without copying them into a frame or calling a closure,
    /// which were more than a third of its cost.
    let pathComparison: FEELPathComparison?
    /// How the value can move as the clock advances with nothing else changed (see ``FEELTimeTrend``).
    public let timeTrend: FEELTimeTrend
    /// The parsed text, kept for analyses a caller asks for once (``entryRequirement(onList:)``).
    let tree: FEELNode?

    /// Parses and compiles `source`, resolving `names` (which may contain spaces) ahead of time.
    ///
    /// - Parameter functionNames: functions the caller supplies through `FEELEnvironment.functions`
    ///   (decision tables), whose names may contain spaces.
    /// - Throws: `FEELError` at the offending token for a syntax error, an unknown name or function,
    ///   a malformed temporal literal or a built-in called with the wrong number of arguments.
    public init(_ source: String, names: [String] = [], functionNames: [String] = []) throws(FEELError) {
        self.source = source
        self.names = names
        var parser = try FEELParser(source, names: names, functionNames: functionNames)
        let tree = try parser.parseAll()
        var compiler = FEELCompiler(bytes: parser.lexer.bytes, names: names, functionNames: functionNames)
        constant = try compiler.constantValue(tree)
        path = compiler.variablePath(tree).map { ($0.slot, $0.names.map(FEELKey.init)) }
        pathComparison = compiler.pathComparison(tree)
        timeTrend = FEELTrendAnalysis(externals: Set(functionNames)).trend(tree)
        self.tree = tree
        code = try compiler.compile(tree)
        slotCount = compiler.slotCount
    }

    /// Evaluates with one value per name in `names`, in the same order; missing values are null.
    public func evaluate(_ values: [FEELValue], environment: FEELEnvironment = .empty) -> FEELValue {
        if let pathComparison, pathComparison.slot < values.count {
            return values.withUnsafeBufferPointer { pathComparison.evaluate($0) }
        }
        var slots = values
        if slots.count != slotCount {
            if slots.count > slotCount {
                slots.removeLast(slots.count - slotCount)
            } else {
                slots.append(contentsOf: repeatElement(.null, count: slotCount - slots.count))
            }
        }
        var frame = FEELFrame(slots: slots, environment: environment)
        return code(&frame)
    }

    /// Evaluates as ``evaluate(_:environment:)`` does, making the frame of an expression with local
    /// names (`some t in case.tasks satisfies …`) in `scratch` rather than in a new array.
    ///
    /// Such a frame holds the caller's values and a slot for each local name. Made anew, it was an
    /// allocation, a copy through the array's general path and a release: about a thousand
    /// instructions for each evaluation of a daily rule over a case's tasks. A caller that evaluates
    /// often keeps one `scratch` and passes it each time: its storage is reused once it has grown to
    /// the largest frame. It holds the last frame's values until the next evaluation.
    public func evaluate(
        _ values: [FEELValue], reusing scratch: inout [FEELValue], environment: FEELEnvironment = .empty
    ) -> FEELValue {
        guard pathComparison == nil, values.count < slotCount else { return evaluate(values, environment: environment) }
        // Resized only when the last frame was another size; then set slot by slot, as emptying and
        // refilling it went through the array's general paths (about 1,400 instructions).
        if scratch.count < slotCount {
            scratch.append(contentsOf: repeatElement(.null, count: slotCount - scratch.count))
        } else if scratch.count > slotCount {
            scratch.removeLast(scratch.count - slotCount)
        }
        scratch.withUnsafeMutableBufferPointer { slots in
            for i in values.indices { slots[i] = values[i] }
            for i in values.count..<slots.count { slots[i] = .null }
        }
        var frame = FEELFrame(slots: [], environment: environment)
        swap(&frame.slots, &scratch)
        let value = code(&frame)
        swap(&frame.slots, &scratch)
        return value
    }
}
