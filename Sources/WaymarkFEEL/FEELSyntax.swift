import Foundation

/// One node of a parsed FEEL text, with the UTF-8 range it was read from.
///
/// The parser keeps every node's range so that the compiler can report a static problem (an
/// unknown function, a wrong number of arguments) at the token that caused it.
struct FEELNode: Sendable {
    var kind: Kind
    var range: Range<Int>

    indirect enum Kind: Sendable {
        case literal(FEELValue)
        /// `@"..."`: a date, time, date-time or duration written as a string.
        case temporal(String)
        case name(String)
        case list([FEELNode])
        case context([(key: String, value: FEELNode)])
        case range(startIncluded: Bool, start: FEELNode?, endIncluded: Bool, end: FEELNode?)
        case negate(FEELNode)
        case arithmetic(ArithmeticOperator, FEELNode, FEELNode)
        case comparison(ComparisonOperator, FEELNode, FEELNode)
        case and(FEELNode, FEELNode)
        case or(FEELNode, FEELNode)
        case between(FEELNode, FEELNode, FEELNode)
        /// `e in tests`: true when any positive unary test matches.
        case inTests(FEELNode, [FEELNode])
        /// A unary comparison inside `in (...)` or a unary test, such as `< 5`: a range value.
        case unaryComparison(ComparisonOperator, FEELNode)
        /// `not(tests)` in unary tests.
        case notTests([FEELNode])
        /// The `-` unary test that matches anything.
        case anything
        case instanceOf(FEELNode, FEELTypeName)
        case ifThenElse(FEELNode, FEELNode, FEELNode)
        case forLoop([Iteration], FEELNode)
        case quantified(every: Bool, [Iteration], FEELNode)
        case path(FEELNode, String)
        case filter(FEELNode, FEELNode)
        case call(FEELNode, [Argument])
        case function(parameters: [String], body: FEELNode)
    }

    struct Iteration: Sendable {
        var name: String
        var domain: FEELNode
        /// `for i in 1..10`: the upper end when the domain is written as `a..b`.
        var upTo: FEELNode?
    }

    struct Argument: Sendable {
        var name: String?
        var value: FEELNode
    }
}

enum ArithmeticOperator: Sendable {
    case add, subtract, multiply, divide, power
}

enum ComparisonOperator: Sendable {
    case equal, notEqual, less, lessOrEqual, greater, greaterOrEqual
}

/// A FEEL type as written after `instance of` or in a declared result type.
indirect enum FEELTypeName: Sendable, Equatable {
    case any
    case null
    case number, string, boolean, date, time, dateTime, dayTimeDuration, yearMonthDuration
    case list(FEELTypeName)
    case context([(String, FEELTypeName)])
    case range(FEELTypeName)
    case function([FEELTypeName], FEELTypeName)
    /// A name the expression language does not define (an item definition of a model we do not have).
    case unknown(String)

    static func == (lhs: FEELTypeName, rhs: FEELTypeName) -> Bool {
        switch (lhs, rhs) {
        case (.any, .any), (.null, .null), (.number, .number), (.string, .string), (.boolean, .boolean),
            (.date, .date), (.time, .time), (.dateTime, .dateTime), (.dayTimeDuration, .dayTimeDuration),
            (.yearMonthDuration, .yearMonthDuration):
            return true
        case (.list(let a), .list(let b)), (.range(let a), .range(let b)): return a == b
        case (.context(let a), .context(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case (.function(let a, let r), .function(let b, let s)): return a == b && r == s
        case (.unknown(let a), .unknown(let b)): return a == b
        default: return false
        }
    }
}
