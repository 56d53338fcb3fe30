import WaymarkFEEL
import WaymarkModel

/// Decision tables as FEEL evaluates them, built once per set of definitions.
///
/// The loader keeps a table as written (its cells as text) so that diagnostics can point at them; the
/// engine compiles the cells here, over the same names as every other expression, so that a table's
/// inputs read the calling rule's `event`, `case`, `facts` and `task`.
extension DecisionTable {
    /// Nil when a cell does not compile: `waymark check` has already reported it, and a call of the
    /// table then yields null (a condition that is false) rather than a crash.
    func feelTable(tableNames: [String]) -> FEELDecisionTable? {
        let names = Expression.scopeNames
        var rows: [FEELDecisionTable.Rule] = []
        for row in rules {
            var tests: [FEELUnaryTests] = []
            for cell in row.inputEntries {
                guard let test = try? FEELUnaryTests(cell, names: names, functionNames: tableNames) else { return nil }
                tests.append(test)
            }
            rows.append(FEELDecisionTable.Rule(inputs: tests, outputs: row.outputEntries.map(\.compiled)))
        }
        var priorities: [[FEELValue]] = []
        for column in outputValues {
            var values: [FEELValue] = []
            for text in column {
                guard let literal = try? FEELExpression(text) else { return nil }
                values.append(literal.evaluate([]))
            }
            priorities.append(values)
        }
        return FEELDecisionTable(
            inputs: inputs.map(\.compiled), outputNames: outputs, rules: rows, hitPolicy: feelHitPolicy,
            outputValues: priorities)
    }

    var feelHitPolicy: FEELDecisionTable.HitPolicy {
        switch hitPolicy {
        case .unique: .unique
        case .first: .first
        case .priority: .priority
        case .any: .any
        case .ruleOrder: .ruleOrder
        case .outputOrder: .outputOrder
        case .collect(let aggregation): .collect(aggregation.flatMap { .init(rawValue: $0.rawValue) })
        }
    }
}
