/// An entry that every element of a list must have for an expression to look at that element.
///
/// A condition such as `some t in case.tasks satisfies t.status = "overdue" and working days
/// between(t.due, today()) > 5` can only be made true by an overdue task: any other task makes the
/// conjunction false. The caller can then hand it a list of just the overdue tasks, which for a
/// case with a long history of done work is a fraction of the list to build and walk.
public struct FEELEntryRequirement: Sendable, Equatable {
    /// The entry name (`status`).
    public let key: String
    /// The string it must equal (`"overdue"`); ASCII only, so that the caller's comparison of
    /// strings cannot differ from FEEL's.
    public let value: String
}

extension FEELExpression {
    /// The requirement every element of the list at `path` (`["case", "tasks"]`) must meet to affect
    /// the value, or nil when the expression may look at other elements.
    ///
    /// Found only when every use of the list is the domain of a `some` whose body is a conjunction
    /// with `v.key = "value"` among its terms, all with the same key and value, and the list's root
    /// name is never used in any other way that could reach it (`count(case.tasks)`, `get value(case,
    /// "tasks")`, `case` passed whole). Anything else gives nil: the caller builds the whole list.
    public func entryRequirement(onList path: [String]) -> FEELEntryRequirement? {
        guard path.count == 2, let tree else { return nil }
        var search = FEELRequirementSearch(root: path[0], list: path[1], key: nil)
        search.visit(tree)
        guard !search.failed, search.found.count == 1 else { return nil }
        return search.found.first
    }

    /// Whether the expression is false whenever the list at `path` (`["case", "tasks"]`) is empty:
    /// it is a `some` over that list, or a conjunction with such a term (`false and x` is false in
    /// FEEL, whatever `x` is).
    ///
    /// A daily condition on overdue work is looked at on every case whose tasks changed, and on many
    /// of them no task is overdue: the caller can then know its value without building the scope.
    public func isFalseWhenEmpty(list path: [String]) -> Bool {
        guard path.count == 2, let tree else { return false }
        let search = FEELRequirementSearch(root: path[0], list: path[1], key: nil)
        func falseWhenEmpty(_ node: FEELNode) -> Bool {
            switch node.kind {
            case .quantified(false, let iterations, _):
                return iterations.count == 1 && iterations[0].upTo == nil && search.isList(iterations[0].domain)
            case .and(let a, let b): return falseWhenEmpty(a) || falseWhenEmpty(b)
            default: return false
            }
        }
        return falseWhenEmpty(tree)
    }

    /// The values of `key` that an element of the list at `path` (`["case", "history"]`) can have
    /// and still be read: `type` of `count(case.history[type = "crisis.presented"])` is
    /// `["crisis.presented"]`. Empty when the list is not read; nil when an element with any value
    /// could be.
    ///
    /// Found when every use of the list is filtered by `key = "value"` (`list[key = "a" and ...]`,
    /// or `item.key`) or is the domain of a `some` whose body is such a conjunction; anything else
    /// gives nil, as for ``entryRequirement(onList:)``.
    public func entryValues(of key: String, onList path: [String]) -> Set<String>? {
        guard path.count == 2 else { return nil }
        guard let tree else { return [] }
        var search = FEELRequirementSearch(root: path[0], list: path[1], key: key)
        search.visit(tree)
        return search.failed ? nil : Set(search.found.map(\.value))
    }
}

/// The walk behind ``FEELExpression/entryRequirement(onList:)`` and
/// ``FEELExpression/entryValues(of:onList:)``.
struct FEELRequirementSearch {
    let root: String
    let list: String
    /// The entry every requirement must be on, which also lets a filter of the list meet one; nil
    /// for any entry, and only quantifiers.
    let key: String?
    var found: [FEELEntryRequirement] = []
    var failed = false

    mutating func visit(_ node: FEELNode) {
        if failed { return }
        switch node.kind {
        case .name(let name):
            // The root used whole (passed to a function, compared, iterated): it could reach the list.
            if name == root { failed = true }
        case .path(let base, let key):
            if case .name(let name) = base.kind, name == root {
                // `case.id`, `case.facts`: fine; the list itself only as a quantifier's domain (below).
                if key == list { failed = true }
                return
            }
            visit(base)
        case .quantified(let every, let iterations, let body):
            if iterations.contains(where: { $0.name == root }) {
                failed = true
                return
            }
            if !every, iterations.count == 1, iterations[0].upTo == nil, isList(iterations[0].domain) {
                guard let requirement = Self.requirement(in: body, on: iterations[0].name, key: key) else {
                    failed = true
                    return
                }
                if !found.contains(requirement) { found.append(requirement) }
                visit(body)
                return
            }
            visit(iterations, body)
        case .forLoop(let iterations, let body):
            if iterations.contains(where: { $0.name == root }) {
                failed = true
                return
            }
            visit(iterations, body)
        case .function(let parameters, let body):
            if parameters.contains(root) {
                failed = true
                return
            }
            visit(body)
        case .literal, .temporal, .anything:
            return
        case .list(let items): items.forEach { visit($0) }
        case .context(let entries): entries.forEach { visit($0.value) }
        case .range(_, let start, _, let end):
            if let start { visit(start) }
            if let end { visit(end) }
        case .negate(let x), .unaryComparison(_, let x), .instanceOf(let x, _): visit(x)
        case .filter(let a, let b) where key != nil && isList(a):
            // In a filter an element's entries are names of their own (`type`), or entries of `item`.
            guard
                let requirement = Self.requirement(in: b, on: "item", key: key)
                    ?? Self.requirement(in: b, on: nil, key: key)
            else {
                failed = true
                return
            }
            if !found.contains(requirement) { found.append(requirement) }
            visit(b)
        case .arithmetic(_, let a, let b), .comparison(_, let a, let b), .and(let a, let b), .or(let a, let b),
            .filter(let a, let b):
            visit(a)
            visit(b)
        case .between(let x, let lo, let hi):
            visit(x)
            visit(lo)
            visit(hi)
        case .inTests(let x, let tests):
            visit(x)
            tests.forEach { visit($0) }
        case .notTests(let tests): tests.forEach { visit($0) }
        case .ifThenElse(let c, let a, let b):
            visit(c)
            visit(a)
            visit(b)
        case .call(let callee, let arguments):
            visit(callee)
            arguments.forEach { visit($0.value) }
        }
    }

    mutating func visit(_ iterations: [FEELNode.Iteration], _ body: FEELNode) {
        for iteration in iterations {
            visit(iteration.domain)
            if let upTo = iteration.upTo { visit(upTo) }
        }
        visit(body)
    }

    func isList(_ node: FEELNode) -> Bool {
        if case .path(let base, let key) = node.kind, key == list, case .name(let name) = base.kind, name == root {
            return true
        }
        return false
    }

    /// A term `v.key = "value"` (either way round) of the conjunction `body`, on `wanted` if given.
    /// With no `variable`, a term `key = "value"` (an entry named in a filter).
    static func requirement(in body: FEELNode, on variable: String?, key wanted: String?) -> FEELEntryRequirement? {
        switch body.kind {
        case .and(let a, let b):
            return requirement(in: a, on: variable, key: wanted) ?? requirement(in: b, on: variable, key: wanted)
        case .comparison(.equal, let a, let b):
            for (entry, literal) in [(a, b), (b, a)] {
                guard case .literal(.string(let value)) = literal.kind, value.utf8.allSatisfy({ $0 < 0x80 }) else {
                    continue
                }
                let key: String
                switch entry.kind {
                case .path(let base, let k):
                    guard let variable, case .name(let name) = base.kind, name == variable else { continue }
                    key = k
                case .name(let name):
                    guard variable == nil else { continue }
                    key = name
                default:
                    continue
                }
                if wanted == nil || wanted == key { return FEELEntryRequirement(key: key, value: value) }
            }
            return nil
        default:
            return nil
        }
    }
}
