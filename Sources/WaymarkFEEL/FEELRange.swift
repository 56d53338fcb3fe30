/// A FEEL range (DMN 1.5 §10.3.2.7): two optional end points, each included or not.
///
/// A missing end point is unbounded, which is how the unary comparisons `< 5` and `>= 10` are ranges.
public struct FEELRange: Sendable {
    public var start: FEELValue?
    public var startIncluded: Bool
    public var end: FEELValue?
    public var endIncluded: Bool

    public init(start: FEELValue?, startIncluded: Bool, end: FEELValue?, endIncluded: Bool) {
        self.start = start
        self.startIncluded = startIncluded
        self.end = end
        self.endIncluded = endIncluded
    }

    /// Whether `value` lies inside the range; null when it cannot be compared with the end points.
    public func contains(_ value: FEELValue) -> Bool? {
        if let start {
            guard let order = FEELCompare.order(start, value) else { return nil }
            if order > 0 || (order == 0 && !startIncluded) { return false }
        }
        if let end {
            guard let order = FEELCompare.order(value, end) else { return nil }
            if order > 0 || (order == 0 && !endIncluded) { return false }
        }
        return true
    }
}
