import WaymarkFEEL
import WaymarkModel

/// A calendar ready for the engine: the working days and the time zone table for reading dates.
final class CalendarInfo: Sendable {
    let calendar: WorkingCalendar
    let zone: ZoneOffsets
    /// The calendar boxed once, so that each evaluation does not box it again.
    let workingDays: any FEELWorkingDays

    init(_ calendar: WorkingCalendar) {
        self.calendar = calendar
        self.zone = ZoneOffsets(identifier: calendar.timeZoneID) ?? .utc
        self.workingDays = calendar
    }

    /// The due date `spec` after `moment`: working days skip weekends and holidays (the start date
    /// never counts), days count calendar days, months clamp to the end of a shorter month.
    func date(after moment: Moment, _ spec: DurationSpec) -> FEELDate {
        date(after: zone.date(of: moment), spec)
    }

    func date(after date: FEELDate, _ spec: DurationSpec) -> FEELDate {
        switch spec.unit {
        case .workingDays: calendar.addWorkingDays(date, spec.amount)
        case .days: date.addingDays(spec.amount)
        case .months: date.addingMonths(spec.amount)
        }
    }

    /// 00:00 of the day after `date`: when a task due on `date` becomes overdue.
    func overdueMoment(_ date: FEELDate) -> Moment { zone.startOfDay(date.addingDays(1)) }

    /// Monday to Friday in UTC, for definitions that name no calendar.
    static let fallback = CalendarInfo(
        WorkingCalendar(id: "default", timeZoneID: "UTC", workingWeekdays: [1, 2, 3, 4, 5], holidays: []))
}

/// What every task raised from one template shares, kept once per definitions version so that a
/// raised task costs a reference rather than a copy of its template, calendar and names.
final class TaskSpec: Sendable {
    let template: TaskTemplate
    let calendar: CalendarInfo
    let pathway: String?
    let stage: String?
    /// The task id after the case id and before the occurrence: `PATHWAY/STAGE/KEY` or `RULE/KEY`.
    let idTail: String
    /// The hash of `idTail`, to tell most tasks of other prefixes apart without comparing the text:
    /// a task's occurrence is counted against every task of its case. (Hashes differ from one
    /// process to the next; only their equality is used, so no outcome depends on them.)
    let idTailHash: Int
    /// The sentence `because` ends with: what the task is, when it is due and where it is defined.
    let becauseSuffix: String
    /// Whether `done_on` names each type the engine emits, by `EmittedType` raw value: most events
    /// handled are emitted ones, and each was compared by its text with every `done_on` type of
    /// every open task of its case.
    let doneOnEmitted: [Bool]

    init(_ template: TaskTemplate, calendar: CalendarInfo, pathway: String?, stage: String?, rule: String?) {
        self.template = template
        self.calendar = calendar
        self.pathway = pathway
        self.stage = stage
        idTail = rule.map { "\($0)/\(template.key)" } ?? "\(pathway ?? "-")/\(stage ?? "-")/\(template.key)"
        idTailHash = idTail.hashValue
        becauseSuffix =
            ". Task \"\(template.title)\" due \(template.due.text) (defined at "
            + "\(template.location.file):\(template.location.line))."
        doneOnEmitted = EmittedType.allCases.map { template.doneOn.contains($0.name) }
    }

    /// Whether `done_on` names the type of `t`.
    @inline(__always)
    func isDone(on t: Trigger) -> Bool {
        if case .emitted(_, _, _, let type) = t.history { return doneOnEmitted[Int(type.rawValue)] }
        return template.doneOn.contains(t.type)
    }

    /// Tasks that share an id prefix: occurrences count across them.
    func sharesPrefix(with other: TaskSpec) -> Bool {
        other === self || (other.idTailHash == idTailHash && other.idTail == idTail)
    }
}

/// One pathway version with its lookups built once; a class, so that looking a pathway up while
/// handling an event costs one reference count rather than a copy of every field.
final class CompiledPathway: Sendable {
    let pathway: Pathway
    let calendar: CalendarInfo
    let stageIndex: [String: Int]
    /// Per stage, a spec per task template.
    let stageTasks: [[TaskSpec]]
    /// Per `STAGE-INDEX:HOOK`, a spec per action (nil for actions that are not tasks).
    let hookTasks: [String: [TaskSpec?]]
    /// Per `STAGE-INDEX:HOOK`, an alert site per action (nil for actions that are not alerts).
    let hookAlerts: [String: [AlertSite?]]
    /// Per stage, the transitions tried when the case is in it, in order: its own, then the
    /// pathway-wide ones unless the stage is final.
    let exits: [[Transition]]
    /// Per stage, the event types its `exits` name: most events name none, and then no transition
    /// is looked at.
    let exitTypes: [Set<String>]
    /// Per stage, the index of each of `exits`' target stage (nil for a stage the pathway lacks):
    /// found once here rather than by its id for every move.
    let exitTargets: [[Int?]]
    /// The same for the types the engine emits, per stage by `EmittedType` raw value: most events
    /// handled are emitted ones, and hashing their names for each open enrolment cost 1%.
    let exitsOnEmitted: [[Bool]]
    /// The explanation of an enrolment or of each of `exits` with nothing read: the one used when it
    /// has no condition (shared by every case rather than made for each move), and the site of the
    /// ones made when it has.
    let bareEnrolExplanation: Explanation
    let bareExitExplanations: [[Explanation]]

    /// By stage, the transitions out of it that are on `type`, a bit each (bit `k` for transition
    /// `k`); ``allExits`` for a stage with more than 63 transitions, whose sets are then looked at.
    func exitMasks(on type: String) -> [UInt64] {
        exits.map { stageExits in
            guard stageExits.count < 64 else { return Self.allExits }
            var mask: UInt64 = 0
            for k in stageExits.indices where stageExits[k].on.contains(type) { mask |= 1 << UInt64(k) }
            return mask
        }
    }

    /// The mask of a stage whose transitions are each checked against the type by its set.
    static let allExits = UInt64.max

    /// Whether stage `si` has a transition on the type of `t`.
    func mayExit(_ si: Int, on t: Trigger) -> Bool {
        if case .emitted(_, _, _, let type) = t.history { return exitsOnEmitted[si][Int(type.rawValue)] }
        return exitTypes[si].contains(t.type)
    }

    /// - Parameter tables: the decision tables of the definitions, whose inputs an explanation quotes
    ///   when a condition calls one.
    init(pathway p: Pathway, calendar: CalendarInfo, tables: [DecisionTable]) {
        self.pathway = p
        self.calendar = calendar
        var index: [String: Int] = [:]
        for (i, s) in p.stages.enumerated() { index[s.id] = i }
        stageIndex = index
        stageTasks = p.stages.map { s in
            s.tasks.map { TaskSpec($0, calendar: calendar, pathway: p.id, stage: s.id, rule: nil) }
        }
        var hookTasks: [String: [TaskSpec?]] = [:]
        var hookAlerts: [String: [AlertSite?]] = [:]
        for (i, s) in p.stages.enumerated() {
            for (name, actions) in [("on_enter", s.onEnter), ("on_exit", s.onExit), ("on_breach", s.onBreach)] {
                hookTasks["\(i):\(name)"] = actions.map { a in
                    if case .task(let t) = a {
                        return TaskSpec(t, calendar: calendar, pathway: p.id, stage: s.id, rule: nil)
                    }
                    return nil
                }
                hookAlerts["\(i):\(name)"] = AlertSite.sites(actions, rule: "\(p.id):\(s.id):\(name)")
            }
        }
        self.hookTasks = hookTasks
        self.hookAlerts = hookAlerts
        exits = p.stages.map { s in s.final ? s.transitions : s.transitions + p.transitions }
        exitTypes = exits.map { Set($0.flatMap(\.on)) }
        exitTargets = exits.map { $0.map { index[$0.to] } }
        exitsOnEmitted = exitTypes.map { types in EmittedType.allCases.map { types.contains($0.name) } }
        bareEnrolExplanation = Explanation(
            site: ConditionSite(p.enrol.when, location: p.enrol.location, zone: calendar.zone, tables: tables))
        bareExitExplanations = exits.map {
            $0.map {
                Explanation(site: ConditionSite($0.when, location: $0.location, zone: calendar.zone, tables: tables))
            }
        }
    }

    func stage(_ index: Int) -> Stage { pathway.stages[index] }
}

/// One rule with its rule set's calendar and where it sits; a class, so that taking a rule out of
/// the list for each daily check or event costs one reference count, not one per field of the rule.
final class CompiledRule: Sendable {
    let rule: Rule
    let calendar: CalendarInfo
    /// Daily rules whose condition reads the clock must run every day; the others only change value
    /// when the case changes, so they run at the first 00:00 after a change.
    let readsClock: Bool
    /// The condition, once true, stays true as the days pass until the case changes (a task more
    /// than 5 working days overdue stays so): an unchanged case it holds for needs no daily look.
    let staysTrue: Bool
    /// The condition only rises with the date (``FEELTimeTrend/rising``): while the case is
    /// unchanged, false on a day means false on every day before it, so the first day it holds can
    /// be looked for ahead rather than day by day.
    let rises: Bool
    /// A spec per action (nil for actions that are not tasks).
    let taskSpecs: [TaskSpec?]
    /// An alert site per action (nil for actions that are not alerts).
    let alertSites: [AlertSite?]
    /// The explanation of a firing with nothing read (see ``CompiledPathway``).
    let bareExplanation: Explanation
    /// Whether the rule names a pathway (`pathway:`), and that pathway's index in these definitions
    /// (nil if they have none of that id): an enrolment on these definitions is told by its index,
    /// where comparing ids took a reference count for each enrolment's pathway and id, for every
    /// rule on every event.
    let namesPathway: Bool
    let pathwayIndex: Int32?

    init(rule: Rule, calendar: CalendarInfo, readsClock: Bool, tables: [DecisionTable], pathwayIndex: Int?) {
        self.rule = rule
        namesPathway = rule.pathway != nil
        self.pathwayIndex = pathwayIndex.map { Int32($0) }
        self.calendar = calendar
        self.readsClock = readsClock
        let trend = rule.when?.compiled.timeTrend ?? .constant
        staysTrue = trend == .rising || trend == .constant
        rises = trend == .rising
        taskSpecs = rule.then.map { a in
            if case .task(let t) = a {
                return TaskSpec(t, calendar: calendar, pathway: rule.pathway, stage: nil, rule: rule.id)
            }
            return nil
        }
        alertSites = AlertSite.sites(rule.then, rule: rule.id)
        bareExplanation = Explanation(
            site: ConditionSite(rule.when, location: rule.location, zone: calendar.zone, tables: tables))
    }
}

/// What every alert raised by one `alert` action shares: the rule (or `PATHWAY:STAGE:HOOK`) that
/// raised it, its severity and where the action is defined.
///
/// Copied into each alert, these were 64 of its 104 bytes, and a hook's name was built as a new
/// string for each one.
final class AlertSite: Sendable {
    let rule: String
    let severity: AlertSeverity
    let location: SourceLocation
    /// The message's text around its placeholders, when every placeholder is `case.id`: such a
    /// message is the same whenever it is written, so an alert keeps no copy and it is written when
    /// read (see ``CaseState/alertMessage(_:)``). Most shipped messages are of this kind
    /// ("Review for {{ case.id }} overdue"), and their copies were 12 MB in a run of a million events.
    let textAroundCaseID: [String]?
    /// Whether the rule's id holds neither `/` nor `#` (see ``CaseState/alertOccurrence(_:triggerKey:keyIsPlain:)``).
    let ruleIsPlain: Bool

    init(rule: String, severity: AlertSeverity, location: SourceLocation, message: MessageTemplate) {
        self.rule = rule
        ruleIsPlain = Self.isPlain(rule)
        self.severity = severity
        self.location = location
        var pieces = [""]
        for part in message.parts {
            switch part {
            case .text(let text):
                pieces[pieces.count - 1] += text
            case .expression(let e):
                guard e.source.split(whereSeparator: \.isWhitespace) == ["case.id"] else {
                    textAroundCaseID = nil
                    return
                }
                pieces.append("")
            }
        }
        textAroundCaseID = pieces
    }

    /// Whether `text` holds neither `/` nor `#`, the separators of an alert's id.
    static func isPlain(_ text: String) -> Bool {
        !text.utf8.contains { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "#") }
    }

    /// A site per action of `actions` (nil for those that are not alerts).
    static func sites(_ actions: [Action], rule: String) -> [AlertSite?] {
        actions.map { a in
            guard case .alert(let t) = a else { return nil }
            return AlertSite(rule: rule, severity: t.severity, location: t.location, message: t.message)
        }
    }
}

/// What reacts to one event type as its handling starts: the pathways it enrols on (by index, in
/// order), the rules on it, and the stages it can end.
struct TypeHandlers: Sendable {
    var enrolPathways: [Int] = []
    var rules: [Int] = []
    /// For an input type, by pathway (index) and stage, the transitions out of the stage that are on
    /// it, a bit each by their order (see ``CompiledPathway/exitMasks(on:)``). Looked up here once
    /// for the event, where each open enrolment asked its stage's set of types, and then each
    /// transition its own, hashing the type's text again each time (1% of a run's instructions).
    /// Empty for a type no transition names, and for emitted types
    /// (``CompiledPathway/mayExit(_:on:)`` has those).
    var exits: [[UInt64]] = []
}

/// Definitions indexed for handling events: by event type, by id, in a fixed order.
final class CompiledDefinitions: Sendable {
    let definitions: Definitions
    /// Sorted by id.
    let pathways: [CompiledPathway]
    let pathwayIndex: [String: Int]
    /// Sorted by rule set id, then file order.
    let rules: [CompiledRule]
    /// What reacts to each event type as its handling starts, by type (see ``handlers(of:)``).
    let handlersByType: TextTable<TypeHandlers>
    /// The same for the types the engine emits, by `EmittedType` raw value.
    let emittedHandlers: [TypeHandlers]
    let dailyRules: [Int]
    /// Per rule, the parts of a case whose change can change its condition's value.
    let ruleReads: [CaseParts]
    /// What any daily rule's condition reads: a change to none of it needs no daily check.
    let dailyReads: CaseParts
    /// The task filters of the daily rules whose conditions read the task list only through one
    /// (see ``CaseParts/filteredTasks``).
    let dailyTaskFilters: [TaskFilter]
    let defaultCalendar: CalendarInfo
    let tables: [DecisionTable]
    /// The tables by name, compiled for FEEL calls (`absence level()`); the first of a name wins.
    let feelTables: [(name: String, table: FEELDecisionTable)]
    /// What each expression (by source text) reads of the scope, so that `case`, its history and its
    /// task list are built only for the expressions that read them.
    let needs: [String: ScopeNeeds]
    /// The same by expression identity, for the expressions of these definitions: looked up for every
    /// evaluation, where hashing the whole text cost more than some of the conditions.
    let needsByExpression: IdentityTable<ScopeNeeds>
    /// For expressions that can only be made true by some of the case's tasks, which those are.
    let taskFilters: IdentityTable<TaskFilter>
    /// Every event type something reacts to: emitted events of other types skip handling.
    let reactingTypes: Set<String>
    /// The same for the types the engine emits, by `EmittedType` raw value.
    let reactingEmitted: [Bool]
    /// The emitted types an expression of these definitions can read from `case.history`, by
    /// `EmittedType` raw value: the history keeps only those (see ``EngineDefinitions/keeps(_:)``).
    let historyEmitted: [Bool]

    init(_ definitions: Definitions) {
        self.definitions = definitions
        var calendars: [String: CalendarInfo] = [:]
        for (id, calendar) in definitions.calendars { calendars[id] = CalendarInfo(calendar) }
        let sortedPathways = definitions.sortedPathways
        let defaultCalendar: CalendarInfo =
            sortedPathways.lazy.compactMap { calendars[$0.calendar] }.first
            ?? definitions.calendars.keys.sorted().first.flatMap { calendars[$0] } ?? .fallback
        self.defaultCalendar = defaultCalendar
        let sets = definitions.ruleSets.values.sorted { $0.id < $1.id }
        tables = sets.flatMap(\.tables)
        pathways = sortedPathways.map { [tables] p in
            CompiledPathway(pathway: p, calendar: calendars[p.calendar] ?? defaultCalendar, tables: tables)
        }
        var pathwayIndex: [String: Int] = [:]
        for (i, p) in pathways.enumerated() { pathwayIndex[p.pathway.id] = i }
        self.pathwayIndex = pathwayIndex
        let tableNames = tables.map(\.name)
        var feelTables: [(name: String, table: FEELDecisionTable)] = []
        for t in tables where !feelTables.contains(where: { $0.name == t.name }) {
            if let compiled = t.feelTable(tableNames: tableNames) { feelTables.append((t.name, compiled)) }
        }
        self.feelTables = feelTables
        // What each table reads itself, so an expression calling `absence level()` builds only the
        // facts it needs, not the history another table reads; an expression reads what every table
        // it calls reads, directly or through another (see ``tablesCalled(by:in:)``).
        let tableTexts = tables.map { CompiledDefinitions.sources($0) }
        let tableNeeds = tableTexts.map { texts in
            texts.reduce(into: ScopeNeeds()) { $0.formUnion(ScopeNeeds(source: $1, tableNames: [])) }
        }
        let tableReadsClock = tableTexts.map { $0.contains(where: CompiledDefinitions.readsClock) }
        let tableSources = tables.flatMap(CompiledDefinitions.sources)
        var rules: [CompiledRule] = []
        for set in sets {
            let calendar = set.calendar.flatMap { calendars[$0] } ?? defaultCalendar
            for rule in set.rules {
                let source = rule.when?.source ?? ""
                let readsClock =
                    CompiledDefinitions.readsClock(source)
                    || CompiledDefinitions.tablesCalled(by: source, in: tables).contains { tableReadsClock[$0] }
                rules.append(
                    CompiledRule(
                        rule: rule, calendar: calendar, readsClock: readsClock, tables: tables,
                        pathwayIndex: rule.pathway.flatMap { pathwayIndex[$0] }))
            }
        }
        self.rules = rules
        var byType: [String: [Int]] = [:]
        var daily: [Int] = []
        for (i, r) in rules.enumerated() {
            switch r.rule.trigger {
            case .events(let types): for t in Set(types) { byType[t, default: []].append(i) }
            case .daily: daily.append(i)
            }
        }
        var handlers: [String: TypeHandlers] = [:]
        let exitTypes = Set(pathways.flatMap { $0.exitTypes.flatMap { $0 } })
        for type in Set(byType.keys).union(sortedPathways.flatMap(\.enrol.on)).union(exitTypes) {
            handlers[type] = TypeHandlers(
                enrolPathways: sortedPathways.indices.filter { sortedPathways[$0].enrol.on.contains(type) },
                rules: byType[type] ?? [],
                exits: exitTypes.contains(type) ? pathways.map { $0.exitMasks(on: type) } : [])
        }
        handlersByType = TextTable(handlers)
        emittedHandlers = EmittedType.allCases.map { handlers[$0.name] ?? TypeHandlers() }
        dailyRules = daily
        var sources: [String] = tableSources
        for p in sortedPathways {
            sources.append(p.enrol.when?.source ?? "")
            for t in p.transitions { sources.append(t.when?.source ?? "") }
            for s in p.stages {
                for t in s.transitions { sources.append(t.when?.source ?? "") }
                for t in s.tasks { sources.append(t.doneWhen?.source ?? "") }
                for a in s.onEnter + s.onExit + s.onBreach { sources.append(contentsOf: Self.sources(a)) }
            }
        }
        for r in rules {
            sources.append(r.rule.when?.source ?? "")
            for a in r.rule.then { sources.append(contentsOf: Self.sources(a)) }
        }
        var needs: [String: ScopeNeeds] = [:]
        for source in sources where !source.isEmpty {
            var n = ScopeNeeds(source: source, tableNames: tableNames)
            for table in CompiledDefinitions.tablesCalled(by: source, in: tables) { n.formUnion(tableNeeds[table]) }
            needs[source] = n
        }
        self.needs = needs
        var byExpression: [ObjectIdentifier: ScopeNeeds] = [:]
        var expressions: [Expression] = []
        for p in sortedPathways {
            expressions.append(contentsOf: [p.enrol.when].compactMap { $0 } + p.transitions.compactMap(\.when))
            for s in p.stages {
                expressions.append(contentsOf: s.transitions.compactMap(\.when) + s.tasks.compactMap(\.doneWhen))
                for a in s.onEnter + s.onExit + s.onBreach { expressions.append(contentsOf: Self.expressions(a)) }
            }
        }
        for r in rules {
            if let when = r.rule.when { expressions.append(when) }
            for a in r.rule.then { expressions.append(contentsOf: Self.expressions(a)) }
        }
        var filters: [ObjectIdentifier: TaskFilter] = [:]
        // A decision table of one of these names would be called in its stead.
        let pure = ScopeNeeds.pureFunctions.subtracting(tableNames)
        for e in expressions {
            byExpression[e.identity] = needs[e.source]
            if e.compiled.readsOnly(["task": ScopeNeeds.staticTaskEntries], calling: pure) {
                byExpression[e.identity]?.insert(.staticTask)
            }
            if let requirement = e.compiled.entryRequirement(onList: ["case", "tasks"]) {
                filters[e.identity] = TaskFilter(
                    requirement, falseWhenNonePass: e.compiled.isFalseWhenEmpty(list: ["case", "tasks"]))
            }
        }
        needsByExpression = IdentityTable(byExpression)
        taskFilters = IdentityTable(filters)
        historyEmitted = Self.historyEmitted(
            sources: sources,
            expressions: expressions + tables.flatMap { $0.inputs + $0.rules.flatMap(\.outputEntries) },
            unaryTests: tables.flatMap { $0.rules.flatMap(\.inputEntries) })
        let reads = rules.map { r in
            CaseParts(
                reading: r.rule.when.map { needs[$0.source] ?? .all } ?? ScopeNeeds(),
                filtered: r.rule.when.map { filters[$0.identity] != nil } ?? false)
        }
        ruleReads = reads
        dailyReads = daily.reduce(CaseParts()) { $0.union(reads[$1]) }
        dailyTaskFilters = daily.compactMap { rules[$0].rule.when.flatMap { filters[$0.identity] } }
        var reacting = Set(byType.keys)
        for p in sortedPathways {
            reacting.formUnion(p.enrol.on)
            for t in p.transitions { reacting.formUnion(t.on) }
            for s in p.stages {
                for t in s.transitions { reacting.formUnion(t.on) }
                for t in s.tasks { reacting.formUnion(t.doneOn) }
                for case .task(let t) in s.onEnter + s.onExit + s.onBreach { reacting.formUnion(t.doneOn) }
            }
        }
        for r in rules { for case .task(let t) in r.rule.then { reacting.formUnion(t.doneOn) } }
        reactingTypes = reacting
        reactingEmitted = EmittedType.allCases.map { reacting.contains($0.name) }
    }

    /// The pathways that event `t` may enrol the case on and the rules on its type, in order.
    ///
    /// Found once per event: asking each pathway's set of enrolling types and then the rules by type
    /// hashed the type's text four times for every event handled, emitted ones included (3% of a
    /// run's instructions); an emitted event's are found by its kind without hashing at all.
    func handlers(of t: Trigger) -> TypeHandlers {
        if case .emitted(_, _, _, let type) = t.history { return emittedHandlers[Int(type.rawValue)] }
        return handlersByType[t.type] ?? TypeHandlers()
    }

    /// Whether an expression reads the clock, so that its value can change on a day nothing happens.
    static func readsClock(_ source: String) -> Bool {
        source.contains("now(") || source.contains("today(")
    }

    static func sources(_ table: DecisionTable) -> [String] {
        table.inputs.map(\.source) + table.rules.flatMap { $0.outputEntries.map(\.source) }
    }

    /// The decision tables `source` calls, and the tables those call, as indices into `tables` in the
    /// order met. A table counts as called when its name is in the text, as ``ScopeNeeds`` takes it:
    /// at worst a caller builds, or an explanation quotes, a little more than it needs.
    ///
    /// What an expression reads (``needs(of:)``), whether it reads the clock, and what its
    /// explanation quotes (``ExplainPlan``) all follow the calls this way.
    static func tablesCalled(by source: String, in tables: [DecisionTable]) -> [Int] {
        var called: [Int] = []
        var texts = [source]
        var next = 0
        while next < texts.count {
            for (i, table) in tables.enumerated() where !called.contains(i) && texts[next].contains(table.name) {
                called.append(i)
                texts += sources(table)
            }
            next += 1
        }
        return called
    }

    static func expressions(_ action: Action) -> [Expression] {
        switch action {
        case .task(let t): return [t.doneWhen].compactMap { $0 }
        case .alert(let a):
            return a.message.parts.compactMap { if case .expression(let e) = $0 { e } else { nil } }
        case .goto: return []
        case .set(let pairs, _): return pairs.map(\.value)
        }
    }

    /// Which emitted types (by raw value) some expression can read from `case.history`.
    ///
    /// Four in five history entries are emitted events (a task raised, done or overdue, a stage
    /// entered or left), and the shipped definitions read only input events from the history
    /// (earlier referrals, crises): kept for every case, the entries no expression reads were a
    /// tenth of the engine's memory. So each expression that names `history` is asked which `type`
    /// values it can read (``FEELExpression/entryValues(of:onList:)``); the types it names in
    /// strings are added, as the `because` words list earlier events of those types. Any text that
    /// names `history` and cannot be told (a unary test, a use of the list without a type) keeps
    /// every type.
    static func historyEmitted(sources: [String], expressions: [Expression], unaryTests: [String]) -> [Bool] {
        let every = [Bool](repeating: true, count: EmittedType.allCases.count)
        if unaryTests.contains(where: { $0.contains("history") }) { return every }
        var told: [String: Set<String>?] = [:]
        for e in expressions where e.source.contains("history") {
            told[e.source] = e.compiled.entryValues(of: "type", onList: ["case", "history"])
        }
        var types = Set<String>()
        for source in sources where source.contains("history") {
            guard let read = told[source] ?? nil else { return every }
            types.formUnion(read)
            types.formUnion(CaseState.stringLiterals(in: source))
        }
        return EmittedType.allCases.map { types.contains($0.name) }
    }

    /// What `expr` reads of the scope; everything when it is not one of these definitions' own.
    func needs(of expr: Expression) -> ScopeNeeds {
        needsByExpression[expr.identity] ?? needs[expr.source] ?? .all
    }

    static func sources(_ action: Action) -> [String] {
        switch action {
        case .task(let t): return [t.doneWhen?.source ?? ""]
        case .alert(let a):
            return a.message.parts.compactMap { if case .expression(let e) = $0 { e.source } else { nil } }
        case .goto: return []
        case .set(let pairs, _): return pairs.map(\.value.source)
        }
    }
}

/// The parts of the FEEL scope an expression reads, told from its text.
///
/// Over-reading is always safe; under-reading never happens for names written out in the expression.
/// The entries of `case.tasks` and `case.history` carry their costly fields (ids, which are built
/// strings, and moments, which need the zone's offset) only when the expression names them, unless
/// it reads contexts generically (`get value`, `get entries`, `context ...`).
struct ScopeNeeds: OptionSet, Sendable {
    let rawValue: UInt16

    static let caseValue = ScopeNeeds(rawValue: 1)
    static let history = ScopeNeeds(rawValue: 2)
    static let tasks = ScopeNeeds(rawValue: 4)
    static let tables = ScopeNeeds(rawValue: 8)
    /// `id` of list entries.
    static let entryIDs = ScopeNeeds(rawValue: 16)
    /// `raised`, `done` of tasks; `at`, `date` of history entries.
    static let entryTimes = ScopeNeeds(rawValue: 32)
    /// `data` of engine-emitted history entries (built from the task, stage or alert they are about).
    static let entryData = ScopeNeeds(rawValue: 64)
    /// `facts` or `case.facts`.
    static let facts = ScopeNeeds(rawValue: 128)
    /// `event`: most conditions on an event read only the facts or the task it is about, and its FEEL
    /// form was built for every one of them (2% of a run's instructions).
    static let event = ScopeNeeds(rawValue: 256)
    /// `task`, the task an emitted task event is about.
    static let task = ScopeNeeds(rawValue: 512)
    /// Some part of `case` other than `case.tasks` and `case.history` (its id, facts, stages, when it
    /// opened, or the whole context): a condition on the task list alone need not be looked at
    /// again when the case moves stage.
    static let caseOther = ScopeNeeds(rawValue: 1024)
    /// Nothing but what `task` has from its definition (``staticTaskEntries``), through functions
    /// that read nothing else (``FEELExpression/readsOnly(_:calling:)``): the value is the same for
    /// every task of one ``TaskSpec``, and ``EvaluationScope/staticTaskValue(_:_:)`` keeps it.
    /// Never in ``all``: it is a promise about the expression, not a part to build.
    static let staticTask = ScopeNeeds(rawValue: 2048)
    /// The entries of `task` that come from its ``TaskSpec`` (see ``CaseState/taskValue(_:_:parts:)``).
    static let staticTaskEntries: Set<String> = ["key", "title", "role", "pathway", "stage"]
    /// FEEL functions whose value depends on their arguments alone (not on the clock, the calendar or
    /// the decision tables), for ``staticTask``: a short list of the standard library's, enough for
    /// the conditions written on a task's definition (`list contains([...], task.key)`).
    static let pureFunctions: Set<String> = [
        "list contains", "contains", "starts with", "ends with", "not", "string length", "upper case",
        "lower case", "substring", "substring before", "substring after", "matches", "string",
    ]
    static let all: ScopeNeeds = [
        .caseValue, .history, .tasks, .tables, .entryIDs, .entryTimes, .entryData, .facts, .event, .task,
        .caseOther,
    ]

    init(rawValue: UInt16) { self.rawValue = rawValue }

    init(source: String, tableNames: [String]) {
        var n = ScopeNeeds()
        if source.contains("case") { n.insert(.caseValue) }
        if ScopeNeeds.readsCaseBeyondLists(source) { n.insert(.caseOther) }
        if source.contains("history") { n.formUnion([.caseValue, .history]) }
        if source.contains("tasks") { n.formUnion([.caseValue, .tasks]) }
        if tableNames.contains(where: { source.contains($0) }) { n.insert(.tables) }
        let generic = ["get value", "get entries", "context"].contains { source.contains($0) }
        if generic || ScopeNeeds.mentions(source, "id") { n.insert(.entryIDs) }
        if generic || ["raised", "done", "at", "date"].contains(where: { ScopeNeeds.mentions(source, $0) }) {
            n.insert(.entryTimes)
        }
        if generic || ScopeNeeds.mentions(source, "data") { n.insert(.entryData) }
        if generic || ScopeNeeds.mentions(source, "facts") { n.insert(.facts) }
        // A name is read only by writing it (FEEL cannot reach the scope as a context), so a text
        // that does not mention it does not read it; a table's inputs are added to its callers'.
        if ScopeNeeds.mentions(source, "event") { n.insert(.event) }
        if ScopeNeeds.mentions(source, "task") { n.insert(.task) }
        self = n
    }

    /// Whether some mention of `case` in `source` is not `case.tasks` or `case.history`. A string
    /// that holds `case` counts too ("case.closed"), which only makes a condition looked at more.
    static func readsCaseBeyondLists(_ source: String) -> Bool {
        let s = Array(source.utf8)
        return mentions(s, "case") { end in
            let rest = s[end...]
            return ![".tasks", ".history"].contains { list in
                let l = Array(list.utf8)
                return rest.starts(with: l) && (rest.count == l.count || !isNameByte(rest[rest.startIndex + l.count]))
            }
        }
    }

    /// Whether `b` can be part of a FEEL name (ASCII letters, digits, `_`, and any non-ASCII byte).
    static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x5F || b >= 0x80
    }

    /// Whether `word` occurs in `source` as a whole name part (not inside `status` or `valid`).
    static func mentions(_ source: String, _ word: String) -> Bool {
        mentions(Array(source.utf8), word) { _ in true }
    }

    /// Whether `word` occurs in `s` as a whole name part for which `test`, given the index just
    /// after it, holds.
    static func mentions(_ s: [UInt8], _ word: String, where test: (Int) -> Bool) -> Bool {
        let w = Array(word.utf8)
        guard !w.isEmpty, s.count >= w.count else { return false }
        for i in 0...(s.count - w.count) where s[i] == w[0] && Array(s[i..<i + w.count]) == w {
            let before = i == 0 || !isNameByte(s[i - 1])
            let after = i + w.count == s.count || !isNameByte(s[i + w.count])
            if before && after && test(i + w.count) { return true }
        }
        return false
    }
}
