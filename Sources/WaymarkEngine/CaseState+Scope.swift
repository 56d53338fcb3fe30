import WaymarkFEEL
import WaymarkModel

/// The FEEL view of a case: the values of `event`, `case`, `facts` and `task` (spec section 2).
extension CaseState {
    /// Evaluates with the case's scope, building `case` at most once per handling step, and only its
    /// parts that the expression reads.
    ///
    /// - Parameter filterTasks: whether `case.tasks` may hold only the tasks the expression can be made
    ///   true by (see ``TaskFilter``); false when the caller sets the task list itself.
    mutating func evaluateCaching(
        _ expr: Expression, _ t: Trigger?, task: Int?, _ calendar: CalendarInfo, filterTasks: Bool = true
    ) -> FEELValue {
        let needs = scopeDefinitions?.newest.needs(of: expr) ?? .all
        if needs.contains(.staticTask), let task {
            // The same for every task of this definition (a rule on `task.overdue` that asks which
            // task it is: a quarter of the conditions evaluated on events in the benchmark's stream).
            let spec = tasks[task].spec
            let scope = sharedScope()
            if let kept = scope.staticTaskValue(expr, spec) { return kept }
            let value = evaluateInScope(expr, t, task: task, calendar, needs: needs, filterTasks: filterTasks)
            scope.keepStaticTaskValue(value, expr, spec)
            return value
        }
        return evaluateInScope(expr, t, task: task, calendar, needs: needs, filterTasks: filterTasks)
    }

    /// ``evaluateCaching(_:_:task:_:filterTasks:)`` with the scope built (as much of it as `needs`
    /// asks for).
    private mutating func evaluateInScope(
        _ expr: Expression, _ t: Trigger?, task: Int?, _ calendar: CalendarInfo, needs: ScopeNeeds,
        filterTasks: Bool
    ) -> FEELValue {
        var caseValue = FEELValue.null
        if needs.contains(.caseValue) {
            let parts = Self.caseParts(needs)
            if let cached = scopeCache, scopeCacheParts.isSuperset(of: parts) {
                caseValue = cached
            } else if filterTasks, let filter = scopeDefinitions?.newest.taskFilters[expr.identity] {
                // No task it could be made true by, and false without one: the value FEEL would give,
                // without the scope built and the expression walked (a fifth of the daily conditions
                // looked at in the benchmark's stream: the rule on overdue work, with none overdue).
                if filter.falseWhenNonePass && !tasks.contains(where: filter.passes) { return .boolean(false) }
                // Not kept: the next expression may need the whole list.
                caseValue = caseValueCaching(calendar, parts: parts, only: (filter, expr.identity))
            } else {
                caseValue = caseValueCaching(calendar, parts: parts)
                scopeCache = caseValue
                scopeCacheParts = parts
            }
        }
        var event = FEELValue.null
        if let t, needs.contains(.event) {
            if let cached = eventCache {
                event = cached
            } else {
                event = eventValue(t, calendar)
                eventCache = event
            }
        }
        let taskInScope: FEELValue =
            needs.contains(.task) ? task.map { taskValueCaching($0, calendar, parts: needs) } ?? .null : .null
        let (scope, environment) = evaluationScope(calendar, tables: needs.contains(.tables))
        // Kept until the next evaluation, as the caches above keep the same values. Moved in, not
        // copied: a copy is a retain now and a release when the local goes.
        let bindings = scope.bindings
        bindings.values[0] = consume event
        bindings.values[1] = consume caseValue
        bindings.values[2] = .context(facts)
        bindings.values[3] = consume taskInScope
        return expr.evaluate(bindings.values, reusing: &scope.frameSlots, environment: environment)
    }

    /// The scope of this run's evaluations and their environment at `moment`, by default the case's
    /// (see ``EvaluationScope``), with the decision tables as functions when `tables` asks for them.
    mutating func evaluationScope(_ calendar: CalendarInfo, tables: Bool = false, at moment: Moment? = nil)
        -> (EvaluationScope, FEELEnvironment)
    {
        let scope = sharedScope()
        return (scope, scope.environment(at: moment ?? now, calendar, tables: tables, of: scopeDefinitions))
    }

    /// The scope this case's evaluations share (made on the first).
    mutating func sharedScope() -> EvaluationScope {
        if let kept = evaluation { return kept }
        let scope = EvaluationScope()
        evaluation = scope
        return scope
    }

    /// The parts of `case` to build for an expression with these needs. The facts of history entries
    /// only when it reads both (`case.facts` is there with `.caseOther`): otherwise a case built for
    /// an expression that names `facts` would not serve one that does not, for nothing.
    static func caseParts(_ needs: ScopeNeeds) -> ScopeNeeds {
        var parts = needs.intersection([.history, .tasks, .entryIDs, .entryTimes, .entryData, .caseOther])
        if needs.contains([.history, .facts]) { parts.insert(.facts) }
        return parts
    }

    /// Whether `expr`, the expression evaluated last, holds over that evaluation's values with the
    /// clock at `moment`. A daily rule's look ahead (``firstMidnightHolding(_:after:_:)``) asks it of
    /// days on which nothing the condition reads has changed: building `case` and the rest again
    /// would build the same values, and cost twice what the condition does.
    mutating func holdsAgain(_ expr: Expression, _ calendar: CalendarInfo, at moment: Moment) -> Bool {
        let needs = scopeDefinitions?.newest.needs(of: expr) ?? .all
        let (scope, environment) = evaluationScope(calendar, tables: needs.contains(.tables), at: moment)
        let value = expr.evaluate(scope.bindings.values, reusing: &scope.frameSlots, environment: environment)
        if case .boolean(true) = value { return true }
        return false
    }

    /// A condition holds when it is absent or evaluates to true; null counts as false.
    mutating func holds(_ expr: Expression?, _ t: Trigger?, task: Int?, _ calendar: CalendarInfo) -> Bool {
        guard let expr else { return true }
        if case .boolean(true) = evaluateCaching(expr, t, task: task, calendar) { return true }
        return false
    }

    mutating func render(_ template: MessageTemplate, _ t: Trigger?, task: Int?, _ calendar: CalendarInfo) -> String {
        var out = ""
        for part in template.parts {
            switch part {
            case .text(let s): out += s
            case .expression(let e): out += feelText(evaluateCaching(e, t, task: task, calendar))
            }
        }
        return out
    }

    /// An event as FEEL sees it; `parts` leaves out the costly fields an expression does not name
    /// (for the entries of `case.history`; `event` itself is always whole).
    func eventValue(_ t: Trigger, _ calendar: CalendarInfo, parts: ScopeNeeds = .all) -> FEELValue {
        let data: FEELValue
        if let d = t.data {
            data = .context(d)
        } else if parts.contains(.entryData), case .emitted(_, let subject, let stage, let type) = t.history {
            data = emittedData(type, subject: Int(subject), stage: Int(stage), calendar)
        } else {
            data = .null
        }
        let type: FEELValue = .string(t.type)
        let facts: FEELValue = t.facts.map { .context($0) } ?? .null
        // Each shape as an array literal, made at its size: reserving and appending went through the
        // array's general growth path, for every event a condition reads.
        let entries: [FEELContext.Entry]
        switch (parts.contains(.entryIDs), parts.contains(.entryTimes)) {
        case (false, false):
            entries = [.init("type", type), .init("data", data), .init("facts", facts)]
        case (true, false):
            entries = [
                .init("id", .string(triggerID(t))), .init("type", type), .init("data", data), .init("facts", facts),
            ]
        case (false, true):
            entries = [
                .init("type", type), .init("at", .dateTime(t.at.feelDateTime(in: calendar.zone))),
                .init("date", .date(calendar.zone.date(of: t.at))), .init("data", data), .init("facts", facts),
            ]
        case (true, true):
            entries = [
                .init("id", .string(triggerID(t))), .init("type", type),
                .init("at", .dateTime(t.at.feelDateTime(in: calendar.zone))),
                .init("date", .date(calendar.zone.date(of: t.at))), .init("data", data), .init("facts", facts),
            ]
        }
        return .context(FEELContext(entries: entries))
    }

    func emittedData(_ type: EmittedType, subject: Int, stage: Int, _ calendar: CalendarInfo) -> FEELValue {
        switch type {
        case .taskRaised, .taskDone, .taskOverdue, .taskCancelled:
            let t = tasks[subject]
            return .context(
                FEELContext(entries: [
                    .init("task", .string(taskID(subject))), .init("key", .string(t.template.key)),
                    .init("role", .string(t.template.role)),
                    .init("pathway", t.pathway.map { .string($0) } ?? .null),
                    .init("stage", t.stage.map { .string($0) } ?? .null),
                    .init("due", .date(t.due)),
                ]))
        case .alertRaised:
            let a = alerts[subject]
            return .context(
                FEELContext(entries: [
                    .init("alert", .string(alertID(subject))), .init("rule", .string(a.rule)),
                    .init("severity", .string(a.severity.rawValue)),
                    .init("message", .string(alertMessage(subject))),
                ]))
        case .stageEntered, .stageExited, .stageBreached:
            return .context(
                FEELContext(entries: [
                    .init("pathway", .string(pathwayID(subject))), .init("stage", .string(stageID(subject, stage))),
                ]))
        }
    }

    func pathwayID(_ enrolment: Int) -> String {
        scopeDefinitions?.pathway(of: enrolments[enrolment]).pathway.id ?? ""
    }

    func stageID(_ enrolment: Int, _ stage: Int) -> String {
        guard let cp = scopeDefinitions?.pathway(of: enrolments[enrolment]), stage >= 0,
            stage < cp.pathway.stages.count
        else { return "" }
        return cp.pathway.stages[stage].id
    }

    /// `task` for an evaluation: kept until a task changes, as the same task is read by each rule
    /// on the event about it (five rules on `task.overdue` ask for the key and pathway of one task)
    /// and by `done_when` and message templates.
    mutating func taskValueCaching(_ ti: Int, _ calendar: CalendarInfo, parts: ScopeNeeds) -> FEELValue {
        let needed = parts.intersection([.entryIDs, .entryTimes])
        let zone = calendar.calendar.timeZoneID
        if let cached = taskScopeCache, cached.task == ti, cached.parts.isSuperset(of: needed), cached.zone == zone {
            return cached.value
        }
        let value = taskValue(ti, calendar, parts: needed)
        taskScopeCache = (ti, needed, zone, value)
        return value
    }

    /// A task as FEEL sees it; `parts` leaves out the costly fields an expression does not name.
    func taskValue(_ ti: Int, _ calendar: CalendarInfo, parts: ScopeNeeds = .all) -> FEELValue {
        // Fields read in place: a copy of the task would count a reference to its reason and spec.
        let spec = tasks[ti].spec
        if !parts.contains(.entryIDs) && !parts.contains(.entryTimes) {
            // The usual case, as an array literal (made at its size; reserving and appending went
            // through the array's general growth path).
            return .context(
                FEELContext(entries: [
                    .init("key", .string(spec.template.key)), .init("title", .string(spec.template.title)),
                    .init("role", .string(spec.template.role)),
                    .init("pathway", spec.pathway.map { .string($0) } ?? .null),
                    .init("stage", spec.stage.map { .string($0) } ?? .null), .init("due", .date(tasks[ti].due)),
                    .init("status", .string(tasks[ti].status.rawValue)),
                ]))
        }
        var entries: [FEELContext.Entry] = []
        entries.reserveCapacity(10)
        if parts.contains(.entryIDs) { entries.append(.init("id", .string(taskID(ti)))) }
        entries.append(.init("key", .string(spec.template.key)))
        entries.append(.init("title", .string(spec.template.title)))
        entries.append(.init("role", .string(spec.template.role)))
        entries.append(.init("pathway", spec.pathway.map { .string($0) } ?? .null))
        entries.append(.init("stage", spec.stage.map { .string($0) } ?? .null))
        if parts.contains(.entryTimes) {
            entries.append(.init("raised", .dateTime(tasks[ti].raised.feelDateTime(in: calendar.zone))))
        }
        entries.append(.init("due", .date(tasks[ti].due)))
        entries.append(.init("status", .string(tasks[ti].status.rawValue)))
        if parts.contains(.entryTimes) {
            entries.append(.init("done", tasks[ti].done.map { .dateTime($0.feelDateTime(in: calendar.zone)) } ?? .null))
        }
        return .context(FEELContext(entries: entries))
    }

    /// `case`, reusing the task and history lists from earlier builds where they still hold; with
    /// `only`, its task list holds only the tasks that pass the filter of that expression.
    mutating func caseValueCaching(
        _ calendar: CalendarInfo, parts: ScopeNeeds, only: (filter: TaskFilter, expression: ObjectIdentifier)? = nil
    ) -> FEELValue {
        let zone = calendar.calendar.timeZoneID
        var taskList: [FEELValue]?
        if parts.contains(.tasks) {
            let entryParts = parts.intersection([.entryIDs, .entryTimes])
            if let (filter, expression) = only {
                // Kept until a task changes, as the whole list is: a daily condition on overdue
                // work is looked at every morning of a case that has any, most mornings unchanged.
                if let cached = filteredTasksCache, cached.expression == expression,
                    cached.list.serves(entryParts, zone: zone)
                {
                    taskList = cached.list.values
                } else {
                    let values = tasks.indices.filter { filter.passes(tasks[$0]) }.map {
                        taskValue($0, calendar, parts: entryParts)
                    }
                    filteredTasksCache = (expression, ListValueCache(parts: entryParts, zone: zone, values: values))
                    taskList = values
                }
            } else if let cached = tasksValueCache, cached.serves(entryParts, zone: zone) {
                taskList = cached.values
            } else {
                let values = tasks.indices.map { taskValue($0, calendar, parts: entryParts) }
                tasksValueCache = ListValueCache(parts: entryParts, zone: zone, values: values)
                taskList = values
            }
        }
        var historyList: [FEELValue]?
        if parts.contains(.history) {
            let entryParts = parts.intersection([.entryIDs, .entryTimes, .entryData, .facts])
            if var cached = historyValueCache, cached.serves(entryParts, zone: zone),
                cached.values.count <= history.count
            {
                historyValueCache = nil  // so that the append below does not copy the array
                for item in history[cached.values.count...] {
                    cached.values.append(historyValue(item, calendar, parts: cached.parts))
                }
                historyValueCache = cached
                historyList = cached.values
            } else {
                let values = history.map { historyValue($0, calendar, parts: entryParts) }
                historyValueCache = ListValueCache(parts: entryParts, zone: zone, values: values)
                historyList = values
            }
        }
        return buildCaseValue(calendar, tasks: taskList, history: historyList, whole: parts.contains(.caseOther))
    }

    /// `case` as FEEL sees it, with `history` and `tasks` only when given (when the expression reads
    /// them), and its other entries only when `whole`: a condition that reads `case.tasks` alone,
    /// such as the daily rule on overdue work, is evaluated on most mornings of a case that has any,
    /// and its id, facts and stages cost more to build than the filtered list it reads.
    func buildCaseValue(
        _ calendar: CalendarInfo, tasks taskList: [FEELValue]?, history historyList: [FEELValue]?, whole: Bool
    ) -> FEELValue {
        guard whole else {
            var entries: [FEELContext.Entry] = []
            if let historyList { entries.append(.init("history", .list(historyList))) }
            if let taskList { entries.append(.init("tasks", .list(taskList))) }
            return .context(FEELContext(entries: entries))
        }
        var stages: [FEELContext.Entry] = []
        for ei in enrolments.indices {
            let pathway = pathwayID(ei)
            let value: FEELValue = .string(stageID(ei, Int(enrolments[ei].stage)))
            if let i = stages.firstIndex(where: { $0.key == pathway }) {
                stages[i].value = value
            } else {
                stages.append(.init(pathway, value))
            }
        }
        var entries: [FEELContext.Entry] = [
            .init("id", .string(id)), .init("facts", .context(facts)),
            .init("stage", .context(FEELContext(entries: stages))),
            .init("opened", opened.map { .dateTime($0.feelDateTime(in: calendar.zone)) } ?? .null),
        ]
        if let historyList { entries.append(.init("history", .list(historyList))) }
        if let taskList { entries.append(.init("tasks", .list(taskList))) }
        return .context(FEELContext(entries: entries))
    }

    func historyValue(_ item: HistoryItem, _ calendar: CalendarInfo, parts: ScopeNeeds = .all) -> FEELValue {
        switch item {
        case .input(let i):
            let e = events[Int(i)]
            // Facts and data only for an expression that names them: unpacking them is the costly part.
            let contents: (facts: FEELContext?, data: FEELContext?) =
                parts.contains(.entryData) || parts.contains(.facts) ? contents(e) : (nil, nil)
            return eventValue(
                Trigger(
                    id: e.id, type: e.type, at: e.at, data: contents.data, facts: contents.facts, history: item,
                    task: nil, depth: 0), calendar, parts: parts)
        case .emitted(let at, _, _, let type):
            return eventValue(
                Trigger(id: "", type: type.name, at: at, data: nil, facts: nil, history: item, task: nil, depth: 0),
                calendar, parts: parts)
        }
    }
}
