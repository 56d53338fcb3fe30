import Foundation

/// The range functions of DMN 1.5 §10.3.4.9 (`before`, `meets`, `overlaps`, `includes`, ...).
extension FEELBuiltins {
    /// A range end point: a value, or unbounded (nil) on that side.
    private static func cmp(_ a: FEELValue?, _ b: FEELValue?, unbounded: Int) -> Int? {
        switch (a, b) {
        case (nil, nil): return 0
        case (nil, _): return unbounded
        case (_, nil): return -unbounded
        case (let x?, let y?): return FEELCompare.order(x, y)
        }
    }

    private static func range(_ v: FEELValue) -> FEELRange? {
        if case .range(let r) = v { return r }
        return nil
    }

    private static func point(_ v: FEELValue) -> FEELValue? {
        switch v {
        case .range, .null, .list, .context, .function: return nil
        default: return v
        }
    }

    /// Builds the four overloads (point/point, point/range, range/point, range/range) of a function.
    private static func rangeFunction(
        _ names: [[String]],
        pp: (@Sendable (FEELValue, FEELValue) -> Bool?)?,
        pr: (@Sendable (FEELValue, FEELRange) -> Bool?)?,
        rp: (@Sendable (FEELRange, FEELValue) -> Bool?)?,
        rr: @escaping @Sendable (FEELRange, FEELRange) -> Bool?
    ) -> [FEELBuiltin] {
        let body: @Sendable ([FEELValue]) -> FEELValue = { a in
            let result: Bool?
            switch (range(a[0]), range(a[1])) {
            case (let x?, let y?): result = rr(x, y)
            case (let x?, nil): result = point(a[1]).flatMap { p in rp?(x, p) }
            case (nil, let y?): result = point(a[0]).flatMap { p in pr?(p, y) }
            case (nil, nil):
                guard let p = point(a[0]), let q = point(a[1]) else { return .null }
                result = pp?(p, q)
            }
            return result.map(FEELValue.boolean) ?? .null
        }
        return names.map { FEELBuiltin.pure($0, body) }
    }

    static let pairNames = [["point1", "point2"], ["point", "range"], ["range", "point"], ["range1", "range2"]]

    static func lt(_ a: FEELValue?, _ b: FEELValue?) -> Bool? { cmp(a, b, unbounded: -1).map { $0 < 0 } }
    static func eq(_ a: FEELValue?, _ b: FEELValue?) -> Bool? {
        guard let a, let b else { return nil }
        return FEELCompare.order(a, b).map { $0 == 0 }
    }

    static func and(_ parts: Bool?...) -> Bool? {
        if parts.contains(false) { return false }
        if parts.contains(nil) { return nil }
        return true
    }

    static func or(_ parts: Bool?...) -> Bool? {
        if parts.contains(true) { return true }
        if parts.contains(nil) { return nil }
        return false
    }

    static func before(_ x: FEELRange, _ y: FEELRange) -> Bool? {
        guard let e = x.end, let s = y.start else { return false }
        return or(FEELCompare.order(e, s).map { $0 < 0 }, and(eq(e, s), !x.endIncluded || !y.startIncluded))
    }

    static func pointBeforeRange(_ p: FEELValue, _ r: FEELRange) -> Bool? {
        guard let s = r.start else { return false }
        return or(FEELCompare.order(p, s).map { $0 < 0 }, and(eq(p, s), !r.startIncluded))
    }

    static func rangeBeforePoint(_ r: FEELRange, _ p: FEELValue) -> Bool? {
        guard let e = r.end else { return false }
        return or(FEELCompare.order(e, p).map { $0 < 0 }, and(eq(e, p), !r.endIncluded))
    }

    static func meets(_ x: FEELRange, _ y: FEELRange) -> Bool? {
        and(x.endIncluded, y.startIncluded, eq(x.end, y.start))
    }

    static func overlaps(_ x: FEELRange, _ y: FEELRange) -> Bool? {
        let endAfterStart = or(
            cmp(x.end, y.start, unbounded: 1).map { $0 > 0 }, and(eq(x.end, y.start), x.endIncluded, y.startIncluded))
        let startBeforeEnd = or(
            cmp(x.start, y.end, unbounded: -1).map { $0 < 0 }, and(eq(x.start, y.end), x.startIncluded, y.endIncluded))
        return and(endAfterStart, startBeforeEnd)
    }

    static func overlapsBefore(_ x: FEELRange, _ y: FEELRange) -> Bool? {
        and(
            or(
                cmp(x.start, y.start, unbounded: -1).map { $0 < 0 },
                and(eq(x.start, y.start), x.startIncluded, !y.startIncluded)),
            or(
                cmp(x.end, y.start, unbounded: 1).map { $0 > 0 },
                and(eq(x.end, y.start), x.endIncluded, y.startIncluded)),
            or(
                cmp(x.end, y.end, unbounded: 1).map { $0 < 0 },
                and(eq(x.end, y.end), !x.endIncluded || y.endIncluded)))
    }

    static func finishes(_ x: FEELRange, _ y: FEELRange) -> Bool? {
        and(
            x.endIncluded == y.endIncluded, eq(x.end, y.end),
            or(
                cmp(x.start, y.start, unbounded: -1).map { $0 > 0 },
                and(eq(x.start, y.start), !x.startIncluded || y.startIncluded)))
    }

    static func includes(_ x: FEELRange, _ y: FEELRange) -> Bool? {
        and(
            or(
                cmp(x.start, y.start, unbounded: -1).map { $0 < 0 },
                and(eq(x.start, y.start), x.startIncluded || !y.startIncluded)),
            or(
                cmp(x.end, y.end, unbounded: 1).map { $0 > 0 },
                and(eq(x.end, y.end), x.endIncluded || !y.endIncluded)))
    }

    static func starts(_ x: FEELRange, _ y: FEELRange) -> Bool? {
        and(
            x.startIncluded == y.startIncluded, eq(x.start, y.start),
            or(
                cmp(x.end, y.end, unbounded: 1).map { $0 < 0 },
                and(eq(x.end, y.end), !x.endIncluded || y.endIncluded)))
    }

    static let ranges: [String: [FEELBuiltin]] = [
        "before": rangeFunction(
            pairNames, pp: { p, q in FEELCompare.order(p, q).map { $0 < 0 } }, pr: pointBeforeRange,
            rp: rangeBeforePoint, rr: before),
        "after": rangeFunction(
            pairNames, pp: { p, q in FEELCompare.order(p, q).map { $0 > 0 } }, pr: { p, r in rangeBeforePoint(r, p) },
            rp: { r, p in pointBeforeRange(p, r) }, rr: { x, y in before(y, x) }),
        "meets": rangeFunction([["range1", "range2"]], pp: nil, pr: nil, rp: nil, rr: meets),
        "met by": rangeFunction([["range1", "range2"]], pp: nil, pr: nil, rp: nil, rr: { x, y in meets(y, x) }),
        "overlaps": rangeFunction([["range1", "range2"]], pp: nil, pr: nil, rp: nil, rr: overlaps),
        "overlaps before": rangeFunction([["range1", "range2"]], pp: nil, pr: nil, rp: nil, rr: overlapsBefore),
        "overlaps after": rangeFunction(
            [["range1", "range2"]], pp: nil, pr: nil, rp: nil, rr: { x, y in overlapsBefore(y, x) }),
        "finishes": rangeFunction(
            [["point", "range"], ["range1", "range2"]], pp: nil, pr: { p, r in and(r.endIncluded, eq(p, r.end)) },
            rp: nil, rr: finishes),
        "finished by": rangeFunction(
            [["range", "point"], ["range1", "range2"]], pp: nil, pr: nil,
            rp: { r, p in and(r.endIncluded, eq(p, r.end)) }, rr: { x, y in finishes(y, x) }),
        "includes": rangeFunction(
            [["range", "point"], ["range1", "range2"]], pp: nil, pr: nil, rp: { r, p in r.contains(p) }, rr: includes),
        "during": rangeFunction(
            [["point", "range"], ["range1", "range2"]], pp: nil, pr: { p, r in r.contains(p) }, rp: nil,
            rr: { x, y in includes(y, x) }),
        "starts": rangeFunction(
            [["point", "range"], ["range1", "range2"]], pp: nil, pr: { p, r in and(r.startIncluded, eq(p, r.start)) },
            rp: nil, rr: starts),
        "started by": rangeFunction(
            [["range", "point"], ["range1", "range2"]], pp: nil, pr: nil,
            rp: { r, p in and(r.startIncluded, eq(p, r.start)) }, rr: { x, y in starts(y, x) }),
        "coincides": rangeFunction(
            [["point1", "point2"], ["range1", "range2"]], pp: { p, q in FEELCompare.order(p, q).map { $0 == 0 } },
            pr: nil, rp: nil,
            rr: { x, y in
                and(
                    x.startIncluded == y.startIncluded, x.endIncluded == y.endIncluded, eq(x.start, y.start),
                    eq(x.end, y.end))
            }),
    ]
}
