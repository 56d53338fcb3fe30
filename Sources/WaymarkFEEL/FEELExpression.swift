/// A syntax or static error in a FEEL text, positioned inside that text.
///
/// `line` and `column` are 1-based and count inside the expression text itself; the definitions
/// loader maps them back through the YAML scalar to the file.
public struct FEELError: Error, Sendable, Equatable {
    public var message: String
    /// UTF-8 offset of the offending token inside the expression text.
    public var offset: Int
    public var line: Int
    public var column: Int

    public init(message: String, offset: Int, line: Int, column: Int) {
        self.message = message
        self.offset = offset
        self.line = line
        self.column = column
    }
}

/// Working-day arithmetic supplied by the caller, so that FEEL stays free of calendar files.
public protocol FEELWorkingDays: Sendable {
    /// The `n`th working day strictly after `date`.
    func addWorkingDays(_ date: FEELDate, _ n: Int) -> FEELDate
    /// The number of working days `d` with `from < d <= to` (negative when `to < from`).
    func workingDaysBetween(_ from: FEELDate, _ to: FEELDate) -> Int
}

/// What an evaluation may see beyond its variables: the engine clock and the working-day calendar.
public struct FEELEnvironment: Sendable {
    /// The value of `now()`; `today()` is its date. Never the wall clock inside the engine.
    public var now: FEELDateTime?
    public var workingDays: (any FEELWorkingDays)?

    public init(now: FEELDateTime? = nil, workingDays: (any FEELWorkingDays)? = nil) {
        self.now = now
        self.workingDays = workingDays
    }
}

/// A FEEL expression parsed and checked once, evaluated many times.
public struct FEELExpression: Sendable {
    /// The source text, as written.
    public let source: String
    /// The names of the variables, in the order `evaluate(_:environment:)` takes their values.
    public let names: [String]

    /// Parses and compiles `source`, resolving `names` (which may contain spaces) ahead of time.
    public init(_ source: String, names: [String] = []) throws(FEELError) {
        self.source = source
        self.names = names
        throw FEELError(message: "FEEL is not implemented yet", offset: 0, line: 1, column: 1)
    }

    /// Evaluates with one value per name in `names`, in the same order.
    public func evaluate(_ values: [FEELValue], environment: FEELEnvironment = FEELEnvironment()) -> FEELValue {
        .null
    }
}
