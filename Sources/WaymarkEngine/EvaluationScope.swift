import WaymarkFEEL
import WaymarkModel

/// What the evaluations of one case's handling share: the values of `event`, `case`, `facts` and
/// `task` of the evaluation under way, the decision tables as FEEL functions over them, the FEEL
/// environment, the clock it reads, and the count of clock reads.
///
/// A table's inputs read the caller's scope, so a table called from a condition is evaluated over
/// that condition's values. Made for each evaluation (a dictionary of closures, made again for each
/// call for the tables a table may call, and a new environment), they cost more than many of the
/// conditions themselves. Here the functions are made once a run calls a table, the environment
/// once per run (a new moment only moves ``clock``), and the functions read the values from
/// ``bindings``, which
/// ``CaseState/evaluateCaching(_:_:task:_:filterTasks:)`` sets before each evaluation.
///
/// One scope serves every case that a thread runs in one call of the engine, one case after another
/// (see ``CaseState/run(to:_:sharing:)``): nothing in it belongs to a case beyond the evaluation
/// under way, since every evaluation sets all of ``bindings`` first, and the functions and
/// environment depend only on the definitions and the calendar.
///
/// `@unchecked Sendable`: it is mutable, and it belongs to one case's handling scratch, which only
/// the thread running that case reaches; a copy of the scratch for another copy of the case makes
/// its own (see ``HandlingScratchBox``).
final class EvaluationScope: @unchecked Sendable {
    /// The values the table functions read. Apart from the scope, which keeps the functions: a
    /// closure holds what it reads, and when the scope held both, every case's last scope outlived
    /// its run (38 MB in a run of 150,000 events).
    let bindings = ScopeBindings()
    /// Counts `now()` and `today()`: a daily rule whose evaluation did not read them has the same value
    /// on any day (see ``CaseState/runDaily(_:)``).
    let clockReads = FEELClockReads()
    /// The moment `now()` reads; set for each evaluation, where the environment stays.
    let clock = MomentClock()
    /// The frame of the evaluation under way when its expression has local names (see
    /// `FEELExpression.evaluate(_:reusing:environment:)`). Unchecked, as ``ScopeBindings/values`` is.
    @exclusivity(unchecked) var frameSlots: [FEELValue] = []
    // Unchecked, as ``ScopeBindings/values`` is.
    @exclusivity(unchecked) private var functions: [String: FEELExternalFunction]?
    @exclusivity(unchecked) private var environment = FEELEnvironment.empty
    @exclusivity(unchecked) private var calendar: ObjectIdentifier?

    /// The values of expressions that read only what a task has from its definition, by expression
    /// and ``TaskSpec`` (see ``ScopeNeeds/staticTask``). Each entry holds its expression and spec, so
    /// that neither identity can be reused by another object while the value is kept.
    @exclusivity(unchecked) private var staticTaskValues: [StaticTaskKey: StaticTaskValue] = [:]

    struct StaticTaskKey: Hashable {
        let expression: ObjectIdentifier
        let spec: ObjectIdentifier
    }

    struct StaticTaskValue {
        let expression: Expression
        let spec: TaskSpec
        let value: FEELValue
    }

    /// The value kept for `expr` on tasks of `spec`, if it has been evaluated on one.
    func staticTaskValue(_ expr: Expression, _ spec: TaskSpec) -> FEELValue? {
        staticTaskValues[StaticTaskKey(expression: expr.identity, spec: ObjectIdentifier(spec))]?.value
    }

    func keepStaticTaskValue(_ value: FEELValue, _ expr: Expression, _ spec: TaskSpec) {
        staticTaskValues[StaticTaskKey(expression: expr.identity, spec: ObjectIdentifier(spec))] =
            StaticTaskValue(expression: expr, spec: spec, value: value)
    }

    /// Lets go of the values of the last evaluation, as a case's run ends.
    func letGo() {
        for i in bindings.values.indices { bindings.values[i] = .null }
        frameSlots.removeAll(keepingCapacity: true)
    }

    /// The environment of evaluations at `now` in `calendar`'s zone, with the decision tables of
    /// `definitions` as functions when `tables` asks for them (most runs of a case call none). Made
    /// again only when the calendar changes or the tables are first asked for; a new moment only
    /// moves ``clock``.
    func environment(
        at now: Moment, _ calendar: CalendarInfo, tables: Bool, of definitions: EngineDefinitions?
    ) -> FEELEnvironment {
        let key = ObjectIdentifier(calendar)
        if key == self.calendar, functions != nil || !tables {
            clock.set(now)
            return environment
        }
        if tables, functions == nil { functions = bindings.functions(definitions?.newest.feelTables ?? []) }
        environment = FEELEnvironment(
            workingDays: calendar.workingDays, functions: functions ?? [:], clockReads: clockReads, clock: clock)
        clock.reset(now, in: calendar.zone)
        self.calendar = key
        return environment
    }
}

/// The moment of the evaluation under way, made a FEEL date-time only when a condition reads it.
/// Made with a new environment for every event and timer of a case, it cost about 1,000
/// instructions each time, for the one rule of the twelve shipped that reads the date.
///
/// `@unchecked Sendable`, as ``EvaluationScope`` is.
final class MomentClock: FEELClock, @unchecked Sendable {
    @exclusivity(unchecked) private var moment = Moment.distantPast
    @exclusivity(unchecked) private var zone = ZoneOffsets.utc
    @exclusivity(unchecked) private var reading: FEELDateTime?
    @exclusivity(unchecked) private var date: FEELDate?

    /// Moves the clock to `moment`, in the zone it was last reset to.
    func set(_ moment: Moment) {
        guard moment != self.moment else { return }
        self.moment = moment
        (reading, date) = (nil, nil)
    }

    /// Moves the clock to `moment` in `zone`.
    func reset(_ moment: Moment, in zone: ZoneOffsets) {
        (self.moment, self.zone, reading, date) = (moment, zone, nil, nil)
    }

    func read() -> FEELDateTime? {
        if let reading { return reading }
        let now = moment.feelDateTime(in: zone)
        reading = now
        return now
    }

    /// The day alone, for `today()`: a daily rule's look-ahead moves the clock a day at a time and
    /// reads only the date, and making a date-time for each day (its time, its offset, and copies of
    /// both) was about 600 of the 900 instructions of each call.
    func readDate() -> FEELDate? {
        if let date { return date }
        let day = reading?.date ?? zone.date(of: moment)
        date = day
        return day
    }
}

/// `event`, `case`, `facts` and `task` of the evaluation under way, as the decision tables called
/// from it read them (see ``EvaluationScope``).
final class ScopeBindings: @unchecked Sendable {
    /// In the order of `Expression.scopeNames`.
    ///
    /// Unchecked: only the thread running the case reaches it (see ``EvaluationScope``); the run-time
    /// check on each of the four writes and the read of every evaluation was 1.8% of a run's
    /// instructions.
    @exclusivity(unchecked) var values: [FEELValue] = [.null, .null, .null, .null]
    /// How deeply table calls are nested: a chain deeper than 8 (a table that calls itself) gives
    /// null instead of recursing.
    @exclusivity(unchecked) private var depth = 0

    /// The tables as FEEL functions over these values.
    func functions(_ tables: [(name: String, table: FEELDecisionTable)]) -> [String: FEELExternalFunction] {
        var functions: [String: FEELExternalFunction] = [:]
        // The closures capture the list and an index, not a table: a captured table would be copied
        // into every closure, field by field, each time a condition calls one.
        for i in tables.indices where functions[tables[i].name] == nil {
            functions[tables[i].name] = { _, environment in
                guard self.depth < 8 else { return .null }
                self.depth += 1
                defer { self.depth -= 1 }
                return tables[i].table.evaluate(self.values, environment: environment)
            }
        }
        return functions
    }
}
