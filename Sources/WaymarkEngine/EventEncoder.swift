import WaymarkFEEL

/// Writes events as canonical JSON Lines: fixed key order, `at` in UTC, no insignificant space.
///
/// The simulator writes its streams with it and the store keeps events in this form, so that
/// decoding what was encoded gives the same event back.
public enum EventEncoder {
    public static func encodeLine(_ event: Event) -> String {
        var w = JSONWriter()
        w.raw("{\"id\":")
        w.string(event.id)
        w.raw(",\"case\":")
        w.string(event.caseID)
        w.raw(",\"type\":")
        w.string(event.type)
        w.raw(",\"at\":")
        w.string(canonicalUTC(event.at))
        if let facts = event.facts {
            w.raw(",\"facts\":")
            compact(&w, .context(facts))
        }
        if let data = event.data {
            w.raw(",\"data\":")
            compact(&w, .context(data))
        }
        w.raw("}")
        return w.out
    }

    /// `2025-01-06T10:15:00Z`.
    static func canonicalUTC(_ m: Moment) -> String {
        let s = m.formatted(in: .utc)
        return String(s.dropLast(6)) + "Z"
    }

    private static func compact(_ w: inout JSONWriter, _ value: FEELValue) {
        switch value {
        case .context(let c):
            w.raw("{")
            for (i, e) in c.entries.enumerated() {
                if i > 0 { w.raw(",") }
                w.string(e.key)
                w.raw(":")
                compact(&w, e.value)
            }
            w.raw("}")
        case .list(let items):
            w.raw("[")
            for (i, item) in items.enumerated() {
                if i > 0 { w.raw(",") }
                compact(&w, item)
            }
            w.raw("]")
        default: w.value(value)
        }
    }
}
