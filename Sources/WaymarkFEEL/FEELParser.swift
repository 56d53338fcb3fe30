import Foundation

/// A recursive-descent parser for FEEL (DMN 1.5 §10.3.1), keeping the source range of every node.
///
/// Names may contain spaces and some symbols (`date and time`, `Monthly Salary`, `a-b`); the grammar
/// alone cannot tell where such a name ends, so the parser tries the names in scope (variables,
/// context entries read so far, iteration variables, parameters, built-in and external functions)
/// against the text and takes the longest that matches, as the DMN specification describes.
struct FEELParser {
    var lexer: FEELLexer
    var token: FEELToken
    /// The end of the last token consumed, for node ranges.
    var lastEnd = 0
    /// Names in scope, innermost scope last. Only names that are not a single plain word matter here.
    var scopes: [[[UInt8]]] = []
    /// Multi-word names of functions, recognised only when a `(` follows.
    let functionNames: [[UInt8]]
    var depth = 0
    /// Depths at which a range end is being read: there `[` closes the range instead of filtering.
    var rangeEndDepths: [Int] = []

    static let maximumDepth = 200

    static let keywords: Set<String> = [
        "true", "false", "null", "if", "then", "else", "for", "in", "return", "some", "every", "satisfies",
        "and", "or", "between", "instance", "of", "function",
    ]

    init(_ source: String, names: [String], functionNames: [String]) throws(FEELError) {
        lexer = FEELLexer(source)
        token = FEELToken(kind: .end, text: "", start: 0, end: 0)
        scopes = [names.filter(FEELParser.needsMatching).map { Array($0.utf8) }]
        let functions = (functionNames + FEELBuiltins.names).filter(FEELParser.needsMatching)
        self.functionNames = functions.map { Array($0.utf8) }.sorted { $0.count > $1.count }
        token = try lexer.token(at: 0)
    }

    /// Whether `name` is more than one plain word, so the lexer alone would not read it whole.
    static func needsMatching(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, FEELLexer.isNameStart(first) else { return !bytes.isEmpty }
        return !bytes.allSatisfy(FEELLexer.isNamePart)
    }

    // MARK: tokens

    mutating func advance() throws(FEELError) {
        lastEnd = token.end
        token = try lexer.token(at: token.end)
    }

    mutating func reset(to offset: Int) throws(FEELError) {
        lastEnd = offset
        token = try lexer.token(at: offset)
    }

    func isSymbol(_ s: String) -> Bool { token.kind == .symbol && token.text == s }
    func isKeyword(_ s: String) -> Bool { token.kind == .name && token.text == s }

    func fail(_ expected: String) -> FEELError {
        lexer.error("expected \(expected) but found \(token.describe)", at: token.start)
    }

    mutating func expectSymbol(_ s: String) throws(FEELError) {
        guard isSymbol(s) else { throw fail("'\(s)'") }
        try advance()
    }

    mutating func expectKeyword(_ s: String) throws(FEELError) {
        guard isKeyword(s) else { throw fail("'\(s)'") }
        try advance()
    }

    func node(_ kind: FEELNode.Kind, from start: Int) -> FEELNode {
        FEELNode(kind: kind, range: start..<Swift.max(start, lastEnd))
    }

    mutating func enter() throws(FEELError) {
        depth += 1
        if depth > FEELParser.maximumDepth {
            throw lexer.error(
                "expression nested too deeply (more than \(FEELParser.maximumDepth) levels)", at: token.start)
        }
    }

    // MARK: names

    /// The end offset of `name` written at `start`, where any run of spaces in `name` matches any run of
    /// white space in the text, or nil when the text does not spell it there.
    func match(_ name: [UInt8], at start: Int) -> Int? {
        let bytes = lexer.bytes
        var i = start
        var j = 0
        while j < name.count {
            if name[j] == 0x20 {
                guard i < bytes.count, FEELLexer.isSpace(bytes[i]) else { return nil }
                while i < bytes.count, FEELLexer.isSpace(bytes[i]) { i += 1 }
                while j < name.count, name[j] == 0x20 { j += 1 }
            } else {
                guard i < bytes.count, bytes[i] == name[j] else { return nil }
                i += 1
                j += 1
            }
        }
        if let last = name.last, FEELLexer.isNamePart(last), i < bytes.count, FEELLexer.isNamePart(bytes[i]) {
            return nil
        }
        return i
    }

    /// The longest name in scope, or function name followed by `(`, spelled at the current token.
    mutating func longestKnownName() throws(FEELError) -> String? {
        var best: (end: Int, name: [UInt8])?
        for scope in scopes {
            for name in scope {
                if let end = match(name, at: token.start), end > (best?.end ?? token.end) { best = (end, name) }
            }
        }
        for name in functionNames {
            if let end = match(name, at: token.start), end > (best?.end ?? token.end) {
                let next = try lexer.skipTrivia(end)
                if next < lexer.bytes.count, lexer.bytes[next] == 0x28 { best = (end, name) }
            }
        }
        guard let best else { return nil }
        try reset(to: best.end)
        return String(decoding: best.name, as: UTF8.self)
    }

    mutating func pushScope(_ names: [String] = []) {
        scopes.append(names.filter(FEELParser.needsMatching).map { Array($0.utf8) })
    }

    mutating func declare(_ name: String) {
        if FEELParser.needsMatching(name) { scopes[scopes.count - 1].append(Array(name.utf8)) }
    }

    mutating func popScope() { scopes.removeLast() }

    /// A name that is being declared (an iteration variable, a parameter): one or more words.
    mutating func declaredName() throws(FEELError) -> String {
        guard token.kind == .name, !FEELParser.keywords.contains(token.text) else { throw fail("a name") }
        var words = [token.text]
        try advance()
        while token.kind == .name, !FEELParser.keywords.contains(token.text) {
            words.append(token.text)
            try advance()
        }
        return words.joined(separator: " ")
    }

    // MARK: expressions

    mutating func parseAll() throws(FEELError) -> FEELNode {
        let result = try expression()
        guard token.kind == .end else { throw fail("end of expression") }
        return result
    }

    mutating func expression() throws(FEELError) -> FEELNode {
        try enter()
        defer { depth -= 1 }
        return try disjunction()
    }

    mutating func disjunction() throws(FEELError) -> FEELNode {
        let start = token.start
        var left = try conjunction()
        while isKeyword("or") {
            try advance()
            let right = try conjunction()
            left = node(.or(left, right), from: start)
        }
        return left
    }

    mutating func conjunction() throws(FEELError) -> FEELNode {
        let start = token.start
        var left = try comparison()
        while isKeyword("and") {
            try advance()
            let right = try comparison()
            left = node(.and(left, right), from: start)
        }
        return left
    }

    static let comparisonOperators: [String: ComparisonOperator] = [
        "=": .equal, "!=": .notEqual, "<": .less, "<=": .lessOrEqual, ">": .greater, ">=": .greaterOrEqual,
    ]

    mutating func comparison() throws(FEELError) -> FEELNode {
        let start = token.start
        var left = try additive()
        while true {
            if token.kind == .symbol, let op = FEELParser.comparisonOperators[token.text] {
                try advance()
                let right = try additive()
                left = node(.comparison(op, left, right), from: start)
            } else if isKeyword("between") {
                try advance()
                let low = try additive()
                try expectKeyword("and")
                let high = try additive()
                left = node(.between(left, low, high), from: start)
            } else if isKeyword("in") {
                try advance()
                let tests = try inTests()
                left = node(.inTests(left, tests), from: start)
            } else if isKeyword("instance") {
                try advance()
                try expectKeyword("of")
                let type = try typeName()
                left = node(.instanceOf(left, type), from: start)
            } else {
                return left
            }
        }
    }

    /// The right of `in`: one positive unary test, or several in parentheses.
    mutating func inTests() throws(FEELError) -> [FEELNode] {
        guard isSymbol("(") else { return [try positiveUnaryTest()] }
        let start = token.start
        try advance()
        let first = try positiveUnaryTest()
        if isSymbol("..") {
            // `(a..b)`: a range with an open start, not a list of tests.
            try advance()
            let end = try additive()
            let endIncluded = isSymbol("]")
            guard isSymbol("]") || isSymbol(")") else { throw fail("']' or ')'") }
            try advance()
            let range = node(
                .range(startIncluded: false, start: first, endIncluded: endIncluded, end: end), from: start)
            return [try postfix(range, from: start)]
        }
        var tests = [first]
        while isSymbol(",") {
            try advance()
            tests.append(try positiveUnaryTest())
        }
        try expectSymbol(")")
        return tests
    }

    /// `< e`, `<= e`, `> e`, `>= e`, `= e`, `!= e`, or an expression.
    mutating func positiveUnaryTest() throws(FEELError) -> FEELNode {
        let start = token.start
        if token.kind == .symbol, let op = FEELParser.comparisonOperators[token.text] {
            // Counted as a level: `> > > … 1` nests without brackets, and 2,000 of them overflowed
            // the stack (found by fuzzing, `Fuzz/`).
            try enter()
            defer { depth -= 1 }
            try advance()
            let operand = try additive()
            return node(.unaryComparison(op, operand), from: start)
        }
        return try expression()
    }

    /// Unary tests as in a decision table cell: `-`, `not(tests)`, or positive unary tests.
    mutating func unaryTests() throws(FEELError) -> FEELNode {
        let start = token.start
        if isSymbol("-") {
            let after = try lexer.token(at: token.end)
            if after.kind == .end {
                try advance()
                return node(.anything, from: start)
            }
        }
        if isKeyword("not") {
            let after = try lexer.token(at: token.end)
            if after.kind == .symbol && after.text == "(" {
                try advance()
                try advance()
                var tests = [try positiveUnaryTest()]
                while isSymbol(",") {
                    try advance()
                    tests.append(try positiveUnaryTest())
                }
                try expectSymbol(")")
                guard token.kind == .end else { throw fail("end of unary tests") }
                return node(.notTests(tests), from: start)
            }
        }
        var tests = [try positiveUnaryTest()]
        while isSymbol(",") {
            try advance()
            tests.append(try positiveUnaryTest())
        }
        guard token.kind == .end else { throw fail("',' or end of unary tests") }
        return node(.inTests(FEELNode(kind: .name("?"), range: start..<start), tests), from: start)
    }

    mutating func additive() throws(FEELError) -> FEELNode {
        let start = token.start
        var left = try multiplicative()
        while isSymbol("+") || isSymbol("-") {
            let op: ArithmeticOperator = token.text == "+" ? .add : .subtract
            try advance()
            let right = try multiplicative()
            left = node(.arithmetic(op, left, right), from: start)
        }
        return left
    }

    mutating func multiplicative() throws(FEELError) -> FEELNode {
        let start = token.start
        var left = try power()
        while isSymbol("*") || isSymbol("/") {
            let op: ArithmeticOperator = token.text == "*" ? .multiply : .divide
            try advance()
            let right = try power()
            left = node(.arithmetic(op, left, right), from: start)
        }
        return left
    }

    mutating func power() throws(FEELError) -> FEELNode {
        let start = token.start
        var left = try unary()
        while isSymbol("**") {
            try advance()
            let right = try unary()
            left = node(.arithmetic(.power, left, right), from: start)
        }
        return left
    }

    mutating func unary() throws(FEELError) -> FEELNode {
        let start = token.start
        if isSymbol("-") {
            try enter()
            defer { depth -= 1 }
            try advance()
            let operand = try unary()
            if case .literal(.number(let n)) = operand.kind { return node(.literal(.number(-n)), from: start) }
            return node(.negate(operand), from: start)
        }
        if isSymbol("+") {
            try advance()
            return try unary()
        }
        let base = try primary()
        return try postfix(base, from: start)
    }

    mutating func postfix(_ base: FEELNode, from start: Int) throws(FEELError) -> FEELNode {
        var result = base
        while true {
            if isSymbol(".") {
                try advance()
                guard token.kind == .name else { throw fail("a name after '.'") }
                var words = [token.text]
                try advance()
                while token.kind == .name, !FEELParser.keywords.contains(token.text) {
                    words.append(token.text)
                    try advance()
                }
                result = node(.path(result, words.joined(separator: " ")), from: start)
            } else if isSymbol("["), rangeEndDepths.last != depth {
                try advance()
                pushScope(["item"])
                let condition = try expression()
                popScope()
                try expectSymbol("]")
                result = node(.filter(result, condition), from: start)
            } else if isSymbol("(") {
                try advance()
                let arguments = try callArguments()
                result = node(.call(result, arguments), from: start)
            } else {
                return result
            }
        }
    }

    /// The name of a named argument (`start position:`), when the text at the current token is one.
    mutating func argumentName() throws(FEELError) -> String? {
        guard token.kind == .name else { return nil }
        let bytes = lexer.bytes
        var i = token.start
        while i < bytes.count, FEELLexer.isNamePart(bytes[i]) || FEELLexer.isSpace(bytes[i]) || bytes[i] == 0x27 {
            i += 1
        }
        guard i < bytes.count, bytes[i] == 0x3A else { return nil }
        let name = lexer.text(token.start, i).split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
            .joined(separator: " ")
        try reset(to: i + 1)
        return name
    }

    mutating func callArguments() throws(FEELError) -> [FEELNode.Argument] {
        var arguments: [FEELNode.Argument] = []
        if isSymbol(")") {
            try advance()
            return arguments
        }
        while true {
            let name = try argumentName()
            if name == nil, arguments.contains(where: { $0.name != nil }) {
                throw fail("a named argument (positional arguments cannot follow named ones)")
            }
            if name != nil, arguments.contains(where: { $0.name == nil }) {
                throw lexer.error("named and positional arguments cannot be mixed", at: lastEnd)
            }
            arguments.append(FEELNode.Argument(name: name, value: try expression()))
            if isSymbol(",") {
                try advance()
                continue
            }
            try expectSymbol(")")
            return arguments
        }
    }

    mutating func primary() throws(FEELError) -> FEELNode {
        let start = token.start
        switch token.kind {
        case .end:
            throw fail("an expression")
        case .number:
            guard let value = Decimal(string: token.text, locale: Locale(identifier: "en_US_POSIX")) else {
                throw fail("a number")
            }
            try advance()
            return node(.literal(.number(value)), from: start)
        case .string:
            let text = token.text
            try advance()
            return node(.literal(.string(text)), from: start)
        case .symbol:
            return try symbolPrimary()
        case .name:
            break
        }
        switch token.text {
        case "true", "false":
            let value = token.text == "true"
            try advance()
            return node(.literal(.boolean(value)), from: start)
        case "null":
            try advance()
            return node(.literal(.null), from: start)
        case "if":
            try enter()
            defer { depth -= 1 }
            try advance()
            let condition = try expression()
            try expectKeyword("then")
            let then = try expression()
            try expectKeyword("else")
            let otherwise = try expression()
            return node(.ifThenElse(condition, then, otherwise), from: start)
        case "for", "some", "every":
            return try iteration()
        case "function":
            let after = try lexer.token(at: token.end)
            if after.kind == .symbol && after.text == "(" { return try functionDefinition() }
        default:
            break
        }
        if let name = try longestKnownName() { return node(.name(name), from: start) }
        if FEELParser.keywords.contains(token.text) { throw fail("an expression") }
        let name = token.text
        try advance()
        return node(.name(name), from: start)
    }

    mutating func symbolPrimary() throws(FEELError) -> FEELNode {
        let start = token.start
        switch token.text {
        case "@":
            try advance()
            guard token.kind == .string else { throw fail("a string after '@'") }
            let text = token.text
            try advance()
            return node(.temporal(text), from: start)
        case "(":
            try enter()
            defer { depth -= 1 }
            try advance()
            let inner = try expression()
            if isSymbol("..") { return try rangeRest(startIncluded: false, first: inner, from: start) }
            try expectSymbol(")")
            return FEELNode(kind: inner.kind, range: start..<lastEnd)
        case "]":
            try enter()
            defer { depth -= 1 }
            try advance()
            let first = try expression()
            guard isSymbol("..") else { throw fail("'..'") }
            return try rangeRest(startIncluded: false, first: first, from: start)
        case "[":
            try enter()
            defer { depth -= 1 }
            try advance()
            if isSymbol("]") {
                try advance()
                return node(.list([]), from: start)
            }
            let first = try expression()
            if isSymbol("..") { return try rangeRest(startIncluded: true, first: first, from: start) }
            var items = [first]
            while isSymbol(",") {
                try advance()
                items.append(try expression())
            }
            try expectSymbol("]")
            return node(.list(items), from: start)
        case "{":
            return try contextLiteral()
        case "<", "<=", ">", ">=", "=", "!=":
            // A unary comparison used as a value is a range (DMN 1.5: `< 10`).
            return try positiveUnaryTest()
        default:
            throw fail("an expression")
        }
    }

    mutating func rangeRest(startIncluded: Bool, first: FEELNode, from start: Int) throws(FEELError) -> FEELNode {
        try advance()
        rangeEndDepths.append(depth + 1)
        let end = try expression()
        rangeEndDepths.removeLast()
        let endIncluded: Bool
        if isSymbol("]") {
            endIncluded = true
        } else if isSymbol(")") || isSymbol("[") {
            endIncluded = false
        } else {
            throw fail("']', ')' or '['")
        }
        try advance()
        return node(.range(startIncluded: startIncluded, start: first, endIncluded: endIncluded, end: end), from: start)
    }

    mutating func contextLiteral() throws(FEELError) -> FEELNode {
        let start = token.start
        try enter()
        defer { depth -= 1 }
        try advance()
        pushScope()
        defer { popScope() }
        var entries: [(key: String, value: FEELNode)] = []
        if isSymbol("}") {
            try advance()
            return node(.context(entries), from: start)
        }
        while true {
            let key: String
            if token.kind == .string {
                key = token.text
                try advance()
            } else if token.kind == .name {
                key = try declaredKey()
            } else {
                throw fail("a context key")
            }
            try expectSymbol(":")
            let value = try expression()
            if entries.contains(where: { $0.key == key }) {
                throw lexer.error("duplicate context key '\(key)'", at: value.range.lowerBound)
            }
            entries.append((key, value))
            declare(key)
            if isSymbol(",") {
                try advance()
                continue
            }
            try expectSymbol("}")
            return node(.context(entries), from: start)
        }
    }

    /// A context key written as a name: everything up to the ':' with white space collapsed.
    mutating func declaredKey() throws(FEELError) -> String {
        let bytes = lexer.bytes
        var i = token.start
        while i < bytes.count, bytes[i] != 0x3A, bytes[i] != 0x2C, bytes[i] != 0x7D, bytes[i] != 0x22 { i += 1 }
        guard i < bytes.count, bytes[i] == 0x3A else {
            try reset(to: i)
            throw fail("':'")
        }
        let key = lexer.text(token.start, i).split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
            .joined(separator: " ")
        try reset(to: i)
        return key
    }

    mutating func iteration() throws(FEELError) -> FEELNode {
        let start = token.start
        let keyword = token.text
        try enter()
        defer { depth -= 1 }
        try advance()
        pushScope(keyword == "for" ? ["partial"] : [])
        defer { popScope() }
        var iterations: [FEELNode.Iteration] = []
        repeat {
            if !iterations.isEmpty { try advance() }
            let name = try declaredNameBeforeIn()
            try expectKeyword("in")
            let domain = try disjunction()
            var upTo: FEELNode?
            if isSymbol("..") {
                try advance()
                upTo = try disjunction()
            }
            iterations.append(FEELNode.Iteration(name: name, domain: domain, upTo: upTo))
            declare(name)
        } while isSymbol(",")
        if keyword == "for" {
            try expectKeyword("return")
            let body = try expression()
            return node(.forLoop(iterations, body), from: start)
        }
        try expectKeyword("satisfies")
        let body = try expression()
        return node(.quantified(every: keyword == "every", iterations, body), from: start)
    }

    /// An iteration variable: the words up to the keyword `in`.
    mutating func declaredNameBeforeIn() throws(FEELError) -> String {
        guard token.kind == .name, !FEELParser.keywords.contains(token.text) else { throw fail("a name") }
        var words = [token.text]
        try advance()
        while token.kind == .name, token.text != "in" {
            words.append(token.text)
            try advance()
        }
        return words.joined(separator: " ")
    }

    mutating func functionDefinition() throws(FEELError) -> FEELNode {
        let start = token.start
        try enter()
        defer { depth -= 1 }
        try advance()
        try expectSymbol("(")
        var parameters: [String] = []
        if !isSymbol(")") {
            while true {
                let name = try declaredName()
                if isSymbol(":") {
                    try advance()
                    _ = try typeName()
                }
                parameters.append(name)
                if isSymbol(",") {
                    try advance()
                    continue
                }
                break
            }
        }
        try expectSymbol(")")
        if isKeyword("external") { throw lexer.error("external functions are not supported", at: token.start) }
        pushScope(parameters)
        defer { popScope() }
        let body = try expression()
        return node(.function(parameters: parameters, body: body), from: start)
    }

    // MARK: types

    static let typeNames: [(String, FEELTypeName)] = [
        ("days and time duration", .dayTimeDuration), ("years and months duration", .yearMonthDuration),
        ("date and time", .dateTime), ("dateTime", .dateTime), ("dayTimeDuration", .dayTimeDuration),
        ("yearMonthDuration", .yearMonthDuration), ("number", .number), ("string", .string), ("boolean", .boolean),
        ("date", .date), ("time", .time), ("Any", .any), ("Null", .null),
    ]

    mutating func typeName() throws(FEELError) -> FEELTypeName {
        try enter()
        defer { depth -= 1 }
        guard token.kind == .name else { throw fail("a type") }
        for (name, type) in FEELParser.typeNames {
            if let end = match(Array(name.utf8), at: token.start) {
                try reset(to: end)
                return type
            }
        }
        let word = token.text
        switch word {
        case "list", "range":
            try advance()
            try expectSymbol("<")
            let element = try typeName()
            try expectSymbol(">")
            return word == "list" ? .list(element) : .range(element)
        case "context":
            try advance()
            try expectSymbol("<")
            var entries: [(String, FEELTypeName)] = []
            if !isSymbol(">") {
                repeat {
                    if !entries.isEmpty { try advance() }
                    let key = try declaredName()
                    try expectSymbol(":")
                    entries.append((key, try typeName()))
                } while isSymbol(",")
            }
            try expectSymbol(">")
            return .context(entries)
        case "function":
            try advance()
            try expectSymbol("<")
            var parameters: [FEELTypeName] = []
            if !isSymbol(">") {
                repeat {
                    if !parameters.isEmpty { try advance() }
                    parameters.append(try typeName())
                } while isSymbol(",")
            }
            try expectSymbol(">")
            try expectSymbol("->")
            return .function(parameters, try typeName())
        default:
            try advance()
            return .unknown(word)
        }
    }
}
