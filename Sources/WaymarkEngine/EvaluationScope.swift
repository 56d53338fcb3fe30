import WaymarkFEEL

/// What the evaluations of one case's handling share: the values of `event`, `case`, `facts` and
/// `task` of the evaluation under way, the decision tables as FEEL functions over them, and the count
/// of clock reads.
///
/// A table's inputs read the caller's scope, so a table called from a condition is evaluated over
/// that condition's values. Made for each evaluation (a dictionary of closures, made again for each
/// call for the tables a table may call, and a new environment), they cost more than many of the
/// conditions themselves; made once, the functions read the values from here, which
/// ``CaseState/evaluateCaching(_:_:task:_:filterTasks:)`` sets before each evaluation.
///
/// `@unchecked Sendable`: it is mutable, and it belongs to one case's handling scratch, which only
/// the thread running that case reaches; a copy of the scratch for another copy of the case makes
/// its own (see ``HandlingScratchBox``).
final class EvaluationScope: @unchecked Sendable {
    /// `event`, `case`, `facts` and `task`, in the order of `Expression.scopeNames`.
    ///
    /// Unchecked: only the thread running the case reaches it (see above); the run-time check on
    /// each of the four writes and the read of every evaluation was 1.8% of a run's instructions.
    @exclusivity(unchecked) var values: [FEELValue] = [.null, .null, .null, .null]
    /// How deeply table calls are nested: a chain deeper than 8 (a table that calls itself) gives
    /// null instead of recursing.
    private var depth = 0
    /// Counts `now()` and `today()`: a daily rule whose evaluation did not read them has the same value
    /// on any day (see ``CaseState/runDaily(_:)``).
    let clockReads = FEELClockReads()

    /// The tables as FEEL functions over this scope's values.
    ///
    /// The closures hold the scope, so the scope must not hold them: kept here, they made a cycle,
    /// and every case's last scope (with the values of its last evaluation) outlived it, 38 MB in a
    /// run of 150,000 events. The handling scratch keeps them (see ``CaseState/evaluationScope(_:tables:)``).
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
