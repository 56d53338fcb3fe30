/// One signature of a built-in FEEL function.
///
/// Built-ins are Swift closures over argument arrays. A call is bound to its signature when the
/// expression compiles (named arguments are put in order then), so evaluation only evaluates the
/// arguments and calls the closure.
struct FEELBuiltin: Sendable {
    let parameters: [String]
    let required: Int
    /// Accepts any number of arguments from `required` on (`min(1, 2, 3)`, `concatenate(...)`).
    let variadic: Bool
    /// Reads the environment (the clock, the calendar), so it cannot be evaluated ahead of time.
    let usesEnvironment: Bool
    let body: @Sendable ([FEELValue], FEELEnvironment) -> FEELValue

    init(
        _ parameters: [String], required: Int? = nil, variadic: Bool = false, usesEnvironment: Bool = false,
        _ body: @escaping @Sendable ([FEELValue], FEELEnvironment) -> FEELValue
    ) {
        self.parameters = parameters
        self.required = required ?? parameters.count
        self.variadic = variadic
        self.usesEnvironment = usesEnvironment
        self.body = body
    }

    /// A signature whose body ignores the environment.
    static func pure(
        _ parameters: [String], required: Int? = nil, variadic: Bool = false,
        _ body: @escaping @Sendable ([FEELValue]) -> FEELValue
    ) -> FEELBuiltin {
        FEELBuiltin(parameters, required: required, variadic: variadic) { args, _ in body(args) }
    }
}
