import Foundation
import Testing

@testable import WaymarkFEEL

@Suite struct FEELContextMergeTests {
    func context(_ entries: [(String, FEELValue)]) -> FEELContext {
        FEELContext(entries.map { (key: $0.0, value: $0.1) })
    }

    /// Contexts merge key by key at every depth, anything else replaces, new names go at the end, and
    /// a copy taken before the merge keeps what it had (long names, kept on the heap, included).
    @Test func mergesDeeplyInPlaceWithoutTouchingCopies() {
        let long = "a name longer than fifteen bytes"
        var facts = context([
            ("child", .context(context([("birth_date", .string("2010-01-01")), (long, .number(1))]))),
            ("school", .context(context([("attendance", .number(Decimal(string: "0.9")!))]))),
            ("flag", .boolean(true)),
        ])
        let before = facts
        facts.merge(
            context([
                (
                    "school",
                    .context(context([("attendance", .number(Decimal(string: "0.4")!)), ("name", .string("X"))]))
                ),
                ("child", .context(context([(long, .number(2))]))),
                ("flag", .context(context([("now", .string("a context"))]))),
                ("new", .null),
            ]))
        #expect(facts.entries.map(\.key) == ["child", "school", "flag", "new"])
        guard case .context(let child)? = facts["child"], case .context(let school)? = facts["school"],
            case .context(let flag)? = facts["flag"]
        else {
            Issue.record("a context was lost")
            return
        }
        #expect(child.entries.map(\.key) == ["birth_date", long])
        #expect(FEELCompare.equal(child[long] ?? .null, .number(2)) == true)
        #expect(school.entries.map(\.key) == ["attendance", "name"])
        #expect(FEELCompare.equal(school["attendance"] ?? .null, .number(Decimal(string: "0.4")!)) == true)
        #expect(flag.entries.map(\.key) == ["now"])
        guard case .context(let oldChild)? = before["child"], case .context(let oldSchool)? = before["school"] else {
            Issue.record("the copy lost a context")
            return
        }
        #expect(FEELCompare.equal(oldChild[long] ?? .null, .number(1)) == true)
        #expect(oldSchool.entries.count == 1)
        #expect(FEELCompare.equal(oldSchool["attendance"] ?? .null, .number(Decimal(string: "0.9")!)) == true)
        guard case .boolean(true)? = before["flag"] else {
            Issue.record("the copy's flag changed")
            return
        }
    }

    /// A name spelt with a precomposed "é" and one with a decomposed "é" are the same name, as they
    /// are for `String` (and so are the Kelvin sign and "K"): merging one into a context that has the
    /// other replaces its value.
    @Test func canonicallyEquivalentNamesAreOneName() {
        var facts = context([("caf\u{E9}", .number(1))])
        facts.merge(context([("cafe\u{301}", .number(2))]))
        #expect(facts.entries.count == 1)
        #expect(FEELCompare.equal(facts.entries[0].value, .number(2)) == true)
        var units = context([("\u{212A}", .number(1))])  // the Kelvin sign, equivalent to "K"
        units.merge(context([("K", .number(2))]))
        #expect(units.entries.count == 1)
    }

    /// `set` replaces the value at a path, keeps the other names and their order, makes the contexts
    /// a path needs (replacing a value on the way that is not one), and leaves a copy taken before as
    /// it was.
    @Test func setsAtAPathInPlaceWithoutTouchingCopies() {
        var facts = context([
            ("school", .context(context([("attendance", .number(1)), ("name", .string("X"))]))),
            ("flag", .boolean(true)),
        ])
        let before = facts
        facts.set(.number(2), at: ["school", "attendance"])
        facts.set(.string("deep"), at: ["plan", "review", "status"])
        facts.set(.string("now a context"), at: ["flag", "why"])
        facts.set(.null, at: [])
        #expect(facts.entries.map(\.key) == ["school", "flag", "plan"])
        guard case .context(let school)? = facts["school"], case .context(let plan)? = facts["plan"],
            case .context(let review)? = plan["review"], case .context(let flag)? = facts["flag"]
        else {
            Issue.record("a context was not made or was lost")
            return
        }
        #expect(school.entries.map(\.key) == ["attendance", "name"])
        #expect(FEELCompare.equal(school["attendance"] ?? .null, .number(2)) == true)
        #expect(FEELCompare.equal(review["status"] ?? .null, .string("deep")) == true)
        #expect(flag.entries.map(\.key) == ["why"])
        guard case .context(let oldSchool)? = before["school"], case .boolean(true)? = before["flag"] else {
            Issue.record("the copy changed")
            return
        }
        #expect(FEELCompare.equal(oldSchool["attendance"] ?? .null, .number(1)) == true)
        #expect(before.entries.count == 2)
    }
}
