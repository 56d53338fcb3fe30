import Foundation
import Testing
import WaymarkFEEL
import WaymarkTestSupport

/// A bounded property test: random texts built from FEEL's tokens must compile or fail with a
/// positioned error, and evaluate without crashing or hanging.
@Suite struct FEELFuzzTests {
    static let pieces = [
        "1", "0.5", "-", "+", "*", "/", "**", "(", ")", "[", "]", "{", "}", ",", ".", "..", ":", "=", "!=", "<", ">=",
        "\"s\"", "@\"2025-01-01\"", "@\"P1D\"", "x", "y z", "item", "?", "if", "then", "else", "for", "in", "return",
        "some", "every", "satisfies", "and", "or", "not(", "between", "instance of", "number", "function(a)", "a",
        "date(", "count(", "sum(", "substring(", "sort(", "null", "true", "\"", "/*", "//", "\\u12", "é", " ",
    ]

    @Test func randomTextsNeverCrash() {
        var rng = SplitMix(seed: 42)
        var compiled = 0
        for _ in 0..<5000 {
            let length = Int.random(in: 1...14, using: &rng)
            let text = (0..<length).map { _ in Self.pieces.randomElement(using: &rng)! }.joined(separator: " ")
            do {
                let e = try FEELExpression(text, names: ["x", "y z"])
                _ = e.evaluate([.number(3), .list([.number(1), .string("a")])])
                compiled += 1
            } catch {
                #expect(error.offset >= 0 && error.offset <= text.utf8.count)
                #expect(error.line >= 1 && error.column >= 1)
            }
        }
        #expect(compiled > 0)
    }
}
