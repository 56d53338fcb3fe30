import WaymarkFEEL

/// The tasks an expression over `case.tasks` can be made true by, told from its text: for `some t in
/// case.tasks satisfies t.status = "overdue" and …` only overdue tasks matter, so `case.tasks` is
/// built with just those (see `FEELExpression.entryRequirement(onList:)`).
///
/// A daily rule over the task list is checked on every case whose tasks changed, and a case keeps
/// every task it ever had: building and walking them all was most of the cost of the rule.
struct TaskFilter: Sendable {
    /// The task entries the engine can read without building the task's FEEL value.
    enum Field: String, Sendable {
        case key, title, role, pathway, stage, status
    }

    let field: Field
    let value: String
    /// Whether the expression is false when no task passes (see
    /// `FEELExpression.isFalseWhenEmpty(list:)`), so that it need not be evaluated then.
    let falseWhenNonePass: Bool

    init?(_ requirement: FEELEntryRequirement, falseWhenNonePass: Bool = false) {
        guard let field = Field(rawValue: requirement.key) else { return nil }
        self.field = field
        value = requirement.value
        self.falseWhenNonePass = falseWhenNonePass
    }

    /// Whether the entry equals the value. A missing pathway or stage is null in FEEL, which equals no
    /// string; the value is ASCII, where Swift's and FEEL's string equality agree.
    func passes(_ task: TaskState) -> Bool {
        switch field {
        case .key: task.template.key == value
        case .title: task.template.title == value
        case .role: task.template.role == value
        case .pathway: task.pathway == value
        case .stage: task.stage == value
        case .status: task.status.rawValue == value
        }
    }
}
