/// A FEEL function value: a `function(a, b) body` definition evaluated in its scope, or a built-in.
///
/// The parameter names let callers pass named arguments; the body receives the arguments in
/// parameter order. A function value is immutable and may be called from any thread.
public struct FEELFunction: Sendable {
    public let parameters: [String]
    let body: @Sendable ([FEELValue], FEELEnvironment) -> FEELValue
    /// The scope a FEEL-defined function closed over; nil for built-ins and functions made in Swift.
    let capture: FEELCapture?

    public init(parameters: [String], body: @escaping @Sendable ([FEELValue], FEELEnvironment) -> FEELValue) {
        self.parameters = parameters
        self.body = body
        self.capture = nil
    }

    init(
        parameters: [String], capture: FEELCapture?,
        body: @escaping @Sendable ([FEELValue], FEELEnvironment) -> FEELValue
    ) {
        self.parameters = parameters
        self.body = body
        self.capture = capture
    }

    /// Calls the function with positional arguments; missing trailing arguments are null.
    public func call(_ arguments: [FEELValue], environment: FEELEnvironment) -> FEELValue {
        body(arguments, environment)
    }
}

/// A function supplied by the caller (a decision table, for example), called by name from FEEL with
/// its arguments and the calling evaluation's environment (its clock, and the functions a decision
/// table may call in turn).
public typealias FEELExternalFunction = @Sendable ([FEELValue], FEELEnvironment) -> FEELValue
