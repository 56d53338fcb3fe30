extension FEELExpression {
    /// Whether the value is a function of the named entries alone (`["task": ["key", "pathway"]]`):
    /// every name is read as one of those entries (`task.key`), and every call is to one of
    /// `functions`, which the caller vouches do not read the clock, the calendar or anything else
    /// of the environment.
    ///
    /// A condition such as `task.key = "hold-fgc" and task.pathway = "right-balance"` is then the
    /// same for every task of the same definition: the caller can evaluate it once for each and keep
    /// the value, where it was looked at for every overdue task of every case.
    ///
    /// Anything that brings names of its own into scope (`for`, `some`, `every`, a filter, a
    /// function) gives false, as does a name used whole: a local name could hide an entry's root.
    public func readsOnly(_ entries: [String: Set<String>], calling functions: Set<String>) -> Bool {
        guard let tree else { return false }
        func only(_ node: FEELNode) -> Bool {
            switch node.kind {
            case .literal, .temporal, .anything: return true
            case .name: return false
            case .path(let base, let key):
                if case .name(let root) = base.kind { return entries[root]?.contains(key) ?? false }
                return only(base)
            case .call(let callee, let arguments):
                guard case .name(let function) = callee.kind, functions.contains(function) else { return false }
                return arguments.allSatisfy { only($0.value) }
            case .forLoop, .quantified, .filter, .function: return false
            case .list(let items), .notTests(let items): return items.allSatisfy(only)
            case .context(let entries): return entries.allSatisfy { only($0.value) }
            case .range(_, let start, _, let end): return (start.map(only) ?? true) && (end.map(only) ?? true)
            case .negate(let x), .unaryComparison(_, let x), .instanceOf(let x, _): return only(x)
            case .arithmetic(_, let a, let b), .comparison(_, let a, let b), .and(let a, let b), .or(let a, let b):
                return only(a) && only(b)
            case .between(let x, let lo, let hi), .ifThenElse(let x, let lo, let hi):
                return only(x) && only(lo) && only(hi)
            case .inTests(let x, let tests): return only(x) && tests.allSatisfy(only)
            }
        }
        return only(tree)
    }
}
