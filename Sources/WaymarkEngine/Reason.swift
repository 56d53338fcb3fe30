import WaymarkFEEL
import WaymarkModel

/// Why a task was raised, kept as what made it so and put into words only when someone reads it.
///
/// Most tasks are done long before anyone reads their `because`, and writing a sentence of about
/// 400 bytes for each of them when it was raised was a quarter of the event path's time. What the words
/// need from the moment the task was raised (values of facts, how long the history was, which
/// tasks made a condition true) is captured here; the rest (titles, ids, dates of earlier events)
/// does not change and is read from the case when the words are written. The event behind a
/// reason is its history entry (16 bytes), from which its type, id and moment are read back: half
/// a million repeated reviews each kept a copy of them before.
indirect enum Reason: Sendable {
    /// `EVENT enrolled the case on PATHWAY`, because its condition held.
    case enrolled(HistoryItem, CompiledPathway, Explanation)
    /// `EVENT moved the case from STAGE to STAGE`, because the transition's condition held.
    case moved(HistoryItem, from: String, to: String, Explanation)
    /// `Rule R fired on EVENT`, because its condition held.
    case rule(CompiledRule, HistoryItem, Explanation)
    /// `Daily rule R became true on DAY`, because its condition held.
    case daily(CompiledRule, day: FEELDate, Explanation)
    /// Raised on entering a stage, for the reason the case entered it.
    case entered(CompiledPathway, stage: Int32, on: FEELDate, Reason)
    /// A `goto` that followed from another reason.
    case then(Reason, goto: String)
    /// The next occurrence of a repeating task, done on `doneOn` by `by`.
    case repeated(task: Int32, doneOn: FEELDate, by: HistoryItem)
    /// Already in words (rare paths, such as a stage deadline passing).
    case words(String)
    /// Let go when the task was done or cancelled, by an engine told no one will read it (see
    /// ``Engine/keepsFinishedTaskReasons``).
    case notKept
}

/// Where a condition is defined and what its explanation quotes: one per definition (an
/// enrolment, a transition, a rule), shared by every explanation of it.
final class ConditionSite: Sendable {
    /// The condition's text; nil for a definition without one.
    let source: String?
    let location: SourceLocation
    let plan: ExplainPlan?
    /// The zone in which the dates of earlier events are written (the definition's calendar).
    let zone: ZoneOffsets

    /// - Parameter tables: the definitions' decision tables, whose inputs are quoted when the
    ///   condition calls one (see ``ExplainPlan``).
    init(_ condition: Expression?, location: SourceLocation, zone: ZoneOffsets, tables: [DecisionTable]) {
        source = condition?.source
        self.location = location
        plan = condition.map { ExplainPlan($0.source, tables: tables) }
        self.zone = zone
    }
}

/// What a condition read when it held: the values of the facts and event fields its text names,
/// how much history there was, and the tasks that made it true on their own.
///
/// There is one for each firing whose condition held (465,000 in a run of a million events), so it
/// keeps only what the firing read; the rest is its ``ConditionSite``.
final class Explanation: Sendable {
    let site: ConditionSite
    let facts: [FEELValue?]
    /// nil when the event had no data (then nothing about it is said).
    let data: [FEELValue?]?
    let historyCount: Int
    /// nil unless the condition reads `case.tasks`.
    let witnesses: [(task: Int32, status: TaskStatus)]?

    init(
        site: ConditionSite, facts: [FEELValue?], data: [FEELValue?]?, historyCount: Int,
        witnesses: [(task: Int32, status: TaskStatus)]?
    ) {
        self.site = site
        self.facts = facts
        self.data = data
        self.historyCount = historyCount
        self.witnesses = witnesses
    }

    /// The explanation of a definition read without its condition, or that has none: where it is
    /// defined, and nothing read.
    convenience init(site: ConditionSite) {
        self.init(site: site, facts: [], data: nil, historyCount: 0, witnesses: nil)
    }

    var source: String? { site.source }
    var location: SourceLocation { site.location }
    var plan: ExplainPlan? { site.plan }
    var zone: ZoneOffsets { site.zone }
}
