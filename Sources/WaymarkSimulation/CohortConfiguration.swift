public import WaymarkFEEL

/// What cohort to generate: how many children, over which dates, from which seed.
public struct CohortConfiguration: Sendable {
    public var cases: Int
    public var seed: UInt64
    /// The first day a referral may fall on.
    public var from: FEELDate
    /// The last day any event may fall on; later events of a story are left out.
    public var to: FEELDate
    public var clock: LocalClock

    public init(cases: Int, seed: UInt64, from: FEELDate, to: FEELDate, clock: LocalClock = .weekdaysInLondon) {
        self.cases = cases
        self.seed = seed
        self.from = from
        self.to = to
        self.clock = clock
    }
}
