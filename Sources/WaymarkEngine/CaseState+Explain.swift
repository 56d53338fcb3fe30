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
        var out = ByteBuffer(capacity: 512)
        writeBecause(ti, to: &out)
        return out.string
    }

    /// Alert `i` as it is reported, with its `because` in words.
    /// Task `ti` as the report lists it.
    func taskRecord(_ ti: Int) -> TaskRecord {
        let t = tasks[ti]
        return TaskRecord(
            id: taskID(ti), caseID: id, pathway: t.pathway, stage: t.stage, key: t.template.key,
            title: t.template.title, role: t.template.role, raised: t.raised, due: t.due, status: t.status,
            done: t.done, because: because(ti))
    }

    func alertRecord(_ i: Int) -> AlertRecord {
        let a = alerts[i]
        var because = ByteBuffer(capacity: 512)
        writeAlertBecause(i, to: &because)
        return AlertRecord(
            id: alertID(i), caseID: id, rule: a.rule, severity: a.severity, at: a.at, message: alertMessage(i),
            because: because.string)
    }

    /// ``because(_:)``'s text, appended to `out`.
    func writeBecause(_ ti: Int, to out: inout ByteBuffer) {
        writeWords(tasks[ti].reason, to: &out)
        out.write(tasks[ti].spec.becauseSuffix)
    }

    /// The `because` of alert `i`, appended to `out`.
    func writeAlertBecause(_ i: Int, to out: inout ByteBuffer) {
        writeWords(alerts[i].reason, to: &out)
        out.append(". Alert defined at ")
        out.write(alerts[i].location.file)
        out.append(":")
        out.writeInteger(alerts[i].location.line)
        out.append(".")
    }

    /// `reason` in words.
    ///
    /// The words are written as UTF-8 bytes into one buffer and made a string once: built as strings
    /// (interpolations joined with `+`), each piece was a string of its own, and putting the words
    /// of a million events' tasks and alerts together was a tenth of the run's instructions.
    func words(_ reason: Reason) -> String {
        var out = ByteBuffer(capacity: 512)
        writeWords(reason, to: &out)
        return out.string
    }

    /// The event behind a reason: an input event with its id and moment, an emitted one with what it is about.
    func writeWords(_ item: HistoryItem, to out: inout ByteBuffer) {
        switch item {
        case .input(let i):
            let e = events[Int(i)]
            let zone = scopeDefinitions?.newest.defaultCalendar.zone ?? .utc
            out.write(e.type)
            out.append(" (event ")
            out.write(e.id)
            out.append(" at ")
            e.at.writeISO(in: zone, to: &out)
            out.append(")")
        case .emitted(_, _, _, let type):
            out.write(type.name)
            out.append(" (")
            writeEmittedSubject(item, to: &out)
            out.append(")")
        }
    }

    /// ``taskID(_:)``'s text, appended to `out`.
    func writeTaskID(_ ti: Int, to out: inout ByteBuffer) {
        Self.writeTaskID(tasks[ti], caseID: id, to: &out)
    }

    /// The id of task `t` of case `caseID`: `CASE/` and the rest (see ``TaskSpec/idTail``), then
    /// `/` and which of its key's tasks it is.
    static func writeTaskID(_ t: TaskState, caseID: String, to out: inout ByteBuffer) {
        out.write(caseID)
        out.append("/")
        out.write(t.spec.idTail)
        out.append("/")
        out.writeInteger(Int(t.occurrence))
    }

    func writeWords(_ reason: Reason, to out: inout ByteBuffer) {
        switch reason {
        case .enrolled(let t, let cp, let e):
            writeWords(t, to: &out)
            out.append(" enrolled the case on ")
            out.write(cp.pathway.title)
            out.append(" (")
            out.write(cp.pathway.id)
            out.append(" v")
            out.writeInteger(cp.pathway.version)
            out.append(")")
            writeWords(e, to: &out)
        case .moved(let t, let from, let to, let e):
            writeWords(t, to: &out)
            out.append(" moved the case from ")
            out.write(from)
            out.append(" to ")
            out.write(to)
            writeWords(e, to: &out)
        case .rule(let cr, let t, let e):
            out.append("Rule ")
            writeRuleName(cr, to: &out)
            out.append(" fired on ")
            writeWords(t, to: &out)
            writeWords(e, to: &out)
        case .daily(let cr, let day, let e):
            out.append("Daily rule ")
            writeRuleName(cr, to: &out)
            out.append(" became true on ")
            day.writeISO(to: &out)
            writeWords(e, to: &out)
        case .entered(let cp, let target, let date, let cause):
            let stage = cp.stage(Int(target))
            out.append("Raised when the case entered stage ")
            out.write(stage.id)
            if let title = stage.title {
                out.append(" (")
                out.write(title)
                out.append(")")
            }
            out.append(" of ")
            out.write(cp.pathway.id)
            out.append(" v")
            out.writeInteger(cp.pathway.version)
            out.append(" on ")
            date.writeISO(to: &out)
            out.append(": ")
            writeWords(cause, to: &out)
        case .then(let cause, let stageID):
            writeWords(cause, to: &out)
            out.append(" (then goto ")
            out.write(stageID)
            out.append(")")
        case .repeated(let ti, let doneOn, let t):
            out.append("Next occurrence of a task that repeats every ")
            out.write(tasks[Int(ti)].template.repeat?.text ?? "")
            out.append(": ")
            writeTaskID(Int(ti), to: &out)
            out.append(" was done on ")
            doneOn.writeISO(to: &out)
            out.append(" by ")
            writeWords(t, to: &out)
            out.append(", so this one is due one interval after its due date ")
            tasks[Int(ti)].due.writeISO(to: &out)
        case .words(let text):
            out.write(text)
        case .notKept:
            // Not reached through the engine, which runs a case again before a finished task's
            // words are read (see `Engine.keepsFinishedTaskReasons`).
            out.append("Why this task was raised was not kept once it was finished")
        }
    }

    /// `ID` or `ID (TITLE)`.
    func writeRuleName(_ cr: CompiledRule, to out: inout ByteBuffer) {
        out.write(cr.rule.id)
        if let title = cr.rule.title {
            out.append(" (")
            out.write(title)
            out.append(")")
        }
    }

    /// What a condition read when it held, captured for `words(_:)` to write later; `bare` (the
    /// definition's explanation with nothing read, shared by every case) when there is no condition.
    /// `expr` is the condition of `bare`'s site, whose plan (with the inputs of the tables it calls)
    /// says what to read.
    mutating func explainCondition(
        _ expr: Expression?, _ t: Trigger?, task: Int?, _ calendar: CalendarInfo, bare: Explanation
    ) -> Explanation {
        guard let expr, let plan = bare.plan else { return bare }
        let factValues = plan.factPaths.map { CaseState.lookup(facts, $0) }
        let dataValues = t?.data.map { data in plan.dataPaths.map { CaseState.lookup(data, $0) } }
        let witnesses = plan.readsTasks ? taskWitnesses(expr, t, task: task, calendar) : nil
        return Explanation(
            site: bare.site, facts: factValues, data: dataValues, historyCount: history.count, witnesses: witnesses)
    }

    /// `, because `CONDITION` held (EVIDENCE) [FILE:LINE]`, the pieces of evidence separated by `; `.
    func writeWords(_ e: Explanation, to out: inout ByteBuffer) {
        func place(_ out: inout ByteBuffer) {
            out.append(" [")
            out.write(e.location.file)
            out.append(":")
            out.writeInteger(e.location.line)
            out.append("]")
        }
        guard let source = e.source, let plan = e.plan else { return place(&out) }
        out.append(", because `")
        out.write(source)
        out.append("` held")
        // The count goes in and out rather than being captured, which would check it at run time.
        var pieces = 0
        func nextPiece(_ out: inout ByteBuffer, _ pieces: inout Int) {
            out.append(pieces == 0 ? " (" : "; ")
            pieces += 1
        }
        for (path, value) in zip(plan.factPaths, e.facts) {
            nextPiece(&out, &pieces)
            out.writePath(path)
            out.append(" = ")
            out.write(value.map(feelText) ?? "not recorded")
        }
        if let data = e.data {
            for (path, value) in zip(plan.dataPaths, data) {
                nextPiece(&out, &pieces)
                out.append("event ")
                out.writePath(path)
                out.append(" = ")
                out.write(value.map(feelText) ?? "absent")
            }
        }
        if let types = plan.historyTypes {
            // The last five earlier events of the types the condition names.
            func named(_ item: HistoryItem) -> Bool {
                switch item {
                case .input(let i): types.contains(events[Int(i)].type)
                case .emitted(_, _, _, let type): types.contains(type.name)
                }
            }
            let earlier = history[..<e.historyCount]
            let count = earlier.count(where: named)
            if count > 0 {
                nextPiece(&out, &pieces)
                out.append("earlier events: ")
                var seen = 0
                for item in earlier where named(item) {
                    seen += 1
                    if seen <= count - 5 { continue }
                    if seen > max(count - 5, 0) + 1 { out.append(", ") }
                    switch item {
                    case .input(let i):
                        let event = events[Int(i)]
                        out.write(event.type)
                        out.append(" ")
                        out.write(event.id)
                        out.append(" on ")
                        e.zone.date(of: event.at).writeISO(to: &out)
                    case .emitted(let at, _, _, let type):
                        out.write(type.name)
                        out.append(" on ")
                        e.zone.date(of: at).writeISO(to: &out)
                    }
                }
            }
        }
        if let witnesses = e.witnesses, !witnesses.isEmpty {
            nextPiece(&out, &pieces)
            out.append(witnesses.count == 1 ? "the task: " : "the tasks: ")
            for (n, w) in witnesses.prefix(3).enumerated() {
                if n > 0 { out.append("; ") }
                let ti = Int(w.task)
                out.append("\"")
                out.write(tasks[ti].template.title)
                out.append("\" ")
                writeTaskID(ti, to: &out)
                out.append(", due ")
                tasks[ti].due.writeISO(to: &out)
                out.append(", ")
                out.write(w.status.rawValue)
            }
            if witnesses.count > 3 {
                out.append(" and ")
                out.writeInteger(witnesses.count - 3)
                out.append(" more")
            }
        }
        if pieces > 0 { out.append(")") }
        place(&out)
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
