import Foundation
import Testing

@testable import WaymarkFEEL

/// `matches`, `replace` and `split` compile each pattern once: Foundation on Linux leaks about 550
/// bytes whenever it refuses a pattern (found by fuzzing, `Fuzz/`), and compiling at every call was
/// slow besides.
@Suite(.serialized) struct FEELRegexCacheTests {
    @Test func aPatternIsCompiledOnceAndARefusalRemembered() throws {
        let accepted = try #require(FEELBuiltins.regex("^C-[0-9]+$", .null))
        #expect(FEELBuiltins.regex("^C-[0-9]+$", .null) === accepted)
        // Another flag is another expression.
        let insensitive = try #require(FEELBuiltins.regex("^C-[0-9]+$", .string("i")))
        #expect(insensitive !== accepted)
        // A pattern Foundation refuses: nil, and kept as nil rather than offered again.
        #expect(FEELBuiltins.regex("a(b", .null) == nil)
        let key = FEELBuiltins.RegexKey(pattern: "a(b", options: 0)
        #expect(FEELBuiltins.compiledPatterns.withLock { $0[key] } != nil)
        #expect(FEELBuiltins.regex("a(b", .null) == nil)
    }

    @Test func theCacheStaysWithinItsLimit() throws {
        for n in 0..<(FEELBuiltins.compiledPatternLimit * 2 + 3) {
            _ = FEELBuiltins.regex("x\(n)", .null)
        }
        #expect(FEELBuiltins.compiledPatterns.withLock { $0.count } <= FEELBuiltins.compiledPatternLimit)
    }

    @Test func matchesAndReplaceGiveWhatTheyGaveBefore() throws {
        func eval(_ text: String) throws -> String { try FEELExpression(text).evaluate([]).description }
        for _ in 0..<2 {
            #expect(try eval(#"matches("C-1042", "^C-[0-9]+$")"#) == "true")
            #expect(try eval(#"matches("c-1042", "^C-[0-9]+$", "i")"#) == "true")
            #expect(try eval(#"replace("abcd", "(ab)|(a)", "[1=$1][2=$2]")"#) == #""[1=ab][2=]cd""#)
            #expect(try eval(#"matches("a", "a(b")"#) == "null")
        }
    }
}
