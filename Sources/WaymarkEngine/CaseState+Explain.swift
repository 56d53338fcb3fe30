import WaymarkFEEL
import WaymarkModel

/// `because`: the reason for a task or alert in words a team manager can read.
///
/// FEEL does not report which values a condition read, so the explanation names what the condition
/// text refers to: each `facts.…` path and `event.data.…` field with its value at the time, and the
/// earlier events of the types the condition mentions.
extension CaseState {
    /// `because` of task `ti`: why it was raised, then what it is and where it is defined.
    func because(_ ti: Int) -> String {
        words(tasks[ti].reason) + tasks[ti].spec.becauseSuffix
    }

    /// Alert `i` as it is reported, with its `because` in words.
    func alertRecord(_ i: Int) -> AlertRecord {
        let a = alerts[i]
        return AlertRecord(
            id: alertID(i), caseID: id, rule: a.rule, severity: a.severity, at: a.at, message: alertMessage(i),
            because: words(a.reason) + ". Alert defined at \(a.location.file):\(a.location.line).")
    }

    /// The event behind a reason: an input event with its id and moment, an emitted one with what it is about.
    func words(_ item: HistoryItem) -> String {
        switch item {
        case .input(let i):
            let e = events[Int(i)]
            let zone = scopeDefinitions?.newest.defaultCalendar.zone ?? .utc
            return "\(e.type) (event \(e.id) at \(e.at.formatted(in: zone)))"
        case .emitted(_, _, _, let type):
            return "\(type.name) (\(emittedSubject(item)))"
        }
    }

    func words(_ reason: Reason) -> String {
        switch reason {
        case .enrolled(let t, let cp, let e):
            return "\(words(t)) enrolled the case on \(cp.pathway.title) (\(cp.pathway.id) v\(cp.pathway.version))"
                + words(e)
        case .moved(let t, let from, let to, let e):
            return "\(words(t)) moved the case from \(from) to \(to)" + words(e)
        case .rule(let cr, let t, let e):
            let title = cr.rule.title.map { " (\($0))" } ?? ""
            return "Rule \(cr.rule.id)\(title) fired on \(words(t))" + words(e)
        case .daily(let cr, let day, let e):
            let title = cr.rule.title.map { " (\($0))" } ?? ""
            return "Daily rule \(cr.rule.id)\(title) became true on \(day.isoString)" + words(e)
        case .entered(let cp, let target, let date, let cause):
            let stage = cp.stage(Int(target))
            return "Raised when the case entered stage \(stage.id)\(stage.title.map { " (\($0))" } ?? "") of "
                + "\(cp.pathway.id) v\(cp.pathway.version) on \(date.isoString): \(words(cause))"
        case .then(let cause, let stageID):
            return words(cause) + " (then goto \(stageID))"
        case .repeated(let ti, let doneOn, let t):
            let every = tasks[Int(ti)].template.repeat?.text ?? ""
            return "Next occurrence of a task that repeats every \(every): \(taskID(Int(ti))) was "
                + "done on \(doneOn.isoString) by \(words(t)), so this one is due one "
                + "interval after its due date \(tasks[Int(ti)].due.isoString)"
        case .words(let text):
            return text
        case .notKept:
            // Not reached through the engine, which runs a case again before a finished task's
            // words are read (see `Engine.keepsFinishedTaskReasons`).
            return "Why this task was raised was not kept once it was finished"
        }
    }

    /// What a condition read when it held, captured for `words(_:)` to write later; `bare` (the
    /// definition's explanation with nothing read, shared by every case) when there is no condition.
    mutating func explainCondition(
        _ expr: Expression?, _ t: Trigger?, task: Int?, _ calendar: CalendarInfo, bare: Explanation
    ) -> Explanation {
        guard let expr else { return bare }
        let plan = bare.plan ?? ExplainPlan(expr.source)
        let factValues = plan.factPaths.map { CaseState.lookup(facts, $0) }
        let dataValues = t?.data.map { data in plan.dataPaths.map { CaseState.lookup(data, $0) } }
        let witnesses = plan.readsTasks ? taskWitnesses(expr, t, task: task, calendar) : nil
        return Explanation(
            site: bare.site, facts: factValues, data: dataValues, historyCount: history.count, witnesses: witnesses)
    }

    /// `, because `CONDITION` held (EVIDENCE) [FILE:LINE]`.
    func words(_ e: Explanation) -> String {
        let place = " [\(e.location.file):\(e.location.line)]"
        guard let source = e.source, let plan = e.plan else { return place }
        var evidence: [String] = []
        for (path, value) in zip(plan.factPaths, e.facts) {
            evidence.append("\(path.joined(separator: ".")) = \(value.map(feelText) ?? "not recorded")")
        }
        if let data = e.data {
            for (path, value) in zip(plan.dataPaths, data) {
                evidence.append("event \(path.joined(separator: ".")) = \(value.map(feelText) ?? "absent")")
            }
        }
        if let types = plan.historyTypes {
            var earlier: [String] = []
            for item in history[..<e.historyCount] {
                switch item {
                case .input(let i):
                    let event = events[Int(i)]
                    if types.contains(event.type) {
                        earlier.append("\(event.type) \(event.id) on \(e.zone.date(of: event.at).isoString)")
                    }
                case .emitted(let at, _, _, let type):
                    if types.contains(type.name) { earlier.append("\(type.name) on \(e.zone.date(of: at).isoString)") }
                }
            }
            if !earlier.isEmpty {
                evidence.append("earlier events: " + earlier.suffix(5).joined(separator: ", "))
            }
        }
        if let witnesses = e.witnesses, !witnesses.isEmpty {
            let shown = witnesses.prefix(3).map { w in
                let task = tasks[Int(w.task)]
                return
                    "\"\(task.template.title)\" \(taskID(Int(w.task))), due \(task.due.isoString), \(w.status.rawValue)"
            }
            let more = witnesses.count > 3 ? " and \(witnesses.count - 3) more" : ""
            evidence.append(
                (witnesses.count == 1 ? "the task: " : "the tasks: ") + shown.joined(separator: "; ") + more)
        }
        let detail = evidence.isEmpty ? "" : " (" + evidence.joined(separator: "; ") + ")"
        return ", because `\(source)` held\(detail)" + place
    }

    /// The tasks that make a condition over `case.tasks` hold on their own: the condition is evaluated
    /// with `case.tasks` holding just that task. For `some t in case.tasks satisfies …` these are
    /// exactly the tasks that satisfy it (the overdue work a review is about); a condition that needs
    /// several tasks together (`count(…) > 3`) has none, and the explanation stays general.
    mutating func taskWitnesses(_ expr: Expression, _ t: Trigger?, task: Int?, _ calendar: CalendarInfo)
        -> [(task: Int32, status: TaskStatus)]
    {
        let saved = (scopeCache, scopeCacheParts)
        defer { (scopeCache, scopeCacheParts) = saved }
        // Only the parts of `case` the condition reads, as `evaluateCaching` would build them.
        let needs = scopeDefinitions?.newest.needs(of: expr) ?? .all
        let parts = Self.caseParts(needs).subtracting(.tasks)
        guard case .context(let base) = caseValueCaching(calendar, parts: parts) else { return [] }
        func holds(with list: [FEELValue]) -> Bool {
            var single = base
            single["tasks"] = .list(list)
            scopeCache = .context(single)
            scopeCacheParts = parts.union(.tasks)
            if case .boolean(true) = evaluateCaching(expr, t, task: task, calendar, filterTasks: false) { return true }
            return false
        }
        // A task its filter turns away changes nothing (see `TaskFilter`): alone, it gives the value
        // of an empty list, worked out once rather than once per such task.
        let filter = scopeDefinitions?.newest.taskFilters[expr.identity]
        var emptyHolds: Bool?
        var out: [(task: Int32, status: TaskStatus)] = []
        for ti in tasks.indices {
            let isWitness: Bool
            if let filter, !filter.passes(tasks[ti]) {
                if emptyHolds == nil { emptyHolds = holds(with: []) }
                isWitness = emptyHolds == true
            } else {
                isWitness = holds(with: [taskValue(ti, calendar, parts: parts)])
            }
            if isWitness { out.append((Int32(ti), tasks[ti].status)) }
        }
        return out
    }

    /// Dotted identifier paths that follow `prefix` in `source` (`facts.school.attendance`).
    static func paths(after prefix: String, in source: String) -> [[String]] {
        var out: [[String]] = []
        var rest = Substring(source)
        while let range = rest.range(of: prefix) {
            let before = rest[..<range.lowerBound].last
            rest = rest[range.upperBound...]
            if let before, before.isLetter || before.isNumber || before == "_" { continue }
            let text = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }
            let parts = text.split(separator: ".").map(String.init)
            if !parts.isEmpty, !out.contains(parts) { out.append(parts) }
        }
        return out
    }

    static func stringLiterals(in source: String) -> [String] {
        source.split(separator: "\"", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }
            .map { String($0.element) }
    }

    static func lookup(_ context: FEELContext, _ path: [String]) -> FEELValue? {
        var current = FEELValue.context(context)
        for key in path {
            guard case .context(let c) = current, let next = c[key] else { return nil }
            current = next
        }
        return current
    }
}
