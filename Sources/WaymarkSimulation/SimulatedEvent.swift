public import WaymarkFEEL

/// One generated input event, in the shape of the spec's section 6.
///
/// `facts` and `data` are FEEL contexts (ordered), so the JSON written from them has a fixed key
/// order and the same seed gives byte-identical output.
public struct SimulatedEvent: Sendable {
    public var id: String
    public var caseID: String
    public var type: String
    /// Seconds since 1970-01-01T00:00:00Z.
    public var at: Int64
    public var facts: FEELContext?
    public var data: FEELContext?

    public init(id: String, caseID: String, type: String, at: Int64, facts: FEELContext?, data: FEELContext?) {
        self.id = id
        self.caseID = caseID
        self.type = type
        self.at = at
        self.facts = facts
        self.data = data
    }
}
