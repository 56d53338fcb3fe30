/// Unary tests, the text of a decision table input cell (DMN 1.5 §10.3.1.1): `> 5`, `[1..10]`,
/// `"a", "b"`, `not("x")`, `- ` (anything), or any expression using `?` for the tested value.
public struct FEELUnaryTests: Sendable {
    public let source: String
    /// The names of the variables the tests may use, in the order `matches` takes their values.
    public let names: [String]
    let code: FEELCode
    /// The slot that holds the tested value (`?`).
    let inputSlot: Int
    let slotCount: Int
    /// `-`: matches everything, so a decision table can skip it.
    let matchesAnything: Bool
    /// The tests as a plain function of the tested value, when none of them reads a variable
    /// (`< 0.5`, `[0.5..0.7)`, `"a", "b"`): a decision table then needs no frame to run them.
    let direct: FEELDirectTest?

    public init(_ source: String, names: [String] = [], functionNames: [String] = []) throws(FEELError) {
        self.source = source
        self.names = names
        let scope = names + ["?"]
        var parser = try FEELParser(source, names: scope, functionNames: functionNames)
        let tree = try parser.unaryTests()
        if case .anything = tree.kind { matchesAnything = true } else { matchesAnything = false }
        var compiler = FEELCompiler(bytes: parser.lexer.bytes, names: scope, functionNames: functionNames)
        code = try compiler.compile(tree)
        direct = try FEELUnaryTests.directTests(tree, &compiler)
        inputSlot = names.count
        slotCount = compiler.slotCount
    }

    /// Whether `input` passes the tests: true, false, or nil when it cannot be compared with them.
    public func matches(_ input: FEELValue, values: [FEELValue] = [], environment: FEELEnvironment = .empty)
        -> Bool?
    {
        var slots = values
        if slots.count > inputSlot { slots.removeLast(slots.count - inputSlot) }
        while slots.count < inputSlot { slots.append(.null) }
        slots.append(input)
        while slots.count < slotCount { slots.append(.null) }
        var frame = FEELFrame(slots: slots, environment: environment)
        return test(&frame)
    }

    private static func directTests(_ tree: FEELNode, _ compiler: inout FEELCompiler) throws(FEELError)
        -> FEELDirectTest?
    {
        let negated: Bool
        let tests: [FEELNode]
        switch tree.kind {
        case .inTests(_, let list):
            negated = false
            tests = list
        case .notTests(let list):
            negated = true
            tests = list
        default: return nil
        }
        var matchers: [FEELDirectTest] = []
        for test in tests {
            guard let matcher = try compiler.constantTest(test) else { return nil }
            matchers.append(matcher)
        }
        if matchers.count == 1, !negated { return matchers[0] }
        let all = matchers
        return FEELDirectTest { x in
            var sawNull = false
            for matcher in all {
                switch matcher(x) {
                case true?: return !negated
                case nil: sawNull = true
                default: break
                }
            }
            return sawNull ? nil : negated
        }
    }

    /// Runs the tests in a frame whose `inputSlot` already holds the tested value.
    @inline(__always)
    func test(_ frame: inout FEELFrame) -> Bool? {
        if case .boolean(let b) = code(&frame) { return b }
        return nil
    }
}
