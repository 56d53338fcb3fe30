import WaymarkModel

/// What the explanation of a condition quotes, read from its text and from the inputs of the
/// decision tables it calls: the `facts.…` and `event.data.…` paths, the event types named in string
/// literals when the history is read, and whether the task list is.
///
/// `absence level() = "severe"` names no fact, but the table reads `facts.school.attendance`: a
/// manager told only that the table said "severe" could not see why.
struct ExplainPlan: Sendable {
    let factPaths: [[String]]
    let dataPaths: [[String]]
    let historyTypes: Set<String>?
    let readsTasks: Bool

    /// - Parameter tables: the definitions' decision tables; the inputs of those `source` calls (see
    ///   ``tableInputs(of:_:)``) are quoted after what `source` itself names.
    init(_ source: String, tables: [DecisionTable]) {
        let texts = [source] + Self.tableInputs(of: source, tables)
        func paths(after prefix: String) -> [[String]] {
            var out: [[String]] = []
            for text in texts {
                for path in CaseState.paths(after: prefix, in: text) where !out.contains(path) { out.append(path) }
            }
            return out
        }
        factPaths = paths(after: "facts.")
        dataPaths = paths(after: "event.data.")
        historyTypes =
            texts.contains { $0.contains("history") } ? Set(texts.flatMap(CaseState.stringLiterals(in:))) : nil
        readsTasks = texts.contains { $0.contains("tasks") }
    }

    /// The input expressions of the decision tables `source` calls, and of the tables those call, in
    /// the order met (see ``CompiledDefinitions/tablesCalled(by:in:)``).
    private static func tableInputs(of source: String, _ tables: [DecisionTable]) -> [String] {
        CompiledDefinitions.tablesCalled(by: source, in: tables).flatMap { tables[$0].inputs.map(\.source) }
    }
}
