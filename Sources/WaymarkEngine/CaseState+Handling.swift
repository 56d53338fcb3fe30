import WaymarkFEEL
import WaymarkModel

/// What the id of an alert raised by a list of actions is made of, put into words only when one is
/// raised: most actions raise tasks, and an emitted event's id is a string made for the purpose.
enum TriggerKey {
    /// The event being handled: its id, made from its history item if it has none (an emitted
    /// event). Not the whole trigger, whose copy was a reference count for each of its parts.
    case event(id: String, HistoryItem)
    /// The day of a daily rule or a stage's deadline.
    case text(String)
    /// A stage entered with no event to name (`STAGE-N` for its Nth entry).
    case stageEntry(String, Int32)
}

/// Where a list of actions comes from: a pathway hook or a rule.
enum ActionOrigin {
    case hook(enrolment: Int, stage: Int, name: String)
    case rule(Int)
}

extension CaseState {
    /// The cascade limit: deeper chains of emitted events stop with an error.
    static let cascadeLimit = 32

    // MARK: Events and timers

    mutating func apply(eventAt index: Int, _ env: EngineDefinitions) {
        let e = events[index]
        now = e.at
        lastHandled = e.at
        if opened == nil { opened = e.at }
        let (facts, data) = contents(e)
        let trigger = Trigger(
            id: e.id, type: e.type, at: e.at, data: data, facts: facts, history: .input(Int32(index)), task: nil,
            depth: 0)
        handle(trigger, env)
        drain(env)
        scheduleDaily(env)
        if env.packsCasesAtRest { pack(index) }
    }

    mutating func fire(_ timer: CaseTimer, _ env: EngineDefinitions) {
        now = timer.at
        lastHandled = timer.at
        depth = 0
        // A daily check keeps the FEEL view of the case: it does not depend on the time, and an
        // unchanged case is checked again each day while a rule reads the clock.
        switch timer.kind {
        case .overdue(let t):
            let ti = Int(t)
            guard tasks[ti].status == .open else { return }
            noteTaskChange(ti)
            tasks[ti].status = .overdue
            noteTaskChange(ti)
            scopeCache = nil
            let (spec, caseID) = (tasks[ti].spec, id)
            emit(.taskOverdue, subject: ti, stage: -1, source: "task \(caseID)/\(spec.idTail)")
            drain(env)
            scheduleDaily(env, fromTimer: true)
        case .breach(let e, let entry):
            let ei = Int(e)
            let enrolment = enrolments[ei]
            guard enrolment.closed == nil, enrolment.entries == entry else { return }
            scopeCache = nil
            let cp = env.pathway(of: enrolment)
            let stage = cp.stage(Int(enrolment.stage))
            let within = stage.within?.text ?? "its deadline"
            let deadline = cp.calendar.zone.date(of: now).addingDays(-1)
            let reason =
                "Stage \(stage.id) of \(cp.pathway.id) v\(cp.pathway.version) was still current at the end of "
                + "\(deadline.isoString), \(within) after it was entered on "
                + "\(cp.calendar.zone.date(of: enrolment.since).isoString) (deadline defined at "
                + "\(stage.location.file):\(stage.location.line))"
            emit(
                .stageBreached, subject: ei, stage: Int(enrolment.stage), source: "\(cp.pathway.id):\(stage.id):within")
            runActions(
                stage.onBreach, origin: .hook(enrolment: ei, stage: Int(enrolment.stage), name: "on_breach"),
                trigger: nil, triggerKey: .text(deadline.addingDays(1).isoString), reason: .words(reason), env)
            drain(env)
            scheduleDaily(env, fromTimer: true)
        case .daily:
            // Another may be set for a later midnight (a look ahead's).
            dailyScheduled = timers.first { $0.isDaily }?.at
            dailyRan = now
            runDaily(env)
            drain(env)
            // What the day's actions changed (a task raised) is looked at the next day.
            scheduleDaily(env)
        }
    }

    /// Handles emitted events in the order they were emitted, stopping any chain deeper than the limit.
    mutating func drain(_ env: EngineDefinitions) {
        var head = 0
        while head < pendingCount {
            let item = pendingHistory(head)
            head += 1
            // Nothing in the definitions names this type: it only goes into the history.
            let reacts: Bool
            if case .emitted(_, _, _, let type) = item {
                reacts = env.reactsTo(type)
            } else {
                reacts = env.reactsTo(pendingType(head - 1))
            }
            if !reacts {
                appendToHistory(item, env)
                continue
            }
            handle(takePending(head - 1), env)
        }
        // The list's storage is kept for the rest of the run: let go, it was made again for the next
        // event's first emitted event, a million times over a million events.
        pending.removeAll(keepingCapacity: true)
    }

    /// Adds a handled event to the history, if the history keeps its kind (see
    /// ``EngineDefinitions/keeps(_:)``).
    mutating func appendToHistory(_ item: HistoryItem, _ env: EngineDefinitions) {
        guard env.keeps(item) else { return }
        history.makeRoomForOneMore()
        history.append(item)
    }

    /// The number of a new alert of `site`'s rule and `triggerKey` among those of the case: ids are
    /// unique in a case, so a second alert of the same rule and trigger is `#2`, and so on past any
    /// id taken.
    ///
    /// While no rule id holds `/` or `#` and no trigger key holds `#`, an id names its rule, key and
    /// number and no other (after the case id, the rule is what comes before the next `/`, and a
    /// number is what follows the `#`), so counting the alerts of the same rule and key is enough;
    /// otherwise (`a/b` + `c` and `a` + `b/c` make the same id) the ids are made and compared. A key
    /// may hold `/`: the key of an alert raised on an emitted event is that event's id, which names
    /// a task (`task.overdue:CASE/PATHWAY/STAGE/KEY/1`), and with `/` counted against it half of the
    /// alerts took the slow way, 3,700 instructions each.
    ///
    /// Whether each alert's id is plain is kept with it (``AlertState/idIsPlain``): scanned again
    /// for each new alert, the rule ids and keys of the case's alerts cost about 5,000 instructions
    /// an alert raised.
    func alertOccurrence(_ site: AlertSite, triggerKey: String, keyIsPlain: Bool) -> Int32 {
        if site.ruleIsPlain && keyIsPlain && alerts.allSatisfy(\.idIsPlain) {
            let rule = site.rule
            return Int32(alerts.count { ($0.site === site || $0.rule == rule) && $0.triggerKey == triggerKey } + 1)
        }
        var taken = Set<String>()
        for i in alerts.indices { taken.insert(alertID(i)) }
        let base = "\(id)/\(site.rule)/\(triggerKey)"
        var occurrence: Int32 = 1
        while taken.contains(occurrence == 1 ? base : "\(base)#\(occurrence)") { occurrence += 1 }
        return occurrence
    }

    /// Queues an engine-emitted event, to be handled once the current one is done.
    /// `source` (the definition that emitted it) is only put into words if the cascade is stopped.
    mutating func emit(_ type: EmittedType, subject: Int, stage: Int, source: @autoclosure () -> String) {
        let next = depth + 1
        if next > CaseState.cascadeLimit {
            problems.append(
                "Stopped a cascade deeper than \(CaseState.cascadeLimit) emitted events at \(now.formatted(in: .utc)): "
                    + "\(type.name) from \(source()); check the rules and stage actions that react to "
                    + "\(type.name) and raise it again")
            return
        }
        let item = HistoryItem.emitted(at: now, subject: Int32(subject), stage: Int16(stage), type)
        let isTask =
            switch type {
            case .taskRaised, .taskDone, .taskOverdue, .taskCancelled: true
            case .stageEntered, .stageExited, .stageBreached, .alertRaised: false
            }
        pending.append(
            Trigger(
                id: "", type: type.name, at: now, data: nil, facts: nil, history: item, task: isTask ? subject : nil,
                depth: next))
    }

    /// What an alert's id is made of (see ``TriggerKey``), in words.
    func text(of key: TriggerKey) -> String {
        switch key {
        case .event(let id, let item): id.isEmpty ? emittedID(item) : id
        case .text(let text): text
        case .stageEntry(let stage, let entry): "\(stage)-\(entry)"
        }
    }

    /// The id of the event being handled. An emitted event's is made here, when read: by an alert it
    /// raises (the id is the alert's trigger key) or an expression that reads `event.id`. Made for
    /// every emitted event handled, it was 3% of a run's instructions, for ids hardly ever read.
    func triggerID(_ t: Trigger) -> String {
        t.id.isEmpty ? emittedID(t.history) : t.id
    }

    /// The id of an emitted event: `TYPE:TASK-ID`, `TYPE:ALERT-ID`, or `TYPE:CASE/PATHWAY/STAGE/N` for a
    /// stage's Nth entry.
    func emittedID(_ item: HistoryItem) -> String {
        guard case .emitted(_, _, _, let type) = item else { return "" }
        var out = ByteBuffer()
        out.write(type.name)
        out.append(":")
        writeEmittedSubject(item, to: &out)
        return out.string
    }

    /// What an emitted event is about, as its id names it after the type: `TASK-ID`, `ALERT-ID` or
    /// `CASE/PATHWAY/STAGE`, appended to `out`.
    func writeEmittedSubject(_ item: HistoryItem, to out: inout ByteBuffer) {
        guard case .emitted(_, let subject, let stage, let type) = item else { return }
        switch type {
        case .taskRaised, .taskDone, .taskOverdue, .taskCancelled: writeTaskID(Int(subject), to: &out)
        case .alertRaised: out.write(alertID(Int(subject)))
        case .stageEntered, .stageExited, .stageBreached:
            out.write(id)
            out.append("/")
            out.write(pathwayID(Int(subject)))
            out.append("/")
            out.write(stageID(Int(subject), Int(stage)))
        }
    }

    // MARK: One event, in the spec's order

    mutating func handle(_ t: Trigger, _ env: EngineDefinitions) {
        depth = t.depth
        eventCache = nil
        defer { eventCache = nil }
        scopeCache = nil
        let defs = env.newest
        // 1. Facts.
        if let f = t.facts {
            updateFacts { $0.merge(f) }
        }
        // 2. Enrolment.
        var justOpened: [Int] = []
        let handlers = defs.handlers(of: t)
        for pi in handlers.enrolPathways {
            let cp = defs.pathways[pi]
            if enrolments.contains(where: { $0.closed == nil && env.pathway(of: $0).pathway.id == cp.pathway.id }) {
                continue
            }
            guard holds(cp.pathway.enrol.when, t, task: nil, cp.calendar) else { continue }
            let reason = Reason.enrolled(
                t.history, cp,
                explainCondition(cp.pathway.enrol.when, t, task: nil, cp.calendar, bare: cp.bareEnrolExplanation))
            enrolments.append(
                EnrolmentState(
                    version: Int32(env.versions.count - 1), pathway: Int32(pi), stage: -1, since: now, opened: now,
                    closed: nil, entries: 0))
            changedParts.insert(.enrolled)
            let ei = enrolments.count - 1
            justOpened.append(ei)
            enter(ei, stage: cp.stageIndex[cp.pathway.start] ?? 0, reason: reason, trigger: t, env)
        }
        // 3. Completions.
        // Only tasks that were open before this event: a repeat raised by a completion waits for the next one.
        let existing = tasks.count
        // Which task a `task.completed` event names, read once rather than for every open task.
        var named: String?
        if case .input = t.history, t.type == "task.completed", case .string(let s)? = t.data?["task"] { named = s }
        var ti = 0
        while ti < existing {
            defer { ti += 1 }
            guard tasks[ti].status.isOpen else { continue }
            var completes = false
            if let named, named == taskID(ti) {
                completes = true
            } else if tasks[ti].spec.isDone(on: t),
                holds(tasks[ti].template.doneWhen, t, task: ti, tasks[ti].calendar)
            {
                completes = true
            }
            if completes { complete(ti, by: t, env) }
        }
        // 4. The first matching transition of each open enrolment.
        let newest = Int32(env.versions.count - 1)
        for ei in enrolments.indices where enrolments[ei].closed == nil && !justOpened.contains(ei) {
            let cp = env.pathway(of: enrolments[ei])
            let si = Int(enrolments[ei].stage)
            // Which transitions are on the event's type, a bit each, when the handlers know it.
            var onType = CompiledPathway.allExits
            if case .input = t.history, enrolments[ei].version == newest {
                guard !handlers.exits.isEmpty else { continue }
                onType = handlers.exits[Int(enrolments[ei].pathway)][si]
                guard onType != 0 else { continue }
            } else {
                guard cp.mayExit(si, on: t) else { continue }
            }
            let exits = cp.exits[si]
            for k in exits.indices {
                let isOn =
                    onType == CompiledPathway.allExits ? exits[k].on.contains(t.type) : onType & (1 << UInt64(k)) != 0
                guard isOn, holds(exits[k].when, t, task: nil, cp.calendar) else { continue }
                let reason = Reason.moved(
                    t.history, from: cp.pathway.stages[si].id, to: exits[k].to,
                    explainCondition(exits[k].when, t, task: nil, cp.calendar, bare: cp.bareExitExplanations[si][k]))
                move(ei, to: exits[k].to, index: cp.exitTargets[si][k], reason: reason, trigger: t, env)
                break
            }
        }
        raiseRepeats()
        // 5. Rules.
        for ri in handlers.rules {
            let cr = defs.rules[ri]
            guard ruleApplies(cr, env) else { continue }
            guard holds(cr.rule.when, t, task: t.task, cr.calendar) else { continue }
            let reason = Reason.rule(
                cr, t.history,
                explainCondition(cr.rule.when, t, task: t.task, cr.calendar, bare: cr.bareExplanation))
            runActions(
                cr.rule.then, origin: .rule(ri), trigger: t, triggerKey: .event(id: t.id, t.history), reason: reason,
                env)
        }
        appendToHistory(t.history, env)
        scopeCache = nil
    }

    /// Whether a rule looks at this case now: always without `pathway:`, else while the case is open on it.
    func ruleApplies(_ cr: CompiledRule, _ env: EngineDefinitions) -> Bool {
        !cr.namesPathway || openEnrolment(of: cr, env) != nil
    }

    /// The first open enrolment on the pathway rule `cr` (of the newest definitions) names; nil when
    /// there is none or the rule names none. An enrolment on the newest definitions is told by the
    /// pathway's index, an older one by its id.
    func openEnrolment(of cr: CompiledRule, _ env: EngineDefinitions) -> Int? {
        guard cr.namesPathway else { return nil }
        let newest = Int32(env.versions.count - 1)
        for e in enrolments.indices where enrolments[e].closed == nil {
            if enrolments[e].version == newest {
                if enrolments[e].pathway == cr.pathwayIndex { return e }
            } else if env.pathway(of: enrolments[e]).pathway.id == cr.rule.pathway {
                return e
            }
        }
        return nil
    }

    // MARK: Stages

    /// Moves enrolment `ei` to stage `stageID`; `trigger` is the event being handled (none for a
    /// timer), which the stages' hooks see as `event`.
    ///
    /// - Parameter index: the index of `stageID` in the pathway, when the caller knows it.
    mutating func move(
        _ ei: Int, to stageID: String, index: Int? = nil, reason: Reason, trigger: Trigger?, _ env: EngineDefinitions
    ) {
        let cp = env.pathway(of: enrolments[ei])
        guard let target = index ?? cp.stageIndex[stageID] else {
            problems.append("\(cp.pathway.id) has no stage \(stageID) (asked for by: \(words(reason)))")
            return
        }
        let old = Int(enrolments[ei].stage)
        let entry = enrolments[ei].entries
        // The stage's fields are read in place, here and in `enter`: a copy of a stage is a reference
        // count for each of its fields, and a release for each when it goes (1.7% of a run's
        // instructions).
        let before = tasks.count
        runActions(
            cp.pathway.stages[old].onExit, origin: .hook(enrolment: ei, stage: old, name: "on_exit"),
            trigger: trigger,
            triggerKey: trigger.map { .event(id: $0.id, $0.history) } ?? .stageEntry(cp.pathway.stages[old].id, entry),
            reason: reason,
            env)
        // An exit action may itself have moved the case on: then this move is settled.
        guard enrolments[ei].entries == entry, enrolments[ei].closed == nil else { return }
        for ti in 0..<before
        where tasks[ti].enrolment == Int32(ei) && tasks[ti].stageIndex == Int16(old)
            && tasks[ti].status.isOpen && !tasks[ti].template.carry
        {
            cancel(ti, env)
        }
        emit(.stageExited, subject: ei, stage: old, source: "\(cp.pathway.id):\(cp.pathway.stages[old].id)")
        // The stage's deadline is over with this entry of it.
        let enrolment = Int32(ei)
        dropTimers { if case .breach(enrolment, entry) = $0 { true } else { false } }
        enter(ei, stage: target, reason: reason, trigger: trigger, env)
    }

    mutating func enter(_ ei: Int, stage target: Int, reason: Reason, trigger: Trigger?, _ env: EngineDefinitions) {
        let cp = env.pathway(of: enrolments[ei])
        enrolments[ei].stage = Int32(target)
        enrolments[ei].since = now
        enrolments[ei].entries += 1
        let entry = enrolments[ei].entries
        scopeCache = nil
        emit(.stageEntered, subject: ei, stage: target, source: "\(cp.pathway.id):\(cp.pathway.stages[target].id)")
        let entered = Reason.entered(cp, stage: Int32(target), on: cp.calendar.zone.date(of: now), reason)
        runActions(
            cp.pathway.stages[target].onEnter, origin: .hook(enrolment: ei, stage: target, name: "on_enter"),
            trigger: trigger,
            triggerKey: trigger.map { .event(id: $0.id, $0.history) }
                ?? .stageEntry(cp.pathway.stages[target].id, entry),
            reason: entered, env)
        guard enrolments[ei].entries == entry, enrolments[ei].closed == nil else { return }
        for spec in cp.stageTasks[target] {
            raise(spec, enrolment: ei, stageIndex: target, because: entered, dueFrom: nil)
        }
        if let within = cp.pathway.stages[target].within {
            let deadline = cp.calendar.date(after: now, within)
            addTimer(cp.calendar.overdueMoment(deadline), .breach(enrolment: Int32(ei), entry: entry))
        }
        if cp.pathway.stages[target].final { close(ei, env) }
    }

    /// Closes an enrolment at a final stage, cancelling every task that belongs to it.
    mutating func close(_ ei: Int, _ env: EngineDefinitions) {
        enrolments[ei].closed = now
        changedParts.insert(.enrolled)
        let enrolment = Int32(ei)
        dropTimers { if case .breach(enrolment, _) = $0 { true } else { false } }
        for ti in tasks.indices
        where tasks[ti].enrolment == Int32(ei) && tasks[ti].status.isOpen {
            cancel(ti, env)
        }
    }

    // MARK: Tasks

    /// The id of task `ti`: `CASE/PATHWAY/STAGE/KEY/N` or `CASE/RULE/KEY/N` (written by
    /// ``writeTaskID(_:to:)``, the one place that says how).
    func taskID(_ ti: Int) -> String {
        Self.taskID(tasks[ti], caseID: id)
    }

    /// The id of task `t` of case `caseID`, for callers that hold the case's task list only.
    static func taskID(_ t: TaskState, caseID: String) -> String {
        var out = ByteBuffer()
        writeTaskID(t, caseID: caseID, to: &out)
        return out.string
    }

    mutating func raise(
        _ spec: TaskSpec, enrolment: Int?, stageIndex: Int?, because: Reason, dueFrom: FEELDate?
    ) {
        var occurrence = 1
        for ti in tasks.indices where tasks[ti].spec.sharesPrefix(with: spec) { occurrence += 1 }
        let calendar = spec.calendar
        // The template read in place: a copy of it is a reference count for each of its fields.
        let due =
            dueFrom.map { calendar.date(after: $0, spec.template.repeat ?? spec.template.due) }
            ?? calendar.date(after: now, spec.template.due)
        tasks.makeRoomForOneMore()
        tasks.append(
            TaskState(
                spec: spec, enrolment: Int32(enrolment ?? -1), stageIndex: Int16(stageIndex ?? -1),
                occurrence: Int32(occurrence), dueDay: Int32(due.dayNumber), status: .open, raised: now, done: nil,
                reason: because))
        let ti = tasks.count - 1
        let overdue = calendar.overdueMoment(due)
        // Raised after its due date has passed (a review done late raises the next one from the late
        // one's due date): overdue from the start, so that what this event sets off (a `done_when`
        // asking whether any work is still overdue) sees it so.
        let late = overdue <= now
        if late { tasks[ti].status = .overdue } else { addTimer(overdue, .overdue(task: Int32(ti))) }
        noteTaskChange(ti)
        emit(.taskRaised, subject: ti, stage: stageIndex ?? -1, source: "task \(spec.template.key)")
        let caseID = id
        if late { emit(.taskOverdue, subject: ti, stage: -1, source: "task \(caseID)/\(spec.idTail)") }
    }

    mutating func complete(_ ti: Int, by t: Trigger, _ env: EngineDefinitions) {
        finish(ti, .done, env)
        guard tasks[ti].template.repeat != nil else { return }
        let task = tasks[ti]
        // The next occurrence waits for the transitions (step 4): the event that completes a review may
        // also move the case out of the stage, and then there is no next review to raise.
        repeatsDue.append(
            (
                task: Int32(ti),
                entries: task.enrolment >= 0 ? enrolments[Int(task.enrolment)].entries : 0,
                reason: .repeated(task: Int32(ti), doneOn: task.calendar.zone.date(of: now), by: t.history)
            ))
    }

    /// Raises the next occurrence of each repeating task completed by this event, for as long as the
    /// case stays in the task's stage (the same entry of it) or, for a rule's task, its enrolment is open.
    mutating func raiseRepeats() {
        // Asked after every event; nearly always there is none, and the list is not copied to see.
        guard hasRepeatsDue else { return }
        let due = repeatsDue
        repeatsDue.removeAll()
        for (ti, entries, reason) in due {
            let task = tasks[Int(ti)]
            if task.enrolment >= 0 {
                let e = enrolments[Int(task.enrolment)]
                guard e.closed == nil else { continue }
                if task.stageIndex >= 0, e.stage != Int32(task.stageIndex) || e.entries != entries { continue }
            }
            raise(
                task.spec, enrolment: task.enrolment >= 0 ? Int(task.enrolment) : nil,
                stageIndex: task.stageIndex >= 0 ? Int(task.stageIndex) : nil, because: reason, dueFrom: task.due)
        }
    }

    mutating func cancel(_ ti: Int, _ env: EngineDefinitions) { finish(ti, .cancelled, env) }

    /// Notes a change to task `ti` for the daily rules that see only the tasks their filter lets
    /// through (see ``CaseParts/filteredTasks``): called before and after the change, so that a task
    /// leaving a filter's view counts as well as one entering it.
    mutating func noteTaskChange(_ ti: Int) {
        guard let filters = scopeDefinitions?.newest.dailyTaskFilters else {
            changedParts.insert(.filteredTasks)
            return
        }
        if filters.contains(where: { $0.passes(tasks[ti]) }) { changedParts.insert(.filteredTasks) }
    }

    /// Marks task `ti` done (now) or cancelled and emits `task.done` or `task.cancelled`. A finished
    /// task is never overdue, so its check goes (see ``dropTimers(where:)``), and its reason goes
    /// too when no one will read it (see ``Engine/keepsFinishedTaskReasons``).
    mutating func finish(_ ti: Int, _ status: TaskStatus, _ env: EngineDefinitions) {
        noteTaskChange(ti)
        tasks[ti].status = status
        noteTaskChange(ti)
        tasks[ti].done = status == .done ? now : nil
        if !env.keepsFinishedTaskReasons { tasks[ti].reason = .notKept }
        let task = Int32(ti)
        dropTimers { if case .overdue(task) = $0 { true } else { false } }
        scopeCache = nil
        let (spec, caseID) = (tasks[ti].spec, id)
        emit(
            status == .done ? .taskDone : .taskCancelled, subject: ti, stage: Int(tasks[ti].stageIndex),
            source: "task \(caseID)/\(spec.idTail)")
    }

    // MARK: Actions

    mutating func runActions(
        _ actions: [Action], origin: ActionOrigin, trigger: Trigger?, triggerKey: TriggerKey,
        reason: Reason, _ env: EngineDefinitions
    ) {
        guard !actions.isEmpty else { return }
        let defs = env.newest
        for (ai, action) in actions.enumerated() {
            switch action {
            case .task:
                switch origin {
                case .hook(let ei, let si, let name):
                    let cp = env.pathway(of: enrolments[ei])
                    guard let spec = cp.hookTasks["\(si):\(name)"]?[ai] else { continue }
                    raise(spec, enrolment: ei, stageIndex: si, because: reason, dueFrom: nil)
                case .rule(let ri):
                    let cr = defs.rules[ri]
                    guard let spec = cr.taskSpecs[ai] else { continue }
                    // No closure here or below that calls a method of the case: each such call from
                    // a closure, in this mutating method, copied the whole case first.
                    raise(spec, enrolment: openEnrolment(of: cr, env), stageIndex: nil, because: reason, dueFrom: nil)
                }
            case .alert(let template):
                let site: AlertSite?
                let calendar: CalendarInfo
                switch origin {
                case .hook(let ei, let si, let name):
                    let cp = env.pathway(of: enrolments[ei])
                    site = cp.hookAlerts["\(si):\(name)"]?[ai]
                    calendar = cp.calendar
                case .rule(let ri):
                    site = defs.rules[ri].alertSites[ai]
                    calendar = defs.rules[ri].calendar
                }
                guard let site else { continue }
                // Written when read if it depends on the case id alone (see `AlertSite`).
                let message =
                    site.textAroundCaseID == nil ? render(template.message, trigger, task: trigger?.task, calendar) : ""
                let key = text(of: triggerKey)
                let keyIsPlain = !key.utf8.contains(UInt8(ascii: "#"))
                let occurrence = alertOccurrence(site, triggerKey: key, keyIsPlain: keyIsPlain)
                alerts.append(
                    AlertState(
                        site: site, at: now, writtenMessage: message, reason: reason, triggerKey: key,
                        occurrence: occurrence, idIsPlain: site.ruleIsPlain && keyIsPlain))
                scopeCache = nil
                emit(
                    .alertRaised, subject: alerts.count - 1, stage: -1,
                    source: "\(site.rule) at \(site.location.file):\(site.location.line)")
            case .goto(let stageID, _):
                switch origin {
                case .hook(let ei, _, _):
                    move(ei, to: stageID, reason: .then(reason, goto: stageID), trigger: trigger, env)
                case .rule(let ri):
                    let cr = defs.rules[ri]
                    var target = openEnrolment(of: cr, env)
                    if target == nil {
                        for ei in enrolments.indices
                        where enrolments[ei].closed == nil && env.pathway(of: enrolments[ei]).stageIndex[stageID] != nil
                        {
                            target = ei
                            break
                        }
                    }
                    if let ei = target { move(ei, to: stageID, reason: reason, trigger: trigger, env) }
                }
            case .set(let pairs, _):
                let calendar: CalendarInfo
                switch origin {
                case .hook(let ei, _, _): calendar = env.pathway(of: enrolments[ei]).calendar
                case .rule(let ri): calendar = defs.rules[ri].calendar
                }
                for pair in pairs {
                    let value = evaluateCaching(pair.value, trigger, task: trigger?.task, calendar)
                    updateFacts { $0.set(value, at: pair.path[...]) }
                    scopeCache = nil
                }
            }
        }
    }

    // MARK: Daily rules

    /// After a change, wakes the case at the next midnight for its daily rules, if the change is to
    /// something one of them reads. A change to nothing they read cannot change their values: it
    /// woke the case for nothing (8% of the daily wake-ups in a run of a million events).
    ///
    /// A change made by an overdue or breach timer at 00:00 is looked at that same midnight, unless the
    /// daily rules have run at it already: the rules run at 00:00 after that midnight's timers, as
    /// they would if every case were looked at every day. (Looked at the next midnight, a rule on
    /// `t.status = "overdue"` fired a day later on a case with nothing else scheduled that night.)
    mutating func scheduleDaily(_ env: EngineDefinitions, fromTimer: Bool = false) {
        guard !changedParts.isDisjoint(with: env.newest.dailyReads) else { return }
        if fromTimer, dailyRan != now {
            let zone = env.newest.defaultCalendar.zone
            let today = zone.date(of: now)
            if zone.startOfDay(today) == now {
                wakeForDailyRules(on: today, env)
                return
            }
        }
        wakeForDailyRules(env)
    }

    /// Wakes the case for its daily rules at 00:00 of `day` (by default, the next midnight).
    mutating func wakeForDailyRules(on day: FEELDate? = nil, _ env: EngineDefinitions) {
        let defs = env.newest
        guard !defs.dailyRules.isEmpty else { return }
        let zone = defs.defaultCalendar.zone
        wakeForDailyRules(at: zone.startOfDay(day ?? zone.date(of: now).addingDays(1)))
    }

    /// Wakes the case for its daily rules at midnight `next`. A look at an earlier midnight makes
    /// this one's wake-up itself if it is still needed.
    mutating func wakeForDailyRules(at next: Moment) {
        if let scheduled = dailyScheduled, scheduled <= next { return }
        dailyScheduled = next
        guard !timers.contains(where: { $0.isDaily && $0.at == next }) else { return }
        addTimer(next, .daily)
    }

    /// Evaluates every daily rule, firing those whose condition has just become true.
    mutating func runDaily(_ env: EngineDefinitions) {
        let defs = env.newest
        let zone = defs.defaultCalendar.zone
        let day = zone.date(of: now)
        let tomorrow = zone.startOfDay(day.addingDays(1))
        let changes = changedParts
        changedParts = []
        for ri in defs.dailyRules {
            let cr = defs.rules[ri]
            let stale = !changes.isDisjoint(with: defs.ruleReads[ri])
            let mark = dailyMarks.firstIndex { $0.rule == Int32(ri) }
            let wasTrue = mark.map { dailyMarks[$0].isTrue } ?? false
            // Nothing the condition reads has changed: its value is the last evaluation's, unless that
            // evaluation read the date and the date may have changed it by now.
            if !stale && !(mark.map { dailyMarks[$0].lookAgain <= now } == true) { continue }
            let applies = hasOpenEnrolment && ruleApplies(cr, env)
            if applies { dailyChecks += 1 }
            // Whether this evaluation read the date, not whether the text could: `some t in case.tasks
            // satisfies t.status = "overdue" and working days between(t.due, today()) > 5` reads it only
            // for an overdue task, and its value cannot change with the date until the case does.
            let clock = sharedScope().clockReads
            let readsBefore = clock.reads
            let isTrue = applies && holds(cr.rule.when, nil, task: nil, cr.calendar)
            let readClock = cr.readsClock && clock.reads > readsBefore
            // When the date alone could change the value. Never, for a condition that did not read it
            // or that is true and stays true as days pass (a rule fires only when its condition
            // becomes true). For one that is false and only rises with the date, the first midnight
            // a look ahead finds it true.
            var lookAgain = Moment.distantFuture
            if readClock && !(isTrue && cr.staysTrue) {
                lookAgain = !isTrue && cr.rises ? firstMidnightHolding(cr, after: day, zone) : tomorrow
            }
            // A rule with neither mark (false, and the date alone cannot make it true) needs none.
            let needsMark = isTrue || lookAgain < .distantFuture
            if let mark {
                dailyMarks[mark].isTrue = isTrue
                dailyMarks[mark].lookAgain = lookAgain
                if !needsMark { dailyMarks.remove(at: mark) }
            } else if needsMark {
                dailyMarks.append(DailyMark(rule: Int32(ri), isTrue: isTrue, lookAgain: lookAgain))
            }
            if isTrue && !wasTrue {
                let reason = Reason.daily(
                    cr, day: day,
                    explainCondition(cr.rule.when, nil, task: nil, cr.calendar, bare: cr.bareExplanation))
                runActions(
                    cr.rule.then, origin: .rule(ri), trigger: nil, triggerKey: .text(day.isoString), reason: reason, env
                )
            }
        }
        // The next look the date alone calls for, whichever rule's it is; what the actions change is
        // looked at through `scheduleDaily` once they are handled (see `fire`).
        if let next = dailyMarks.lazy.map(\.lookAgain).min(), next < .distantFuture {
            wakeForDailyRules(at: next)
        }
    }

    /// How many days a look ahead spans: a condition on work more than 5 working days overdue turns
    /// true about a week after the work went overdue, so one look at the eighth day and three to find
    /// the first true day between replace seven wake-ups and checks.
    static let lookAheadDays = 8

    /// The first midnight after `day`, up to ``lookAheadDays`` on, at which `cr`'s condition, just
    /// evaluated false, holds of the case as it is now; the midnight after that span if none.
    ///
    /// The condition rises with the date (``CompiledRule/rises``): while nothing it reads changes,
    /// false on a day means false on every day before it. So one evaluation at the end of the span
    /// shows the whole span false, or a binary search finds the first true day in it. Anything that
    /// changes what the condition reads before then (an event, a task going overdue) wakes the case
    /// for its daily rules as before, and the rule is looked at again then.
    mutating func firstMidnightHolding(_ cr: CompiledRule, after day: FEELDate, _ zone: ZoneOffsets) -> Moment {
        guard let condition = cr.rule.when else { return zone.startOfDay(day.addingDays(1)) }
        let span = Self.lookAheadDays
        func holdsOn(_ days: Int) -> Bool {
            dailyChecks += 1
            return holdsAgain(condition, cr.calendar, at: zone.startOfDay(day.addingDays(days)))
        }
        guard holdsOn(span) else { return zone.startOfDay(day.addingDays(span + 1)) }
        var (falseDays, trueDays) = (0, span)
        while trueDays - falseDays > 1 {
            let mid = (falseDays + trueDays) / 2
            if holdsOn(mid) { trueDays = mid } else { falseDays = mid }
        }
        return zone.startOfDay(day.addingDays(trueDays))
    }
}
