import WaymarkFEEL
import WaymarkModel

/// `because`: the reason for a task or alert in words a team manager can read.
///
/// FEEL does not report which values a condition read, so the explanation names what the condition
/// text refers to: each `facts.…` path and `event.data.…` field with its value at the time, and the
/// earlier events of the types the condition mentions.
extension CaseState {
    func describe(_ t: Trigger) -> String {
        let zone = scopeDefinitions?.newest.defaultCalendar.zone ?? .utc
        if case .input = t.history {
            return "\(t.type) (event \(t.id) at \(t.at.formatted(in: zone)))"
        }
        return "\(t.type) (\(t.id.split(separator: ":", maxSplits: 1).last.map(String.init) ?? t.id))"
    }

    mutating func explainCondition(
        _ expr: Expression?, _ t: Trigger?, task: Int?, _ calendar: CalendarInfo, location: SourceLocation
    ) -> String {
        let place = " [\(location.file):\(location.line)]"
        guard let expr else { return place }
        let plan = scopeDefinitions?.newest.explainPlans[expr.source] ?? ExplainPlan(expr.source)
        var evidence: [String] = []
        for path in plan.factPaths {
            let value = CaseState.lookup(facts, path)
            evidence.append("\(path.joined(separator: ".")) = \(value.map(feelText) ?? "not recorded")")
        }
        if let data = t?.data {
            for path in plan.dataPaths {
                let value = CaseState.lookup(data, path)
                evidence.append("event \(path.joined(separator: ".")) = \(value.map(feelText) ?? "absent")")
            }
        }
        if let types = plan.historyTypes {
            var earlier: [String] = []
            let zone = calendar.zone
            for item in history {
                switch item {
                case .input(let i):
                    let e = events[Int(i)]
                    if types.contains(e.type) {
                        earlier.append("\(e.type) \(e.id) on \(zone.date(of: e.at).isoString)")
                    }
                case .emitted(let type, let at, _, _):
                    if types.contains(type.name) { earlier.append("\(type.name) on \(zone.date(of: at).isoString)") }
                }
            }
            if !earlier.isEmpty {
                evidence.append("earlier events: " + earlier.suffix(5).joined(separator: ", "))
            }
        }
        if plan.readsTasks {
            let witnesses = taskWitnesses(expr, t, task: task, calendar)
            if !witnesses.isEmpty {
                let shown = witnesses.prefix(3).joined(separator: "; ")
                let more = witnesses.count > 3 ? " and \(witnesses.count - 3) more" : ""
                evidence.append((witnesses.count == 1 ? "the task: " : "the tasks: ") + shown + more)
            }
        }
        let detail = evidence.isEmpty ? "" : " (" + evidence.joined(separator: "; ") + ")"
        return ", because `\(expr.source)` held\(detail)" + place
    }

    /// The tasks that make a condition over `case.tasks` hold on their own: the condition is evaluated
    /// with `case.tasks` holding just that task. For `some t in case.tasks satisfies …` these are
    /// exactly the tasks that satisfy it (the overdue work a review is about); a condition that needs
    /// several tasks together (`count(…) > 3`) has none, and the explanation stays general.
    mutating func taskWitnesses(_ expr: Expression, _ t: Trigger?, task: Int?, _ calendar: CalendarInfo)
        -> [String]
    {
        let saved = (scopeCache, scopeCacheParts)
        defer { (scopeCache, scopeCacheParts) = saved }
        // Only the parts of `case` the condition reads, as `evaluateCaching` would build them.
        let needs = scopeDefinitions?.newest.needs[expr.source] ?? .all
        let parts = needs.intersection([.history, .entryIDs, .entryTimes, .entryData])
        guard case .context(let base) = caseValueCaching(calendar, parts: parts) else { return [] }
        var out: [String] = []
        for ti in tasks.indices {
            var single = base
            single["tasks"] = .list([taskValue(ti, calendar, parts: parts)])
            scopeCache = .context(single)
            scopeCacheParts = parts.union(.tasks)
            guard case .boolean(true) = evaluateCaching(expr, t, task: task, calendar) else { continue }
            let task = tasks[ti]
            out.append(
                "\"\(task.template.title)\" \(taskID(ti)), due \(task.due.isoString), \(task.status.rawValue)")
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
