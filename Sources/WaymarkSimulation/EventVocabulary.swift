/// The event types the simulator writes: exactly those the shipped definitions react to
/// (`docs/authoring.md` lists them), kept in one place so that a change of vocabulary is one edit here
/// and a regenerated `examples/cohort.jsonl`.
public enum EventVocabulary {
    // Children in need: the statutory steps (cin-phase3) and Right Balance for Families.
    public static let referralReceived = "referral.received"
    public static let referralDecided = "referral.decided"
    public static let assessmentCompleted = "assessment.completed"
    public static let cinPlanAgreed = "cin-plan.agreed"
    public static let cinReviewHeld = "cin-review.held"
    public static let eligibilityDecided = "eligibility.decided"
    public static let fgcPrepared = "fgc.prepared"
    public static let fgcHeld = "fgc.held"
    public static let fgcDeclined = "fgc.declined"
    public static let planAgreed = "plan.agreed"
    public static let pepRecorded = "pep.recorded"
    public static let attendanceRecorded = "attendance.recorded"
    /// An attendance plan agreed with the school after attendance fell to half or less.
    public static let attendancePlanAgreed = "attendance-plan.agreed"
    public static let reflectiveGroupHeld = "reflective-group.held"
    public static let reviewHeld = "review.held"
    public static let crisisPresented = "crisis.presented"
    /// The team manager's decision, after an urgent crisis, whether a strategy discussion is needed.
    public static let strategyDiscussionDecided = "strategy-discussion.decided"
    /// The plan reviewed with the family after repeated crises, when no plan review comes first.
    public static let crisisReviewHeld = "crisis-review.held"
    public static let caseClosed = "case.closed"
    // Children in care: Lifelong Links.
    public static let linksReferred = "lifelong-links.referred"
    public static let linksConsent = "lifelong-links.consent"
    public static let linksSearchCompleted = "lifelong-links.search-completed"
    public static let linksEngaged = "lifelong-links.engaged"
    public static let linksFGCHeld = "lifelong-links.fgc-held"
    public static let carePlanUpdated = "care-plan.updated"
    public static let linksReviewHeld = "lifelong-links.review-held"
    public static let linksClosed = "lifelong-links.closed"

    /// Every type the simulator may write, for tests that check it against the definitions.
    public static let all: [String] = [
        referralReceived, referralDecided, assessmentCompleted, cinPlanAgreed, cinReviewHeld, eligibilityDecided,
        fgcPrepared, fgcHeld, fgcDeclined, planAgreed, pepRecorded, attendanceRecorded, attendancePlanAgreed,
        reflectiveGroupHeld,
        reviewHeld, crisisPresented, strategyDiscussionDecided, crisisReviewHeld, caseClosed, linksReferred,
        linksConsent, linksSearchCompleted, linksEngaged,
        linksFGCHeld, carePlanUpdated, linksReviewHeld, linksClosed,
    ]
}
