import Testing
import WaymarkFEEL

/// Nesting is bounded in every form the grammar allows, so that a deep text is an error with a
/// position and not a stack overflow: `> > > … 1` (2,000 unary comparisons) overflowed the stack of
/// `waymark check`, or of the daemon reloading its definitions (found by fuzzing, `Fuzz/`).
@Suite struct FEELNestingTests {
    /// Each form, as text nested `n` levels deep.
    static let forms: [(name: String, make: @Sendable (Int) -> String)] = [
        ("brackets", { String(repeating: "(", count: $0) + "1" + String(repeating: ")", count: $0) }),
        ("unary minus", { String(repeating: "- ", count: $0) + "1" }),
        ("unary comparisons", { String(repeating: "> ", count: $0) + "1" }),
        ("lists", { String(repeating: "[", count: $0) + "1" + String(repeating: "]", count: $0) }),
        ("contexts", { String(repeating: "{a: ", count: $0) + "1" + String(repeating: "}", count: $0) }),
        ("calls", { String(repeating: "abs(", count: $0) + "1" + String(repeating: ")", count: $0) }),
        (
            "conditionals",
            { String(repeating: "if true then ", count: $0) + "1" + String(repeating: " else 0", count: $0) }
        ),
        ("quantifiers", { String(repeating: "some x in [1] satisfies ", count: $0) + "true" }),
        ("loops", { String(repeating: "for x in [1] return ", count: $0) + "1" }),
        ("filters", { "[1]" + String(repeating: "[item > ", count: $0) + "0" + String(repeating: "]", count: $0) }),
    ]

    @Test(arguments: 0..<forms.count) func aDeepTextIsAnErrorWithAPosition(_ index: Int) throws {
        let (name, make) = Self.forms[index]
        let text = make(5_000)
        do {
            _ = try FEELExpression(text)
            Issue.record("\(name): 5,000 levels compiled")
        } catch {
            #expect(error.message.contains("nested too deeply"), "\(name): \(error.message)")
            #expect(error.offset > 0 && error.offset < text.utf8.count, "\(name)")
        }
    }

    @Test(arguments: 0..<forms.count) func aTextWithinTheLimitCompiles(_ index: Int) throws {
        let (name, make) = Self.forms[index]
        #expect(throws: Never.self, "\(name)") { _ = try FEELExpression(make(60)) }
    }
}
