/// The event types the simulator writes: exactly those the shipped definitions react to
/// (`docs/authoring.md` lists them), kept in one place so that a change of vocabulary is one edit here
/// and a regenerated `examples/cohort.jsonl`.
public enum EventVocabulary {
    public static let referralReceived = "referral.received"
    public static let referralDecided = "referral.decided"
    public static let fgcHeld = "fgc.held"
    public static let planAgreed = "plan.agreed"
    public static let reflectiveGroupHeld = "reflective-group.held"
    public static let reviewHeld = "review.held"
    public static let attendanceRecorded = "attendance.recorded"
    public static let pepRecorded = "pep.recorded"
    public static let crisisPresented = "crisis.presented"
    public static let caseClosed = "case.closed"
    public static let linksReferred = "lifelong-links.referred"
    public static let linksConsent = "lifelong-links.consent"
    public static let linksFound = "lifelong-links.connection-found"
    public static let linksFGCHeld = "lifelong-links.fgc-held"
    public static let linksPlanAgreed = "lifelong-links.plan-agreed"
    public static let linksReviewHeld = "lifelong-links.review-held"
    public static let linksClosed = "lifelong-links.closed"

    /// Every type the simulator may write, for tests that check it against the definitions.
    public static let all: [String] = [
        referralReceived, referralDecided, fgcHeld, planAgreed, reflectiveGroupHeld, reviewHeld,
        attendanceRecorded, pepRecorded, crisisPresented, caseClosed, linksReferred, linksConsent, linksFound,
        linksFGCHeld, linksPlanAgreed, linksReviewHeld, linksClosed,
    ]
}
