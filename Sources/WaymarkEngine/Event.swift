public import WaymarkFEEL

/// One input event (spec section 6): something that happened to a child's case.
///
/// `facts` and `data` are FEEL contexts converted from JSON (numbers become `.number`, objects
/// `.context`, arrays `.list`, null `.null`; strings stay strings, even when they look like dates).
public struct Event: Sendable {
    public var id: String
    public var caseID: String
    public var type: String
    public var at: Moment
    public var facts: FEELContext?
    public var data: FEELContext?

    public init(id: String, caseID: String, type: String, at: Moment, facts: FEELContext?, data: FEELContext?) {
        self.id = id
        self.caseID = caseID
        self.type = type
        self.at = at
        self.facts = facts
        self.data = data
    }

    /// An event of empty strings and no contents, which holds nothing to release: what an event moved
    /// out of a batch leaves behind (see ``Engine/ingest(_:)``).
    static let placeholder = Event(id: "", caseID: "", type: "", at: .distantPast, facts: nil, data: nil)
}

/// Every problem found in a batch of events; the batch is applied only when there are none.
public struct EventBatchError: Error, Sendable, CustomStringConvertible {
    /// One problem: where (1-based line, or array index), which field, and what is wrong.
    public struct Problem: Sendable, Hashable {
        public var line: Int
        public var field: String?
        public var message: String

        public init(line: Int, field: String?, message: String) {
            self.line = line
            self.field = field
            self.message = message
        }
    }

    public var problems: [Problem]

    public init(problems: [Problem]) { self.problems = problems }

    /// One line per problem, `LINE: FIELD: message` (the CLI prefixes the file name).
    public var description: String {
        problems.map { p in "\(p.line): " + (p.field.map { "\($0): " } ?? "") + p.message }
            .joined(separator: "\n")
    }
}
