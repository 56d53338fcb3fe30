/// The `because` of a report's tasks and alerts, kept as where to find each reason until it is
/// written.
///
/// Put into words, a reason is a few hundred bytes: for the open tasks and alerts of 100,000 cases
/// that was about 200 MB held at once, the largest part of `waymark run`'s peak memory. Kept as two
/// numbers per record, each is written as its batch of records is, and let go with it.
struct DeferredReasons: Sendable {
    /// A task or alert of a case, by the engine's case number and its index in the case.
    struct Ref: Sendable {
        var caseIndex: Int32
        var index: Int32
    }

    /// Parallel to the report's `tasks` and `alerts`.
    var tasks: [Ref]
    var alerts: [Ref]
    /// Holds the engine's cases as they were when the report was made (a value, so later events do
    /// not change them).
    let engine: Engine

    func words(_ ref: Ref) -> String {
        engine.cases[Int(ref.caseIndex)].because(Int(ref.index))
    }

    func words(alert ref: Ref) -> String {
        engine.cases[Int(ref.caseIndex)].alertBecause(Int(ref.index))
    }
}
