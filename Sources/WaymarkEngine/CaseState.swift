import WaymarkFEEL
import WaymarkModel

/// The event types the engine emits itself; rules and history see them like input events.
enum EmittedType: UInt8, Sendable, CaseIterable {
    case stageEntered, stageExited, stageBreached, taskRaised, taskDone, taskOverdue, taskCancelled, alertRaised

    var name: String {
        switch self {
        case .stageEntered: "stage.entered"
        case .stageExited: "stage.exited"
        case .stageBreached: "stage.breached"
        case .taskRaised: "task.raised"
        case .taskDone: "task.done"
        case .taskOverdue: "task.overdue"
        case .taskCancelled: "task.cancelled"
        case .alertRaised: "alert.raised"
        }
    }
}

/// An entry of a case's history, kept small: input events point into the case's event list and
/// emitted ones at the task, stage or alert they are about, so their FEEL form is built only when
/// an expression reads `case.history`.
///
/// A case's history holds about five entries for each input event (a million events made five
/// million entries), so its size counts: the payload is ordered widest first and the stage is 16
/// bits (the definitions loader refuses a pathway with more stages), which makes an entry 16
/// bytes rather than 24.
enum HistoryItem: Sendable {
    case input(Int32)
    /// `subject` is a task or alert index, or an enrolment index with `stage` for stage events.
    case emitted(at: Moment, subject: Int32, stage: Int16, EmittedType)
}

/// What a case is handling: an input event or an emitted one.
struct Trigger: Sendable {
    /// The input event's id; empty for an emitted event, whose id is made only when something reads
    /// it (see ``CaseState/triggerID(_:)``).
    var id: String
    var type: String
    var at: Moment
    var data: FEELContext?
    var facts: FEELContext?
    var history: HistoryItem
    /// For task events: the task they are about (bound to `task` in FEEL).
    var task: Int?
    /// How many emitted events led to this one (0 for an input event).
    var depth: Int
}

/// One enrolment of the case on a pathway version.
struct EnrolmentState: Sendable {
    /// Index into the engine's definitions versions (the version it was opened on).
    var version: Int32
    var pathway: Int32
    var stage: Int32
    var since: Moment
    var opened: Moment
    var closed: Moment?
    /// How many stage entries so far; a breach timer fires only for the entry that set it.
    var entries: Int32
}

/// One raised task: a reference to what it shares with its template, and its own few facts.
///
/// A case keeps every task it ever raised (a million events raised 1.3 million), so the fields are
/// ordered widest first, the stage index is 16 bits (as in ``HistoryItem``) and "not done" is a
/// moment no event can have: 48 bytes a task rather than 64.
struct TaskState: Sendable {
    var spec: TaskSpec
    var raised: Moment
    /// When it was done; `Moment.distantPast` while it is not (see `done`).
    private var doneAt: Moment
    /// Why it was raised; shared by every task raised for the same reason, the spec's suffix is
    /// added when it is printed.
    var reason: Reason
    /// The enrolment it belongs to, or -1 (a rule's task without a pathway).
    var enrolment: Int32
    /// Its number among the case's tasks with the same id prefix (1, 2, ...).
    var occurrence: Int32
    var dueDay: Int32
    /// The stage index it belongs to within its pathway, or -1.
    var stageIndex: Int16
    var status: TaskStatus

    init(
        spec: TaskSpec, enrolment: Int32, stageIndex: Int16, occurrence: Int32, dueDay: Int32, status: TaskStatus,
        raised: Moment, done: Moment?, reason: Reason
    ) {
        self.spec = spec
        self.raised = raised
        self.doneAt = done ?? .distantPast
        self.reason = reason
        self.enrolment = enrolment
        self.occurrence = occurrence
        self.dueDay = dueDay
        self.stageIndex = stageIndex
        self.status = status
    }

    var done: Moment? {
        get { doneAt == .distantPast ? nil : doneAt }
        set { doneAt = newValue ?? .distantPast }
    }

    /// Open or overdue: what `--open` lists.
    ///
    /// In a loop over a case's tasks, ask `tasks[ti].status.isOpen`: through this property the
    /// compiler copies the whole task out first, a retain and a release of its spec and reason (4.6
    /// million of each for 150,000 events in the loop that looks for tasks an event completes).
    var isOpen: Bool { status.isOpen }

    var template: TaskTemplate { spec.template }
    var calendar: CalendarInfo { spec.calendar }
    var pathway: String? { spec.pathway }
    var stage: String? { spec.stage }
    var due: FEELDate { FEELDate(dayNumber: Int(dueDay)) }
}

/// An alert as the engine keeps it: its `because` is put into words when it is read (see ``Reason``),
/// and its id when it is asked for (see ``CaseState/alertID(_:)``).
struct AlertState: Sendable {
    var site: AlertSite
    var at: Moment
    /// The message as written when the alert was raised; empty if it is written when read (read it
    /// with ``CaseState/alertMessage(_:)``).
    var writtenMessage: String
    var reason: Reason
    /// The event id, or the day of a daily rule, that the id is made of.
    var triggerKey: String
    /// 1 for the first alert of its site and trigger key, 2 and up for more (written `#2`).
    var occurrence: Int32
    /// Its rule's id holds neither `/` nor `#`, and its trigger key no `#` (see
    /// ``CaseState/alertOccurrence(_:triggerKey:keyIsPlain:)``); in room that was padding.
    var idIsPlain: Bool

    var rule: String { site.rule }
    var severity: AlertSeverity { site.severity }
    var location: SourceLocation { site.location }
}

extension CaseState {
    /// The message of alert `i`: written when it was raised, or now from the case id (see
    /// ``AlertSite/textAroundCaseID``).
    func alertMessage(_ i: Int) -> String {
        let a = alerts[i]
        return a.site.textAroundCaseID?.joined(separator: id) ?? a.writtenMessage
    }

    /// The id of alert `i`: `CASE/RULE/TRIGGER`, with `#2` and up for more of them. Made when asked
    /// for (by the report, `case.alerts`-style FEEL reads and the history), not kept in each alert.
    func alertID(_ i: Int) -> String {
        Self.alertID(alerts[i], caseID: id)
    }

    /// The id of alert `a` of case `caseID`.
    static func alertID(_ a: AlertState, caseID: String) -> String {
        let base = "\(caseID)/\(a.rule)/\(a.triggerKey)"
        return a.occurrence == 1 ? base : "\(base)#\(a.occurrence)"
    }
}

/// Parts of a case's state, for telling which daily conditions a change can affect.
struct CaseParts: OptionSet, Sendable {
    let rawValue: UInt8

    static let facts = CaseParts(rawValue: 1)
    static let tasks = CaseParts(rawValue: 2)
    static let history = CaseParts(rawValue: 4)
    /// Anything else of `case`: enrolments and stages (`case.stage`), when it opened.
    static let other = CaseParts(rawValue: 8)
    /// Which enrolments are open: whether a rule applies at all (also counted as `other`).
    static let enrolled = CaseParts(rawValue: 16)
    /// A task that a daily rule's ``TaskFilter`` lets through, before or after the change (see
    /// ``CaseState/noteTaskChange(_:)``).
    ///
    /// `some t in case.tasks satisfies t.status = "overdue" and …` sees only overdue tasks, so a
    /// task raised, or done before it fell due, cannot change its value. Looked at again for every
    /// change to the task list, it was two in three of the daily conditions evaluated.
    static let filteredTasks = CaseParts(rawValue: 32)

    /// What a condition with these needs can see change: its parts of `case` (all but the lists when
    /// it reads more of `case` than its lists), the facts (directly or through a decision table), and
    /// always which enrolments are open, which decides whether a rule applies. A condition on the
    /// facts alone is not looked at again when the case only moves stage.
    ///
    /// - Parameter filtered: whether the condition sees only the tasks its ``TaskFilter`` lets
    ///   through, so that only a change to one of those can change its value.
    init(reading needs: ScopeNeeds, filtered: Bool = false) {
        var parts: CaseParts = .enrolled
        if needs.contains(.caseOther) { parts.insert(.other) }
        if needs.contains(.facts) { parts.insert(.facts) }
        if needs.contains(.tasks) { parts.insert(filtered ? .filteredTasks : .tasks) }
        if needs.contains(.history) { parts.insert(.history) }
        self = parts
    }

    init(rawValue: UInt8) { self.rawValue = rawValue }
}

/// What a case remembers of a daily rule's last evaluation; a rule with neither mark has none.
struct DailyMark: Sendable {
    /// The rule's index in its definitions.
    let rule: Int32
    /// The condition was true: the rule fires again only once it has been false.
    var isTrue: Bool
    /// The first midnight at which the date alone could change the value, if nothing the condition
    /// reads changes before; `distantFuture` when the date alone cannot: the evaluation did not read
    /// the date (the value stays until something it reads changes), or the condition holds and stays
    /// true. The next midnight, unless a look ahead showed the days before it false (see
    /// ``CaseState/firstMidnightHolding(_:after:_:)``).
    var lookAgain: Moment
}

/// A timer of one case.
struct CaseTimer: Sendable {
    enum Kind: Sendable {
        case overdue(task: Int32)
        case breach(enrolment: Int32, entry: Int32)
        case daily
    }

    var at: Moment
    var seq: Int32
    var kind: Kind

    var isDaily: Bool { if case .daily = kind { true } else { false } }
}

/// A case's facts: FEEL values, or the same packed as ``PackedValues`` writes them.
enum StoredFacts: Sendable {
    case values(FEELContext)
    case packed([UInt8])

    var context: FEELContext {
        switch self {
        case .values(let context): context
        case .packed(let bytes): PackedValues.unpack(bytes).facts ?? FEELContext()
        }
    }
}

/// One child's case: its input events and everything derived from them up to the engine clock.
///
/// The derived part is a pure function of the events and the definitions, which is what lets a
/// late event simply reset it and replay the case's events in order.
struct CaseState: Sendable {
    let id: String
    /// Input events sorted by `at`, ties in arrival order; facts and data packed once applied.
    var events: [StoredEvent] = []
    /// The facts and data of applied events, packed one after another (see ``StoredEvent``).
    var packedContents: [UInt8] = []
    /// The facts and data of events not yet packed, by slot; emptied once none is left.
    var looseContents: [(facts: FEELContext?, data: FEELContext?)] = []
    var looseCount = 0
    /// How many of `events` have been applied.
    var applied = 0
    /// The last moment at which an event or timer of this case was handled.
    var lastHandled = Moment.distantPast
    /// The moment of this case's entry in the engine's wake-up heap.
    var scheduled: Moment?

    // Derived state, reset on recompute. The observers note what changed for the daily rules;
    // observing without `oldValue` keeps element updates in place (no copy of the array).
    var facts: FEELContext {
        get { factsStorage.context }
        set {
            factsStorage = .values(newValue)
            if scratchBox != nil { restingFacts = nil }
            changedParts.insert(.facts)
        }
    }

    /// Changes the facts in place: through ``facts``, a change copies them first, as the case still
    /// holds them while the copy is changed.
    mutating func updateFacts(_ change: (inout FEELContext) -> Void) {
        var context = factsStorage.context
        factsStorage = .values(FEELContext())
        change(&context)
        facts = context
    }

    /// The facts as FEEL values while the case runs, packed while it rests (see ``packFacts()``).
    private(set) var factsStorage = StoredFacts.values(FEELContext())
    var opened: Moment? {
        didSet { changedParts.insert(.other) }
    }
    var history: [HistoryItem] = [] {
        didSet { changedParts.insert(.history) }
    }
    var enrolments: [EnrolmentState] = [] {
        didSet { changedParts.insert(.other) }
    }
    var tasks: [TaskState] = [] {
        didSet {
            if scratchBox != nil {
                // One look at the scratch for the three (each accessor looks on its own).
                let scratch = scratch()
                scratch.state.tasksValueCache = nil
                scratch.state.filteredTasksCache = nil
                scratch.state.taskScopeCache = nil
            }
            changedParts.insert(.tasks)
        }
    }
    var alerts: [AlertState] = []
    var timers: [CaseTimer] = []
    /// The daily rules whose condition was true at their last evaluation, or whose value the date
    /// alone may change.
    var dailyMarks: [DailyMark] = []
    var dailyScheduled: Moment?
    /// What of the case changed since the daily rules last ran: a rule whose condition reads none
    /// of it has the value it had then, unless it reads the clock.
    var changedParts = CaseParts()
    /// How many daily conditions have been evaluated for this case (since it was last replayed).
    var dailyChecks: Int32 = 0
    var problems: [String] = []

    /// What the case needs only while it runs (see ``HandlingScratch``): nil between runs, so a case
    /// at rest does not carry it.
    private var scratchBox: HandlingScratchBox?
    /// The definitions in force while handling, for building the FEEL scope.
    var scopeDefinitions: EngineDefinitions?
    // After the optional above, in room that would otherwise be padding.
    var timerSeq: Int32 = 0

    init(id: String) { self.id = id }

    /// Forgets everything derived, keeping the events, so the case can be replayed.
    mutating func reset() {
        let keep = (events, packedContents, looseContents, looseCount)
        self = CaseState(id: id)
        (events, packedContents, looseContents, looseCount) = keep
    }

    /// Whether some enrolment of the case is still open: what makes it an open case.
    var hasOpenEnrolment: Bool { enrolments.contains { $0.closed == nil } }

    /// The moment of this case's next event or timer, if any.
    var nextWake: Moment? {
        let e = applied < events.count ? events[applied].at : nil
        let t = timers.first?.at
        switch (e, t) {
        case (nil, nil): return nil
        case (let e?, nil): return e
        case (nil, let t?): return t
        case (let e?, let t?): return min(e, t)
        }
    }

    /// Inserts `event` after every event at or before its moment (arrival order among equals).
    /// Returns whether the case must be replayed because it already handled something later.
    mutating func insert(_ event: consuming Event) -> Bool {
        let at = event.at
        var lo = 0
        var hi = events.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if events[mid].at <= at { lo = mid + 1 } else { hi = mid }
        }
        events.makeRoomForOneMore()
        events.insert(store(event), at: lo)
        return lo < applied || at < lastHandled
    }

    /// Sets a timer, never for a moment already past: it would take the case's clock back, and what
    /// followed from it would be dated before the event that caused it (see ``raise``).
    mutating func addTimer(_ at: Moment, _ kind: CaseTimer.Kind) {
        assert(at >= now, "a timer in the past would take the case's clock back")
        timerSeq += 1
        let timer = CaseTimer(at: at, seq: timerSeq, kind: kind)
        // After the timers due at the same moment, but the daily rules' look goes after every other
        // timer of its midnight, whenever it was set: they see the case as that midnight's overdue and
        // breach timers leave it (docs/semantics.md, "Daily rules").
        // Appended and moved down into place rather than inserted: `insert` goes through the array's
        // general path for replacing a range (about 190 instructions), for each task raised, and the
        // new timer is mostly the last anyway. A timer holds no reference, so a move is a copy.
        timers.append(timer)
        var i = timers.count - 1
        while i > 0, timers[i - 1].at > at || (!timer.isDaily && timers[i - 1].at == at && timers[i - 1].isDaily) {
            timers[i] = timers[i - 1]
            i -= 1
        }
        timers[i] = timer
    }

    /// Drops the timers that can no longer do anything: the overdue check of a finished task, the
    /// deadline of a stage entry that is over.
    ///
    /// Left in, each woke its case for nothing when it fell due (a case's wake-up makes its handling
    /// scratch and puts it back in the engine's heap), and a finished task's check stayed in the
    /// case's list until the task's due date: 4 MB and 950,000 of 3.2 million wake-ups in a run of
    /// a million events.
    mutating func dropTimers(where isOver: (CaseTimer.Kind) -> Bool) {
        guard timers.contains(where: { isOver($0.kind) }) else { return }
        timers.removeAll { isOver($0.kind) }
    }

    /// Handles every event and timer strictly before `limit`, timers first when they tie with an event.
    /// Returns how many timers fired.
    ///
    /// - Parameter shared: an evaluation scope to use rather than make one, from the thread running
    ///   a chunk of cases with the same definitions (see ``Engine/run(_:in:to:_:workers:)``). Made
    ///   and let go by every case's run, the scope (its environment and the decision tables as
    ///   functions) was 2% of a run's instructions.
    @discardableResult
    mutating func run(to limit: Moment, _ env: EngineDefinitions, sharing shared: EvaluationScope? = nil) -> Int {
        scopeDefinitions = env
        if let shared { evaluation = shared }
        unpackFacts()
        var fired = 0
        while true {
            let nextEvent = applied < events.count ? events[applied].at : Moment.distantFuture
            let nextTimer = timers.first?.at ?? Moment.distantFuture
            if nextTimer <= nextEvent, nextTimer < limit {
                let timer = timers.removeFirst()
                fired += 1
                fire(timer, env)
            } else if nextEvent < limit {
                applied += 1
                apply(eventAt: applied - 1, env)
            } else {
                // The cached FEEL view of the case is rebuilt on the next handling anyway: kept, it
                // would hold a copy of every task and history entry of every case in memory.
                if env.packsCasesAtRest { packFacts() }
                // A shared scope outlives the run: what it holds of this case goes now.
                shared?.letGo()
                scratchBox = nil
                if env.packsCasesAtRest && !hasOpenEnrolment { compact() }
                return fired
            }
        }
    }

    /// Packs the facts as the case comes to rest, if every value in them is one JSON can hold (as
    /// facts read from events are; a date set by an action keeps them as they are).
    ///
    /// As FEEL values the facts of a case were about 480 bytes (an array per object, a heap string
    /// per longer key), 41 MB in a run of a million events; packed, they are a few dozen. They are
    /// read only while the case runs, which unpacks them first, and by ``Engine/caseDetail(_:)``.
    /// A run that did not change them puts back the bytes it found instead of packing them again:
    /// most wake-ups (a timer, a daily look) change no fact.
    mutating func packFacts() {
        if let bytes = restingFacts {
            factsStorage = .packed(bytes)
            return
        }
        guard case .values(let context) = factsStorage, !context.entries.isEmpty,
            var bytes = PackedValues.pack(context, nil)
        else { return }
        bytes.shrinkToFit()
        factsStorage = .packed(bytes)
    }

    /// Makes the facts FEEL values again, for a run, keeping the bytes in case the run leaves them
    /// as they are. Not a change the daily rules look at.
    mutating func unpackFacts() {
        guard case .packed(let bytes) = factsStorage else { return }
        factsStorage = .values(factsStorage.context)
        restingFacts = bytes
    }

    /// Gives back the spare room of the case's lists once it has no open enrolment.
    ///
    /// Lists grow by doubling, so about a third of their room is spare; in a run of a million
    /// events that was over 100 MB. A case with no open enrolment rarely grows again, but it is kept
    /// for its task list and for the history that a later re-referral is checked against. Cut to
    /// size once, its lists are left alone until they grow again.
    mutating func compact() {
        // Moving the same contents is not a change the daily rules should look again for.
        let changed = changedParts
        defer { changedParts = changed }
        events.shrinkToFit()
        packedContents.shrinkToFit()
        history.shrinkToFit()
        tasks.shrinkToFit()
        alerts.shrinkToFit()
        timers.shrinkToFit()
        enrolments.shrinkToFit()
        dailyMarks.shrinkToFit()
    }
}

extension Array {
    /// Makes room for one more element when the list is full, growing it by a quarter (at least 4)
    /// rather than doubling it, as `append` would.
    ///
    /// A case's events, tasks and history grow a few at a time for as long as it is open, and a
    /// doubled list is a third empty on average: in a run of a million events that was about 30 MB
    /// of open cases' lists. Growing by a quarter copies each element a few more times, which for
    /// lists of tens of elements costs little.
    mutating func makeRoomForOneMore() {
        guard count == capacity else { return }
        reserveCapacity(count + Swift.max(4, count / 4))
    }

    /// Reallocates to hold just `count` elements, when the spare room is worth a copy: more than a
    /// few bytes (the allocator rounds sizes up to 16) and more than a sixteenth of the list.
    mutating func shrinkToFit() {
        let spare = capacity - count
        guard spare * MemoryLayout<Element>.stride > 32, spare > count / 16 else { return }
        if isEmpty {
            self = []
            return
        }
        var fitted: [Element] = []
        fitted.reserveCapacity(count)
        fitted.append(contentsOf: self)
        self = fitted
    }
}

extension CaseState {
    /// The scratch, made on first write and copied first if another copy of the case shares it, so
    /// a case stays a value.
    private mutating func scratch() -> HandlingScratchBox {
        if !isKnownUniquelyReferenced(&scratchBox) {
            var state = scratchBox?.state ?? HandlingScratch()
            // The evaluation scope is mutable and shared by reference: each copy makes its own.
            state.evaluation = nil
            scratchBox = HandlingScratchBox(state)
        }
        return scratchBox.unsafelyUnwrapped
    }

    /// Whether the case holds a scratch (only while it runs; for tests).
    var hasScratch: Bool { scratchBox != nil }

    // The emitted events waiting to be handled, read in place by `drain`: the `pending` accessor
    // hands out the whole list, and a trigger taken from it is a reference count for each of its
    // strings and contexts, for the many emitted events that nothing reacts to (0.9% of a run's
    // instructions).

    var pendingCount: Int { scratchBox?.state.pending.count ?? 0 }

    /// What waiting event `index` adds to the history.
    func pendingHistory(_ index: Int) -> HistoryItem { scratchBox.unsafelyUnwrapped.state.pending[index].history }

    /// The type of waiting event `index`, read in place: a copy of the whole trigger to read it was
    /// a reference count for each of its strings and contexts.
    func pendingType(_ index: Int) -> String { scratchBox.unsafelyUnwrapped.state.pending[index].type }

    /// Waiting event `index`, moved out of the list, which keeps in its place a trigger that holds
    /// nothing: `drain` hands each one on once and never reads it again, and a copy was a retain of
    /// each of its strings and contexts, and a release as the list was emptied.
    mutating func takePending(_ index: Int) -> Trigger {
        var taken = Trigger(
            id: "", type: "", at: .distantPast, data: nil, facts: nil, history: .input(-1), task: nil, depth: 0)
        swap(&taken, &scratch().state.pending[index])
        return taken
    }

    // The scratch's fields, read as their initial values between runs.

    var now: Moment {
        get { scratchBox?.state.now ?? .distantPast }
        set { scratch().state.now = newValue }
    }
    var depth: Int {
        get { scratchBox?.state.depth ?? 0 }
        set { scratch().state.depth = newValue }
    }
    var pending: [Trigger] {
        get { scratchBox?.state.pending ?? [] }
        _modify { yield &scratch().state.pending }
    }
    var repeatsDue: [(task: Int32, entries: Int32, reason: Reason)] {
        get { scratchBox?.state.repeatsDue ?? [] }
        _modify { yield &scratch().state.repeatsDue }
    }
    var hasRepeatsDue: Bool { !(scratchBox?.state.repeatsDue.isEmpty ?? true) }
    var scopeCache: FEELValue? {
        get { scratchBox?.state.scopeCache }
        _modify { yield &scratch().state.scopeCache }
    }
    var scopeCacheParts: ScopeNeeds {
        get { scratchBox?.state.scopeCacheParts ?? ScopeNeeds() }
        set { scratch().state.scopeCacheParts = newValue }
    }
    var eventCache: FEELValue? {
        get { scratchBox?.state.eventCache }
        _modify { yield &scratch().state.eventCache }
    }
    var tasksValueCache: ListValueCache? {
        get { scratchBox?.state.tasksValueCache }
        _modify { yield &scratch().state.tasksValueCache }
    }
    var filteredTasksCache: (expression: ObjectIdentifier, list: ListValueCache)? {
        get { scratchBox?.state.filteredTasksCache }
        set { scratch().state.filteredTasksCache = newValue }
    }
    var taskScopeCache: (task: Int, parts: ScopeNeeds, zone: String, value: FEELValue)? {
        get { scratchBox?.state.taskScopeCache }
        set { scratch().state.taskScopeCache = newValue }
    }
    var historyValueCache: ListValueCache? {
        get { scratchBox?.state.historyValueCache }
        _modify { yield &scratch().state.historyValueCache }
    }
    var evaluation: EvaluationScope? {
        get { scratchBox?.state.evaluation }
        set { scratch().state.evaluation = newValue }
    }
    var dailyRan: Moment? {
        get { scratchBox?.state.dailyRan }
        set { scratch().state.dailyRan = newValue }
    }
    var restingFacts: [UInt8]? {
        get { scratchBox?.state.restingFacts }
        set { scratch().state.restingFacts = newValue }
    }
}

/// What a case holds only while it handles its events and timers: the moment, the cascade of
/// emitted events, caches of its FEEL view.
///
/// 264 bytes, which every one of 100,000 cases carried at rest when they were fields of
/// ``CaseState``; a run makes it on first use and lets it go when it returns.
struct HandlingScratch: Sendable {
    var now = Moment.distantPast
    var depth = 0
    var pending: [Trigger] = []
    /// Repeating tasks completed by the event being handled: their next occurrences are raised after
    /// its transitions, if the case is still in their stage.
    var repeatsDue: [(task: Int32, entries: Int32, reason: Reason)] = []
    var scopeCache: FEELValue?
    var scopeCacheParts = ScopeNeeds()
    /// The FEEL value of the event being handled.
    var eventCache: FEELValue?
    /// `case.tasks` as FEEL values, kept until a task changes: building every task again for each
    /// event and each daily check was a tenth of the engine's time.
    var tasksValueCache: ListValueCache?
    /// The task list of one expression with a ``TaskFilter`` (by identity), kept until a task changes.
    var filteredTasksCache: (expression: ObjectIdentifier, list: ListValueCache)?
    /// `task` of the last evaluation that read it, kept until a task changes (see
    /// ``CaseState/taskValueCaching(_:_:parts:)``).
    var taskScopeCache: (task: Int, parts: ScopeNeeds, zone: String, value: FEELValue)?
    /// `case.history` as FEEL values; the history only grows while a case runs, so the cache is
    /// extended rather than rebuilt.
    var historyValueCache: ListValueCache?
    /// What the run's evaluations share (see ``EvaluationScope``).
    var evaluation: EvaluationScope?
    /// The midnight the daily rules last ran at in this run, so that a timer's change at that midnight
    /// is not looked at twice in it. Every timer of a moment fires in the same run, so the run is
    /// all it needs to outlast.
    var dailyRan: Moment?
    /// The facts packed as the run found them, until it changes them (see ``CaseState/packFacts()``).
    var restingFacts: [UInt8]?
}

/// The box a case keeps its ``HandlingScratch`` in.
///
/// `@unchecked Sendable`: it is mutable, but only through ``CaseState``, which copies it before a
/// write whenever another copy of the case holds it (so two threads never share one).
final class HandlingScratchBox: @unchecked Sendable {
    /// Unchecked: a case's scratch is reached only by the thread running that case, through
    /// accessors that each touch one field, and the whole test suite passed with the check on before
    /// it was turned off. The run-time check on every access was 2% of the engine's instructions.
    @exclusivity(unchecked) var state: HandlingScratch

    init(_ state: HandlingScratch) { self.state = state }
}

/// FEEL values of a list in the case (`case.tasks`, `case.history`), with the optional fields and
/// the time zone they were built with: a cache serves an expression only if it has what it reads.
struct ListValueCache: Sendable {
    var parts: ScopeNeeds
    var zone: String
    var values: [FEELValue]

    func serves(_ needed: ScopeNeeds, zone: String) -> Bool {
        parts.isSuperset(of: needed) && self.zone == zone
    }
}

/// Every definitions version the engine has loaded; enrolments stay on the one they opened on.
struct EngineDefinitions: Sendable {
    var versions: [CompiledDefinitions]
    /// Whether `case.history` keeps every emitted event, rather than only the types the definitions
    /// can read (see ``CompiledDefinitions/historyEmitted``).
    var keepsEveryHistoryEntry = false
    /// Whether a task keeps its reason once it is done or cancelled (see
    /// ``Engine/keepsFinishedTaskReasons``).
    var keepsFinishedTaskReasons = true
    /// Whether a case packs its events' contents and its facts into bytes as it handles them and
    /// comes to rest: the engine keeps every case, and packed they are a fraction of their size
    /// as FEEL values. ``CaseByCaseRun`` lets each case go once it has run, so it packs nothing: the
    /// bytes would go with the case (5% of the instructions of such a run, on 50,000 events).
    var packsCasesAtRest = true

    init(versions: [CompiledDefinitions]) { self.versions = versions }

    /// Whether a case's history keeps `item`: an input event always; an emitted one if asked to keep
    /// every entry, or if an expression of some loaded version can read its type.
    func keeps(_ item: HistoryItem) -> Bool {
        guard case .emitted(_, _, _, let type) = item, !keepsEveryHistoryEntry else { return true }
        return versions.contains { $0.historyEmitted[Int(type.rawValue)] }
    }

    var newest: CompiledDefinitions { versions[versions.count - 1] }

    /// Whether any loaded version names `type` (enrolment, completion, transition or rule).
    func reactsTo(_ type: String) -> Bool {
        type == "task.completed" || versions.contains { $0.reactingTypes.contains(type) }
    }

    /// The same for an event the engine emits, without hashing its name: asked for every one.
    func reactsTo(_ type: EmittedType) -> Bool {
        versions.contains { $0.reactingEmitted[Int(type.rawValue)] }
    }

    func pathway(of e: EnrolmentState) -> CompiledPathway {
        versions[Int(e.version)].pathways[Int(e.pathway)]
    }
}
