/// How an expression's value can move as the clock (`today()`, `now()`) advances while everything
/// else it reads stays the same.
///
/// A rule checked every morning needs to look again at an unchanged case only while its condition
/// could still change. `some t in case.tasks satisfies t.status = "overdue" and working days
/// between(t.due, today()) > 5` is ``rising``: once true it stays true until the case changes, so a
/// case in that state costs nothing until it does. The analysis is syntactic and conservative: an
/// expression it cannot place is ``unknown``, never wrongly monotone.
public enum FEELTimeTrend: Sendable, Equatable {
    /// Does not read the clock.
    case constant
    /// Never decreases as time passes: for a condition, true once means true from then on.
    case rising
    /// Never increases as time passes: for a condition, false once means false from then on.
    case falling
    /// Could move either way.
    case unknown

    /// The trend of a value that moves opposite to this one (`-x`, `not(x)`, `c - x`).
    var flipped: FEELTimeTrend {
        switch self {
        case .rising: .falling
        case .falling: .rising
        case .constant, .unknown: self
        }
    }

    /// The trend of a value that moves with both parts (`a + b`, `a and b`, `some ... satisfies`).
    func combined(with other: FEELTimeTrend) -> FEELTimeTrend {
        switch (self, other) {
        case (.constant, let t), (let t, .constant): t
        case (.rising, .rising): .rising
        case (.falling, .falling): .falling
        default: .unknown
        }
    }
}

/// The analysis itself, over the parsed tree.
struct FEELTrendAnalysis {
    /// Functions the caller supplies (decision tables): they may read the clock, so they are unknown.
    let externals: Set<String>

    /// Built-ins that are monotone in some arguments: per parameter, +1 when the result rises with
    /// it and -1 when it falls. `working days between(from, to)` counts signed working days, so it
    /// rises with `to` and falls with `from`; an age rises with the date it is taken on.
    static let monotone: [String: [(parameter: String, sign: Int)]] = [
        "working days between": [("from", -1), ("to", 1)],
        "add working days": [("date", 1), ("n", 1)],
        "age": [("birth date", -1), ("on", 1)],
    ]

    func trend(_ node: FEELNode) -> FEELTimeTrend {
        switch node.kind {
        case .literal, .temporal, .name, .anything:
            return .constant
        case .negate(let x):
            return trend(x).flipped
        case .arithmetic(let op, let a, let b):
            switch op {
            case .add: return trend(a).combined(with: trend(b))
            case .subtract: return trend(a).combined(with: trend(b).flipped)
            case .multiply, .divide, .power: return constantOrUnknown([a, b])
            }
        case .comparison(let op, let a, let b):
            switch op {
            case .greater, .greaterOrEqual: return trend(a).combined(with: trend(b).flipped)
            case .less, .lessOrEqual: return trend(a).flipped.combined(with: trend(b))
            case .equal, .notEqual: return constantOrUnknown([a, b])
            }
        case .and(let a, let b), .or(let a, let b):
            return trend(a).combined(with: trend(b))
        case .quantified(_, let iterations, let body):
            // Some and every are an `or` and an `and` over the items, which must not move themselves.
            let domains = iterations.flatMap { [$0.domain] + ($0.upTo.map { [$0] } ?? []) }
            guard constantOrUnknown(domains) == .constant else { return .unknown }
            return trend(body)
        case .ifThenElse(let condition, let a, let b):
            guard trend(condition) == .constant else { return .unknown }
            return trend(a).combined(with: trend(b))
        case .call(let callee, let arguments):
            return callTrend(callee, arguments)
        case .list(let items):
            return constantOrUnknown(items)
        case .context(let entries):
            return constantOrUnknown(entries.map(\.value))
        case .range(_, let start, _, let end):
            return constantOrUnknown([start, end].compactMap { $0 })
        case .between(let x, let lo, let hi):
            return constantOrUnknown([x, lo, hi])
        case .inTests(let x, let tests):
            return constantOrUnknown([x] + tests)
        case .unaryComparison(_, let x):
            return constantOrUnknown([x])
        case .notTests(let tests):
            return constantOrUnknown(tests)
        case .instanceOf(let x, _):
            return constantOrUnknown([x])
        case .forLoop(let iterations, let body):
            return constantOrUnknown(iterations.flatMap { [$0.domain] + ($0.upTo.map { [$0] } ?? []) } + [body])
        case .path(let x, _):
            return constantOrUnknown([x])
        case .filter(let x, let condition):
            return constantOrUnknown([x, condition])
        case .function:
            return .unknown
        }
    }

    private func callTrend(_ callee: FEELNode, _ arguments: [FEELNode.Argument]) -> FEELTimeTrend {
        guard case .name(let name) = callee.kind, !externals.contains(name), FEELBuiltins.table[name] != nil else {
            return .unknown
        }
        if name == "today" || name == "now" { return .rising }
        if name == "not", arguments.count == 1 { return trend(arguments[0].value).flipped }
        if let signs = Self.monotone[name], arguments.count == signs.count {
            var result = FEELTimeTrend.constant
            for (i, argument) in arguments.enumerated() {
                let parameter = argument.name ?? signs[i].parameter
                guard let sign = signs.first(where: { $0.parameter == parameter })?.sign else { return .unknown }
                let t = trend(argument.value)
                result = result.combined(with: sign > 0 ? t : t.flipped)
            }
            return result
        }
        return constantOrUnknown(arguments.map(\.value))
    }

    private func constantOrUnknown(_ nodes: [FEELNode]) -> FEELTimeTrend {
        nodes.allSatisfy { trend($0) == .constant } ? .constant : .unknown
    }
}
