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

    public init(_ source: String, names: [String] = [], functionNames: [String] = []) throws(FEELError) {
        self.source = source
        self.names = names
        let scope = names + ["?"]
        var parser = try FEELParser(source, names: scope, functionNames: functionNames)
        let tree = try parser.unaryTests()
        if case .anything = tree.kind { matchesAnything = true } else { matchesAnything = false }
        var compiler = FEELCompiler(bytes: parser.lexer.bytes, names: scope, functionNames: functionNames)
        code = try compiler.compile(tree)
        inputSlot = names.count
        slotCount = compiler.slotCount
    }

    /// Whether `input` passes the tests: true, false, or nil when it cannot be compared with them.
    public func matches(_ input: FEELValue, values: [FEELValue] = [], environment: FEELEnvironment = FEELEnvironment())
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

    /// Runs the tests in a frame whose `inputSlot` already holds the tested value.
    @inline(__always)
    func test(_ frame: inout FEELFrame) -> Bool? {
        if case .boolean(let b) = code(&frame) { return b }
        return nil
    }
}
