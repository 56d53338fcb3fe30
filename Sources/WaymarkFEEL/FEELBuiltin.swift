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
    /// The same function taking its two arguments as they are, for a signature of exactly two: a
    /// call then makes no array. `working days between(t.due, today())`, in a daily rule over every
    /// overdue task, made one and let it go for each task on each day looked at (about 450
    /// instructions of the 2,200 each such call cost).
    let binary: (@Sendable (FEELValue, FEELValue, FEELEnvironment) -> FEELValue)?

    init(
        _ parameters: [String], required: Int? = nil, variadic: Bool = false, usesEnvironment: Bool = false,
        _ body: @escaping @Sendable ([FEELValue], FEELEnvironment) -> FEELValue
    ) {
        self.parameters = parameters
        self.required = required ?? parameters.count
        self.variadic = variadic
        self.usesEnvironment = usesEnvironment
        self.body = body
        self.binary = nil
    }

    /// A signature of exactly two parameters, written once over the two arguments.
    init(
        binary parameters: (String, String), usesEnvironment: Bool = false,
        _ body: @escaping @Sendable (FEELValue, FEELValue, FEELEnvironment) -> FEELValue
    ) {
        self.parameters = [parameters.0, parameters.1]
        self.required = 2
        self.variadic = false
        self.usesEnvironment = usesEnvironment
        self.body = { a, env in body(a[0], a[1], env) }
        self.binary = body
    }

    /// A signature whose body ignores the environment.
    static func pure(
        _ parameters: [String], required: Int? = nil, variadic: Bool = false,
        _ body: @escaping @Sendable ([FEELValue]) -> FEELValue
    ) -> FEELBuiltin {
        FEELBuiltin(parameters, required: required, variadic: variadic) { args, _ in body(args) }
    }
}
