import Foundation

/// The state of one evaluation: a slot for every variable the expression can see.
///
/// Names are resolved to slot indices when the expression is compiled, so evaluation never looks a
/// name up by its text. The caller's values fill the first slots; iteration variables, parameters
/// and context entries use the rest.
struct FEELFrame {
    var slots: [FEELValue]
    /// The caller's environment, which the caller keeps alive for the whole evaluation (every frame
    /// is built from an `environment` argument or `FEELEnvironment.empty` and never outlives that
    /// call); held unowned so that making a frame costs no reference count.
    unowned(unsafe) let storage: FEELEnvironment.Storage

    init(slots: [FEELValue], environment: FEELEnvironment) {
        self.slots = slots
        storage = environment.storage
    }

    var environment: FEELEnvironment { FEELEnvironment(storage: storage) }

    @inline(__always)
    func warn(_ message: @autoclosure () -> String) {
        storage.warnings?(message())
    }
}

/// Compiled FEEL: a closure per node, built once, that evaluates against a frame.
typealias FEELCode = @Sendable (inout FEELFrame) -> FEELValue

/// A test of a value that needs no frame (a decision table cell such as `< 0.5`).
///
/// A struct rather than a bare closure so that it can be optional or stored in an array without
/// Swift re-abstracting the closure, which would put two thunks in front of every call. A test that
/// is an interval of numbers says so, and numbers are then checked inline, without a call.
struct FEELDirectTest: Sendable {
    struct Interval: Sendable {
        var low: Decimal?
        var lowIncluded: Bool
        var high: Decimal?
        var highIncluded: Bool

        @inline(__always)
        func contains(_ m: Decimal) -> Bool {
            if let low {
                let a = FEELNumber.compare(low, m)
                if a > 0 || (a == 0 && !lowIncluded) { return false }
            }
            if let high {
                let b = FEELNumber.compare(m, high)
                if b > 0 || (b == 0 && !highIncluded) { return false }
            }
            return true
        }
    }

    var interval: Interval?
    /// The test of any value (for an interval test, of values that are not numbers).
    let run: @Sendable (FEELValue) -> Bool?

    @inline(__always)
    func callAsFunction(_ x: FEELValue) -> Bool? {
        if let interval, case .number(let m) = x { return interval.contains(m) }
        return run(x)
    }
}

/// The slots a function value captured from the frame it was created in.
///
/// A class so that a function bound to a context entry can see itself (recursion) once bound.
final class FEELCapture: @unchecked Sendable {
    // Written only while the creating evaluation binds the function, before anything else sees it.
    var slots: [FEELValue]
    init(_ slots: [FEELValue]) { self.slots = slots }
}

/// Turns a parsed `FEELNode` into `FEELCode`, resolving names to slots and built-in calls to their
/// implementations, folding constant calls, and specialising comparisons with a constant number.
struct FEELCompiler {
    let bytes: [UInt8]
    /// Names visible at this point, innermost last, each with its slot.
    var scopes: [[(name: String, slot: Int)]]
    var slotCount: Int
    /// The `item` slot and scope depth of each filter being compiled, innermost last.
    var filters: [(item: Int, scopeDepth: Int)] = []
    let externals: Set<String>
    /// For each loop body being compiled, innermost last: the scope depth where the loop's own
    /// names begin, and the loop-invariant subexpressions moved out of the body (nil where hoisting
    /// is off, inside function bodies and hoisted expressions themselves).
    var hoisting: [(boundary: Int, hoisted: [(slot: Int, code: FEELCode)])?] = []

    static let maximumIterations = 1_000_000

    init(bytes: [UInt8], names: [String], functionNames: [String]) {
        self.bytes = bytes
        scopes = [names.enumerated().map { ($1, $0) }]
        slotCount = names.count
        externals = Set(functionNames)
    }

    func error(_ message: String, _ node: FEELNode) -> FEELError {
        FEELLexer.error(message, at: node.range.lowerBound, in: bytes)
    }

    mutating func newSlot(_ name: String) -> Int {
        let slot = slotCount
        slotCount += 1
        scopes[scopes.count - 1].append((name, slot))
        return slot
    }

    func lookup(_ name: String) -> (slot: Int, depth: Int)? {
        for depth in stride(from: scopes.count - 1, through: 0, by: -1) {
            if let entry = scopes[depth].last(where: { $0.name == name }) { return (entry.slot, depth) }
        }
        return nil
    }

    // MARK: nodes

    /// Compiles `node`; a node whose value cannot change between evaluations (no names, only pure
    /// built-ins: `duration("P12M")`, `[0.5..0.7)`, `-1`) is evaluated here, once.
    mutating func compile(_ node: FEELNode) throws(FEELError) -> FEELCode {
        if let value = try constantValue(node) { return { _ in value } }
        if let context = hoisting.last, let boundary = context?.boundary, isHoistable(node, below: boundary) {
            // `event.at - duration("P12M")` inside `some r in ... satisfies`: computed once per
            // evaluation of the loop, before its first step, instead of once per step.
            hoisting.append(nil)
            let code = try compileNode(node)
            hoisting.removeLast()
            let slot = slotCount
            slotCount += 1
            hoisting[hoisting.count - 1]!.hoisted.append((slot, code))
            return { f in f.slots[slot] }
        }
        return try compileNode(node)
    }

    /// Whether `node` is worth computing once per loop and reads only names bound outside the loop
    /// (scope depth below `boundary`), with no construct that binds names of its own.
    func isHoistable(_ node: FEELNode, below boundary: Int) -> Bool {
        switch node.kind {
        case .arithmetic, .call: break
        default: return false
        }
        if let filter = filters.last, filter.scopeDepth >= boundary { return false }
        return reads(node, onlyBelow: boundary)
    }

    func reads(_ node: FEELNode, onlyBelow boundary: Int) -> Bool {
        func all(_ nodes: [FEELNode]) -> Bool { nodes.allSatisfy { reads($0, onlyBelow: boundary) } }
        switch node.kind {
        case .literal, .temporal: return true
        case .name(let name):
            guard let found = lookup(name) else { return false }
            return found.depth < boundary
        case .list(let items): return all(items)
        case .range(_, let s, _, let e): return all([s, e].compactMap { $0 })
        case .negate(let a), .unaryComparison(_, let a), .instanceOf(let a, _), .path(let a, _): return all([a])
        case .arithmetic(_, let a, let b), .comparison(_, let a, let b), .and(let a, let b), .or(let a, let b):
            return all([a, b])
        case .between(let a, let b, let c), .ifThenElse(let a, let b, let c): return all([a, b, c])
        case .call(let callee, let arguments):
            if case .name(let name) = callee.kind, lookup(name) == nil {
                guard FEELBuiltins.table[name] != nil || externals.contains(name) else { return false }
                // The clock is read where the body reads it, not before the loop: a caller counting
                // clock reads (`FEELClockReads`) learns that `some t in tasks satisfies t.late and
                // today() > t.due` did not depend on the date when no task was late.
                if name == "now" || name == "today" { return false }
            } else if !reads(callee, onlyBelow: boundary) {
                return false
            }
            return all(arguments.map(\.value))
        default: return false
        }
    }

    /// Computes a loop's hoisted expressions into their slots.
    @inline(__always)
    static func prepare(_ hoisted: [(slot: Int, code: FEELCode)], _ f: inout FEELFrame) {
        for entry in hoisted { f.slots[entry.slot] = entry.code(&f) }
    }

    /// The value of `node` when it is constant (see `isConstant`), evaluated at compile time.
    mutating func constantValue(_ node: FEELNode) throws(FEELError) -> FEELValue? {
        switch node.kind {
        case .literal(let value): return value
        case .temporal: break
        default: guard isConstant(node) else { return nil }
        }
        let code = try compileNode(node)
        var frame = FEELFrame(slots: Array(repeating: .null, count: slotCount), environment: .empty)
        return code(&frame)
    }

    /// Whether `node` mentions no name and calls only built-ins that read nothing but their arguments.
    func isConstant(_ node: FEELNode) -> Bool {
        switch node.kind {
        case .literal, .temporal: return true
        case .list(let items): return items.allSatisfy { isConstant($0) }
        case .range(_, let s, _, let e): return (s.map { isConstant($0) } ?? true) && (e.map { isConstant($0) } ?? true)
        case .negate(let a), .unaryComparison(_, let a), .instanceOf(let a, _), .path(let a, _): return isConstant(a)
        case .arithmetic(_, let a, let b), .comparison(_, let a, let b), .and(let a, let b), .or(let a, let b):
            return isConstant(a) && isConstant(b)
        case .between(let a, let b, let c), .ifThenElse(let a, let b, let c):
            return isConstant(a) && isConstant(b) && isConstant(c)
        case .call(let callee, let arguments):
            guard case .name(let name) = callee.kind, lookup(name) == nil, !externals.contains(name),
                let overloads = FEELBuiltins.table[name], !overloads.contains(where: \.usesEnvironment)
            else { return false }
            return arguments.allSatisfy { isConstant($0.value) }
        default: return false
        }
    }

    mutating func compileNode(_ node: FEELNode) throws(FEELError) -> FEELCode {
        switch node.kind {
        case .literal(let value):
            return { _ in value }
        case .temporal(let text):
            guard let value = FEELTemporal.parseLiteral(text) else {
                throw error("'\(text)' is not a date, time, date and time or duration", node)
            }
            return { _ in value }
        case .name(let name):
            return try compileName(name, node)
        case .list(let items):
            var codes: [FEELCode] = []
            for item in items { codes.append(try compile(item)) }
            let all = codes
            return { f in
                var out: [FEELValue] = []
                out.reserveCapacity(all.count)
                for code in all { out.append(code(&f)) }
                return .list(out)
            }
        case .context(let entries):
            return try compileContext(entries)
        case .range(let startIncluded, let start, let endIncluded, let end):
            let s = try start.map { (n) throws(FEELError) in try compile(n) }
            let e = try end.map { (n) throws(FEELError) in try compile(n) }
            return { f in
                let lo = s.map { $0(&f) }
                let hi = e.map { $0(&f) }
                return FEELOperators.makeRange(lo, startIncluded, hi, endIncluded)
            }
        case .negate(let operand):
            let code = try compile(operand)
            return { f in FEELArithmetic.negate(code(&f)) }
        case .arithmetic(let op, let left, let right):
            let l = try compile(left)
            let r = try compile(right)
            switch op {
            case .add:
                return { f in
                    let a = l(&f)
                    let b = r(&f)
                    if case .number(let x) = a, case .number(let y) = b { return FEELNumber.exact(x + y) }
                    return FEELArithmetic.add(a, b)
                }
            case .subtract: return { f in FEELArithmetic.subtract(l(&f), r(&f)) }
            case .multiply: return { f in FEELArithmetic.multiply(l(&f), r(&f)) }
            case .divide: return { f in FEELArithmetic.divide(l(&f), r(&f)) }
            case .power: return { f in FEELArithmetic.power(l(&f), r(&f)) }
            }
        case .comparison(let op, let left, let right):
            return try compileComparison(op, left, right)
        case .and(let left, let right):
            let l = try compile(left)
            let r = try compile(right)
            return { f in
                let a = l(&f)
                if case .boolean(false) = a { return a }
                let b = r(&f)
                if case .boolean(false) = b { return b }
                if case .boolean(true) = a, case .boolean(true) = b { return b }
                return .null
            }
        case .or(let left, let right):
            let l = try compile(left)
            let r = try compile(right)
            return { f in
                let a = l(&f)
                if case .boolean(true) = a { return a }
                let b = r(&f)
                if case .boolean(true) = b { return b }
                if case .boolean(false) = a, case .boolean(false) = b { return b }
                return .null
            }
        case .between(let value, let low, let high):
            let v = try compile(value)
            let lo = try compile(low)
            let hi = try compile(high)
            return { f in
                let x = v(&f)
                guard let a = FEELCompare.order(lo(&f), x), let b = FEELCompare.order(x, hi(&f)) else { return .null }
                return .boolean(a <= 0 && b <= 0)
            }
        case .inTests(let value, let tests):
            let v = try compile(value)
            let matchers = try tests.map { (t) throws(FEELError) in try compileTest(t) }
            return { f in
                let x = v(&f)
                return FEELOperators.anyMatch(x, matchers, &f)
            }
        case .unaryComparison(let op, let operand):
            let code = try compile(operand)
            return { f in FEELOperators.unaryRange(op, code(&f)) }
        case .notTests(let tests):
            guard let input = lookup("?") else { throw error("'not(...)' is only allowed in unary tests", node) }
            let matchers = try tests.map { (t) throws(FEELError) in try compileTest(t) }
            let slot = input.slot
            return { f in
                let x = f.slots[slot]
                switch FEELOperators.anyMatch(x, matchers, &f) {
                case .boolean(let b): return .boolean(!b)
                default: return .null
                }
            }
        case .anything:
            return { _ in .boolean(true) }
        case .instanceOf(let value, let type):
            let v = try compile(value)
            return { f in .boolean(FEELTypes.isInstance(v(&f), of: type)) }
        case .ifThenElse(let condition, let then, let otherwise):
            let c = try compile(condition)
            let t = try compile(then)
            let e = try compile(otherwise)
            return { f in
                if case .boolean(true) = c(&f) { return t(&f) }
                return e(&f)
            }
        case .forLoop(let iterations, let body):
            return try compileIteration(iterations, body, quantifier: nil)
        case .quantified(let every, let iterations, let body):
            return try compileIteration(iterations, body, quantifier: every)
        case .path(let base, let name):
            if let (slot, names) = slotPath(node) {
                // `facts.school.attendance`: walk the contexts from the variable's slot in one call.
                let keys = names.map(FEELKey.init)
                return { f in FEELCompiler.follow(f.slots, slot, keys) }
            }
            let b = try compile(base)
            return { f in FEELOperators.path(b(&f), name) }
        case .filter(let base, let condition):
            return try compileFilter(base, condition)
        case .call(let callee, let arguments):
            return try compileCall(callee, arguments, node)
        case .function(let parameters, let body):
            return try compileFunction(parameters, body)
        }
    }

    /// `value.keys[0].keys[1]...`: context entries looked up in place, other values through the
    /// general path operator.
    ///
    /// Each context on the way is only borrowed and each key compared where it lies (see
    /// `FEELKey`); only the value at the end is copied. Copying every intermediate context and key
    /// (as `context[name]` does) cost a dozen atomic reference counts for `facts.school.attendance`.
    ///
    /// The pointers stay valid because every context on the way is owned, through its parent, by
    /// the value at `root`, which the caller keeps alive and unchanged for the whole walk.
    static func follow(_ root: UnsafePointer<FEELValue>, _ keys: [FEELKey]) -> FEELValue {
        follow(root, keys, from: 0, to: keys.count)
    }

    /// `root.keys[start]...keys[end - 1]`: a decision table keeps the keys of all its inputs in one
    /// array.
    static func follow(_ root: UnsafePointer<FEELValue>, _ keys: [FEELKey], from start: Int, to end: Int)
        -> FEELValue
    {
        var current = root
        var k = start
        while k < end {
            guard let entries = contextEntries(current) else { return rest(current.pointee, keys, from: k, to: end) }
            guard let found = FEELKey.find(keys, k, in: entries) else { return rest(.null, keys, from: k + 1, to: end) }
            current = found
            k += 1
        }
        return current.pointee
    }

    /// The entries of the context at `value`, borrowed; nil when it is not a context.
    ///
    /// Kept apart from the search so that nothing opaque runs while the context is bound, which
    /// would make Swift copy it (a retain and a release) to keep it alive.
    @inline(__always)
    static func contextEntries(_ value: UnsafePointer<FEELValue>) -> UnsafeBufferPointer<FEELKey.Entry>? {
        guard case .context(let context) = value.pointee else { return nil }
        return context.entries.withUnsafeBufferPointer { $0 }
    }

    /// `slots[slot].keys...`, borrowing the slot in place.
    @inline(__always)
    static func follow(_ slots: [FEELValue], _ slot: Int, _ keys: [FEELKey]) -> FEELValue {
        slots.withUnsafeBufferPointer { follow($0.baseAddress! + slot, keys) }
    }

    /// The general path operator over the keys from `k` up to `end`.
    static func rest(_ value: FEELValue, _ keys: [FEELKey], from k: Int, to end: Int) -> FEELValue {
        var current = value
        var i = k
        while i < end {
            current = FEELOperators.path(current, keys[i].text)
            i += 1
        }
        return current
    }

    mutating func compileName(_ name: String, _ node: FEELNode) throws(FEELError) -> FEELCode {
        if name == "item", let filter = filters.last, let found = lookup(name), found.slot == filter.item {
            // A context element with an entry named `item` shows that entry, as the TCK expects.
            let slot = found.slot
            return { f in
                if case .context(let c) = f.slots[slot], let v = c["item"] { return v }
                return f.slots[slot]
            }
        }
        if let found = lookup(name) {
            let slot = found.slot
            // Inside a filter, the entries of the item (when it is a context) hide outer names.
            if let filter = filters.last, found.depth < filter.scopeDepth, name != "item" {
                let item = filter.item
                return { f in
                    if case .context(let c) = f.slots[item], let v = c[name] { return v }
                    return f.slots[slot]
                }
            }
            return { f in f.slots[slot] }
        }
        if let filter = filters.last {
            let item = filter.item
            return { f in
                if case .context(let c) = f.slots[item], let v = c[name] { return v }
                return .null
            }
        }
        throw error("unknown name '\(name)'", node)
    }

    /// `name.a.b...` where `name` is a variable read straight from its slot (not inside a filter,
    /// where the element's entries could hide it): the slot and the entry names.
    func slotPath(_ node: FEELNode) -> (slot: Int, names: [String])? {
        var names: [String] = []
        var root = node
        while case .path(let inner, let name) = root.kind {
            names.insert(name, at: 0)
            root = inner
        }
        guard !names.isEmpty, case .name(let rootName) = root.kind, filters.isEmpty, let found = lookup(rootName)
        else { return nil }
        return (found.slot, names)
    }

    /// `node` when it is a whole comparison of a caller's variable path with a number, which
    /// `FEELExpression.evaluate` then runs without a frame.
    func pathComparison(_ node: FEELNode) -> FEELPathComparison? {
        guard case .comparison(let op, let left, let right) = node.kind,
            case .literal(.number(let constant)) = right.kind,
            op != .equal, op != .notEqual, let (slot, names) = slotPath(left)
        else { return nil }
        return FEELPathComparison(
            slot: slot, keys: names.map(FEELKey.init), op: op, constant: constant, scaled: FEELNumber.Scaled(constant))
    }

    /// `name` or `name.a.b...` where `name` is one of the caller's variables: its slot and the entry
    /// names, which a decision table follows itself, without a frame.
    func variablePath(_ node: FEELNode) -> (slot: Int, names: [String])? {
        if case .name(let name) = node.kind {
            guard filters.isEmpty, let found = lookup(name) else { return nil }
            return (found.slot, [])
        }
        return slotPath(node)
    }

    /// Whether a comparison result `c` (-1, 0, 1) satisfies `op`.
    @inline(__always)
    static func accepts(_ op: ComparisonOperator, _ c: Int) -> Bool {
        switch op {
        case .equal: c == 0
        case .notEqual: c != 0
        case .less: c < 0
        case .lessOrEqual: c <= 0
        case .greater: c > 0
        case .greaterOrEqual: c >= 0
        }
    }

    /// `x` against a constant, through 64-bit integers when both fit.
    @inline(__always)
    static func compare(_ x: Decimal, _ constant: Decimal, _ scaled: FEELNumber.Scaled?) -> Int {
        if let scaled, let y = FEELNumber.Scaled(knownLayout: x), let c = FEELNumber.Scaled.compare(y, scaled) {
            return c
        }
        return FEELNumber.compare(x, constant)
    }

    mutating func compileComparison(_ op: ComparisonOperator, _ left: FEELNode, _ right: FEELNode) throws(FEELError)
        -> FEELCode
    {
        if case .literal(.number(let constant)) = right.kind, op != .equal, op != .notEqual,
            let (slot, names) = slotPath(left)
        {
            // The commonest rule shape, `facts.school.attendance <= 0.9`, in one closure.
            let scaled = FEELNumber.Scaled(constant)
            let keys = names.map(FEELKey.init)
            return { f in
                let value = FEELCompiler.follow(f.slots, slot, keys)
                guard case .number(let x) = value else { return .null }
                return .boolean(FEELCompiler.accepts(op, FEELCompiler.compare(x, constant, scaled)))
            }
        }
        let l = try compile(left)
        if case .literal(.number(let constant)) = right.kind, op != .equal, op != .notEqual {
            // `count(...) > 2`: compare numbers without building values.
            let scaled = FEELNumber.Scaled(constant)
            return { f in
                guard case .number(let x) = l(&f) else { return .null }
                return .boolean(FEELCompiler.accepts(op, FEELCompiler.compare(x, constant, scaled)))
            }
        }
        if case .literal(.string(let constant)) = right.kind, op == .equal || op == .notEqual {
            // The filter shape `type = "referral.received"`: compare strings without the general switch.
            let negate = op == .notEqual
            return { f in
                let a = l(&f)
                if case .string(let x) = a { return .boolean((x == constant) != negate) }
                if case .null = a { return .boolean(negate) }
                return .null
            }
        }
        let r = try compile(right)
        switch op {
        case .equal:
            return { f in FEELCompare.equal(l(&f), r(&f)).map(FEELValue.boolean) ?? .null }
        case .notEqual:
            return { f in FEELCompare.equal(l(&f), r(&f)).map { .boolean(!$0) } ?? .null }
        case .less:
            return { f in FEELCompare.order(l(&f), r(&f)).map { .boolean($0 < 0) } ?? .null }
        case .lessOrEqual:
            return { f in FEELCompare.order(l(&f), r(&f)).map { .boolean($0 <= 0) } ?? .null }
        case .greater:
            return { f in FEELCompare.order(l(&f), r(&f)).map { .boolean($0 > 0) } ?? .null }
        case .greaterOrEqual:
            return { f in FEELCompare.order(l(&f), r(&f)).map { .boolean($0 >= 0) } ?? .null }
        }
    }

    /// A positive unary test as a matcher of the tested value.
    mutating func compileTest(_ test: FEELNode) throws(FEELError) -> FEELOperators.Matcher {
        if let direct = try constantTest(test) { return { x, _ in direct(x) } }
        if case .unaryComparison(let op, let operand) = test.kind {
            let code = try compile(operand)
            return { x, f in FEELCompiler.compareTest(op, x, code(&f)) }
        }
        let usesInput = FEELCompiler.mentions(test, "?")
        let code = try compile(test)
        return { x, f in FEELCompiler.valueTest(x, code(&f), usesInput: usesInput) }
    }

    /// A matcher that needs no frame, for a test whose operand is constant (`< 0.5`, `[0.5..0.7)`,
    /// `"a"`), specialised for numbers, which is what most decision table cells compare.
    mutating func constantTest(_ test: FEELNode) throws(FEELError) -> FEELDirectTest? {
        if case .unaryComparison(let op, let operand) = test.kind {
            guard let y = try constantValue(operand) else { return nil }
            var direct = FEELDirectTest { x in FEELCompiler.compareTest(op, x, y) }
            if case .number(let n) = y {
                switch op {
                case .equal: direct.interval = .init(low: n, lowIncluded: true, high: n, highIncluded: true)
                case .less: direct.interval = .init(low: nil, lowIncluded: false, high: n, highIncluded: false)
                case .lessOrEqual: direct.interval = .init(low: nil, lowIncluded: false, high: n, highIncluded: true)
                case .greater: direct.interval = .init(low: n, lowIncluded: false, high: nil, highIncluded: false)
                case .greaterOrEqual: direct.interval = .init(low: n, lowIncluded: true, high: nil, highIncluded: false)
                case .notEqual: break
                }
            }
            return direct
        }
        guard !FEELCompiler.mentions(test, "?"), let y = try constantValue(test) else { return nil }
        switch y {
        case .number(let n):
            var direct = FEELDirectTest { x in FEELCompare.equal(x, y) }
            direct.interval = .init(low: n, lowIncluded: true, high: n, highIncluded: true)
            return direct
        case .range(let r):
            var direct = FEELDirectTest { x in r.contains(x) }
            if case .number(let low)? = r.start, case .number(let high)? = r.end {
                direct.interval = .init(
                    low: low, lowIncluded: r.startIncluded, high: high, highIncluded: r.endIncluded)
            }
            return direct
        default:
            return FEELDirectTest { x in FEELCompiler.valueTest(x, y, usesInput: false) }
        }
    }

    /// `x op y` for a unary comparison test.
    static func compareTest(_ op: ComparisonOperator, _ x: FEELValue, _ y: FEELValue) -> Bool? {
        switch op {
        case .equal: return FEELCompare.equal(x, y)
        case .notEqual: return FEELCompare.equal(x, y).map { !$0 }
        case .less: return FEELCompare.order(x, y).map { $0 < 0 }
        case .lessOrEqual: return FEELCompare.order(x, y).map { $0 <= 0 }
        case .greater: return FEELCompare.order(x, y).map { $0 > 0 }
        case .greaterOrEqual: return FEELCompare.order(x, y).map { $0 >= 0 }
        }
    }

    /// Whether `x` passes a test whose expression gave `y`: a range or list holds it, a boolean
    /// computed from `?` is the answer, anything else is compared for equality.
    static func valueTest(_ x: FEELValue, _ y: FEELValue, usesInput: Bool) -> Bool? {
        switch y {
        case .range(let r): return r.contains(x)
        case .list(let items):
            if case .list = x, FEELCompare.equal(x, y) == true { return true }
            for item in items {
                if case .range(let r) = item {
                    if r.contains(x) == true { return true }
                } else if FEELCompare.equal(x, item) == true {
                    return true
                }
            }
            return false
        case .boolean(let b):
            if usesInput { return b }
            if case .boolean = x { return FEELCompare.equal(x, y) }
            return b
        default:
            return FEELCompare.equal(x, y)
        }
    }

    static func mentions(_ node: FEELNode, _ name: String) -> Bool {
        switch node.kind {
        case .name(let n): return n == name
        case .literal, .temporal, .anything: return false
        case .list(let items): return items.contains { mentions($0, name) }
        case .context(let entries): return entries.contains { mentions($0.value, name) }
        case .range(_, let s, _, let e):
            return (s.map { mentions($0, name) } ?? false) || (e.map { mentions($0, name) } ?? false)
        case .negate(let a), .unaryComparison(_, let a), .instanceOf(let a, _), .path(let a, _):
            return mentions(a, name)
        case .arithmetic(_, let a, let b), .comparison(_, let a, let b), .and(let a, let b), .or(let a, let b),
            .filter(let a, let b):
            return mentions(a, name) || mentions(b, name)
        case .between(let a, let b, let c), .ifThenElse(let a, let b, let c):
            return mentions(a, name) || mentions(b, name) || mentions(c, name)
        case .inTests(let a, let tests): return mentions(a, name) || tests.contains { mentions($0, name) }
        case .notTests(let tests): return tests.contains { mentions($0, name) }
        case .forLoop(let its, let body), .quantified(_, let its, let body):
            return mentions(body, name)
                || its.contains { mentions($0.domain, name) || ($0.upTo.map { mentions($0, name) } ?? false) }
        case .call(let callee, let args): return mentions(callee, name) || args.contains { mentions($0.value, name) }
        case .function(_, let body): return mentions(body, name)
        }
    }

    mutating func compileContext(_ entries: [(key: String, value: FEELNode)]) throws(FEELError) -> FEELCode {
        scopes.append([])
        defer { scopes.removeLast() }
        var compiled: [(key: String, slot: Int, code: FEELCode)] = []
        for entry in entries {
            let isFunction: Bool
            if case .function = entry.value.kind { isFunction = true } else { isFunction = false }
            var slot = -1
            // A function entry sees itself, so that it can call itself.
            if isFunction { slot = newSlot(entry.key) }
            let code = try compile(entry.value)
            if !isFunction { slot = newSlot(entry.key) }
            compiled.append((entry.key, slot, code))
        }
        let all = compiled
        return { f in
            var result: [FEELContext.Entry] = []
            result.reserveCapacity(all.count)
            for entry in all {
                let value = entry.code(&f)
                if case .function(let fn) = value, let capture = fn.capture, capture.slots.count > entry.slot {
                    capture.slots[entry.slot] = value
                }
                f.slots[entry.slot] = value
                result.append(FEELContext.Entry(entry.key, value))
            }
            return .context(FEELContext(entries: result))
        }
    }

    mutating func compileIteration(_ iterations: [FEELNode.Iteration], _ body: FEELNode, quantifier: Bool?)
        throws(FEELError) -> FEELCode
    {
        scopes.append([])
        defer { scopes.removeLast() }
        let partial = quantifier == nil ? newSlot("partial") : -1
        if let every = quantifier, iterations.count == 1, iterations[0].upTo == nil,
            case .filter(let base, let condition) = iterations[0].domain.kind, let test = try entryTest(condition)
        {
            return try compileFilteredQuantifier(every, iterations[0].name, base, test, body)
        }
        var domains: [(slot: Int, domain: FEELCode, upTo: FEELCode?)] = []
        for iteration in iterations {
            let domain = try compile(iteration.domain)
            let upTo = try iteration.upTo.map { (n) throws(FEELError) in try compile(n) }
            domains.append((newSlot(iteration.name), domain, upTo))
        }
        hoisting.append((scopes.count - 1, []))
        let bodyCode = try compile(body)
        let hoisted = hoisting.removeLast()!.hoisted
        let all = domains
        if domains.count == 1, let every = quantifier {
            // One iteration variable, the shape of almost every rule's `some`/`every`: a plain loop.
            let only = domains[0]
            return { f in
                guard let items = FEELOperators.iterationDomain(only.domain(&f), only.upTo.map { $0(&f) }) else {
                    return .null
                }
                if items.count > FEELCompiler.maximumIterations {
                    f.warn("iteration stopped after \(FEELCompiler.maximumIterations) steps")
                    return .null
                }
                if !items.isEmpty { FEELCompiler.prepare(hoisted, &f) }
                for item in items {
                    f.slots[only.slot] = item
                    let isTrue: Bool
                    if case .boolean(true) = bodyCode(&f) { isTrue = true } else { isTrue = false }
                    if isTrue != every { return .boolean(isTrue) }
                }
                return .boolean(every)
            }
        }
        return { f in
            var results: [FEELValue] = []
            var failed = false
            var decided: Bool?
            var count = 0
            func run(_ level: Int, _ f: inout FEELFrame) {
                if failed || decided != nil { return }
                if level == all.count {
                    if count == 0 { FEELCompiler.prepare(hoisted, &f) }
                    count += 1
                    if count > FEELCompiler.maximumIterations {
                        failed = true
                        f.warn("iteration stopped after \(FEELCompiler.maximumIterations) steps")
                        return
                    }
                    if partial >= 0 { f.slots[partial] = .list(results) }
                    let value = bodyCode(&f)
                    if let every = quantifier {
                        let isTrue: Bool
                        if case .boolean(true) = value { isTrue = true } else { isTrue = false }
                        if every && !isTrue { decided = false }
                        if !every && isTrue { decided = true }
                    } else {
                        results.append(value)
                    }
                    return
                }
                let entry = all[level]
                guard let items = FEELOperators.iterationDomain(entry.domain(&f), entry.upTo.map { $0(&f) }) else {
                    failed = true
                    return
                }
                for item in items {
                    f.slots[entry.slot] = item
                    run(level + 1, &f)
                    if failed || decided != nil { return }
                }
            }
            run(0, &f)
            if failed { return .null }
            if let every = quantifier { return .boolean(decided ?? every) }
            return .list(results)
        }
    }

    /// The filter condition `entry op constant` (`type = "referral.received"`), where `entry` can only
    /// be an entry of the element, as its parts.
    mutating func entryTest(_ condition: FEELNode) throws(FEELError) -> (String, ComparisonOperator, FEELValue)? {
        guard case .comparison(let op, let left, let right) = condition.kind, case .name(let name) = left.kind,
            name != "item", name != "?", lookup(name) == nil, let constant = try constantValue(right)
        else { return nil }
        return (name, op, constant)
    }

    /// `some r in history[type = "referral.received"] satisfies body`: the filter and the quantifier in
    /// one pass, without building the filtered list, stopping at the first element that decides.
    mutating func compileFilteredQuantifier(
        _ every: Bool, _ name: String, _ base: FEELNode, _ test: (String, ComparisonOperator, FEELValue),
        _ body: FEELNode
    ) throws(FEELError) -> FEELCode {
        let b = try compile(base)
        let slot = newSlot(name)
        hoisting.append((scopes.count - 1, []))
        let bodyCode = try compile(body)
        let hoisted = hoisting.removeLast()!.hoisted
        let (entry, op, constant) = test
        return { f in
            let value = b(&f)
            let items: [FEELValue]
            switch value {
            case .null: return .null
            case .list(let list): items = list
            default: items = [value]
            }
            var prepared = false
            var i = 0
            while i < items.count {
                if FEELCompiler.entryMatches(items[i], entry, op, constant) {
                    if !prepared {
                        FEELCompiler.prepare(hoisted, &f)
                        prepared = true
                    }
                    f.slots[slot] = items[i]
                    let isTrue: Bool
                    if case .boolean(true) = bodyCode(&f) { isTrue = true } else { isTrue = false }
                    if isTrue != every { return .boolean(isTrue) }
                }
                i += 1
            }
            return .boolean(every)
        }
    }

    mutating func compileFilter(_ base: FEELNode, _ condition: FEELNode) throws(FEELError) -> FEELCode {
        let b = try compile(base)
        if let (name, op, constant) = try entryTest(condition) {
            // `history[type = "referral.received"]`: an entry of each element against a constant,
            // read in place, without binding `item` or building intermediate values.
            return { f in
                let value = b(&f)
                switch value {
                case .null: return .null
                case .list(let items):
                    var out: [FEELValue] = []
                    var i = 0
                    while i < items.count {
                        if FEELCompiler.entryMatches(items[i], name, op, constant) { out.append(items[i]) }
                        i += 1
                    }
                    return .list(out)
                default:
                    return .list(FEELCompiler.entryMatches(value, name, op, constant) ? [value] : [])
                }
            }
        }
        scopes.append([])
        let item = newSlot("item")
        filters.append((item, scopes.count - 1))
        let c = try compile(condition)
        filters.removeLast()
        scopes.removeLast()
        if case .literal(.number(let n)) = condition.kind {
            return { f in FEELOperators.index(b(&f), n) }
        }
        return { f in
            let value = b(&f)
            let items: [FEELValue]
            if case .list(let list) = value {
                items = list
            } else if case .null = value {
                return .null
            } else {
                items = [value]
            }
            var out: [FEELValue] = []
            var first = true
            for element in items {
                f.slots[item] = element
                let keep = c(&f)
                if first, case .number(let n) = keep { return FEELOperators.index(value, n) }
                first = false
                if case .boolean(true) = keep { out.append(element) }
            }
            return .list(out)
        }
    }

    /// Whether the entry `name` of `element` (null when it is not a context or has no such entry)
    /// stands in relation `op` to `constant`.
    static func entryMatches(_ element: FEELValue, _ name: String, _ op: ComparisonOperator, _ constant: FEELValue)
        -> Bool
    {
        guard case .context(let context) = element, let value = context[name] else {
            return compareTest(op, .null, constant) == true
        }
        if case .string(let x) = value, case .string(let y) = constant, op == .equal || op == .notEqual {
            // Strings of different lengths differ; only equal lengths need String's comparison.
            let same = x.utf8.count == y.utf8.count && x == y
            return same == (op == .equal)
        }
        return compareTest(op, value, constant) == true

    }

    mutating func compileFunction(_ parameters: [String], _ body: FEELNode) throws(FEELError) -> FEELCode {
        scopes.append([])
        defer { scopes.removeLast() }
        let slots = parameters.map { newSlot($0) }
        let savedFilters = filters
        filters = []
        hoisting.append(nil)
        let code = try compile(body)
        hoisting.removeLast()
        filters = savedFilters
        return { f in
            let capture = FEELCapture(f.slots)
            let function = FEELFunction(parameters: parameters, capture: capture) { arguments, environment in
                var frame = FEELFrame(slots: capture.slots, environment: environment)
                for (i, slot) in slots.enumerated() where slot < frame.slots.count {
                    frame.slots[slot] = i < arguments.count ? arguments[i] : .null
                }
                return code(&frame)
            }
            return .function(function)
        }
    }

    mutating func compileCall(_ callee: FEELNode, _ arguments: [FEELNode.Argument], _ node: FEELNode)
        throws(FEELError) -> FEELCode
    {
        var codes: [FEELCode] = []
        for argument in arguments { codes.append(try compile(argument.value)) }
        let names = arguments.map(\.name)
        let isNamed = names.contains { $0 != nil }
        if case .name(let name) = callee.kind, lookup(name) == nil {
            if externals.contains(name) {
                let all = codes
                return { f in
                    guard let function = f.environment.functions[name] else {
                        f.warn("no function '\(name)'")
                        return .null
                    }
                    return function(all.map { $0(&f) }, f.environment)
                }
            }
            if let overloads = FEELBuiltins.table[name] {
                return try compileBuiltin(name, overloads, names: names, codes, arguments, node)
            }
            if filters.isEmpty { throw error("unknown function '\(name)'", callee) }
        }
        let target = try compile(callee)
        let all = codes
        return { f in
            guard case .function(let function) = target(&f) else {
                f.warn("called a value that is not a function")
                return .null
            }
            var values = all.map { $0(&f) }
            if isNamed {
                guard let ordered = FEELOperators.order(names, values, function.parameters) else { return .null }
                values = ordered
            } else if values.count != function.parameters.count, function.capture != nil {
                return .null
            }
            return function.call(values, environment: f.environment)
        }
    }

    mutating func compileBuiltin(
        _ name: String, _ overloads: [FEELBuiltin], names: [String?], _ codes: [FEELCode],
        _ arguments: [FEELNode.Argument], _ node: FEELNode
    ) throws(FEELError) -> FEELCode {
        var chosen: FEELBuiltin?
        var order: [Int?] = []
        if names.contains(where: { $0 != nil }) {
            // Prefer a signature whose required parameters are all named; a parameter left out is null.
            let given = Set(names.compactMap { $0 })
            let complete = overloads.filter { Set($0.parameters.prefix($0.required)).isSubset(of: given) }
            let ranked = complete + overloads.filter { !Set($0.parameters.prefix($0.required)).isSubset(of: given) }
            for overload in ranked {
                var slots: [Int?] = Array(repeating: nil, count: overload.parameters.count)
                var ok = true
                for (i, n) in names.enumerated() {
                    guard let n, let p = overload.parameters.firstIndex(of: n), slots[p] == nil else {
                        ok = false
                        break
                    }
                    slots[p] = i
                }
                if ok {
                    chosen = overload
                    while slots.count > overload.required, let last = slots.last, last == nil { slots.removeLast() }
                    order = slots
                    break
                }
            }
        } else {
            chosen = overloads.first {
                codes.count >= $0.required && ($0.variadic || codes.count <= $0.parameters.count)
            }
            order = codes.indices.map { $0 }
        }
        guard let builtin = chosen else {
            let counts = overloads.map { $0.variadic ? "\($0.required) or more" : "\($0.parameters.count)" }
            throw error(
                "'\(name)' takes \(counts.joined(separator: " or ")) arguments (\(overloads[0].parameters.joined(separator: ", "))), not \(codes.count)",
                node)
        }
        let arranged = order.map { index in index.map { codes[$0] } }
        let body = builtin.body
        // A call of a pure built-in with constant arguments (`duration("P12M")`) is evaluated once, here.
        let constant = arguments.allSatisfy {
            if case .literal = $0.value.kind { return true }
            if case .temporal = $0.value.kind { return true }
            return false
        }
        if constant, !builtin.usesEnvironment {
            var frame = FEELFrame(slots: Array(repeating: .null, count: slotCount), environment: .empty)
            let values = arranged.map { $0?(&frame) ?? .null }
            let value = body(values, frame.environment)
            return { _ in value }
        }
        if arranged.count == 1, let only = arranged[0] {
            return { f in
                let argument = only(&f)
                let result = body([argument], f.environment)
                if case .null = result, f.environment.warnings != nil, !argument.isNull {
                    f.warn("\(name)(\(argument)) is null: the argument is not of a type it takes")
                }
                return result
            }
        }
        if arranged.count == 2, let first = arranged[0], let second = arranged[1], let binary = builtin.binary {
            return { f in
                let (x, y) = (first(&f), second(&f))
                let result = binary(x, y, f.environment)
                if case .null = result, f.environment.warnings != nil {
                    return Self.warnedIfNull(result, name, [x, y], f)
                }
                return result
            }
        }
        // Two arguments as an array literal: one allocation at its size, where reserving and
        // appending went through the array's general growth path.
        if arranged.count == 2, let first = arranged[0], let second = arranged[1] {
            return { f in
                let values = [first(&f), second(&f)]
                return Self.warnedIfNull(body(values, f.environment), name, values, f)
            }
        }
        return { f in
            var values: [FEELValue] = []
            values.reserveCapacity(arranged.count)
            for code in arranged { values.append(code?(&f) ?? .null) }
            return Self.warnedIfNull(body(values, f.environment), name, values, f)
        }
    }

    /// `result` of calling built-in `name` with `values`, warning (when warnings are asked for) that
    /// it is null though some argument is not.
    @inline(__always)
    static func warnedIfNull(_ result: FEELValue, _ name: String, _ values: [FEELValue], _ f: FEELFrame) -> FEELValue {
        if case .null = result, f.environment.warnings != nil, values.contains(where: { !$0.isNull }) {
            f.warn("\(name)(\(values.map(\.description).joined(separator: ", "))) is null")
        }
        return result
    }
}

/// `facts.school.attendance <= 0.9`: a caller's variable followed through context entries and
/// compared with a constant number, the commonest shape of a rule condition.
struct FEELPathComparison: Sendable {
    let slot: Int
    let keys: [FEELKey]
    let op: ComparisonOperator
    let constant: Decimal
    let scaled: FEELNumber.Scaled?

    /// The comparison over `slots`, which must hold the variable's slot.
    @inline(__always)
    func evaluate(_ slots: UnsafeBufferPointer<FEELValue>) -> FEELValue {
        guard case .number(let x) = FEELCompiler.follow(slots.baseAddress! + slot, keys) else { return .null }
        return .boolean(FEELCompiler.accepts(op, FEELCompiler.compare(x, constant, scaled)))
    }
}
