import Foundation

extension FEELBuiltins {
    /// A square root to 34 digits: a double's estimate refined by Newton's method in decimal.
    static func squareRoot(_ n: Decimal) -> FEELValue {
        guard n >= 0 else { return .null }
        if n.isZero { return .number(0) }
        guard var x = FEELNumber.fromDouble(Foundation.sqrt(FEELNumber.double(n))), !x.isZero else { return .null }
        for _ in 0..<3 { x = (x + n / x) / 2 }
        return FEELNumber.value(x)
    }

    static func scaled(_ a: [FEELValue], _ mode: @escaping @Sendable (Decimal) -> NSDecimalNumber.RoundingMode)
        -> FEELValue
    {
        guard let n = number(a[0]) else { return .null }
        var scale = 0
        if a.count > 1 {
            guard let s = number(a[1]).flatMap(FEELNumber.truncatedInt), s >= -6111, s <= 6176 else { return .null }
            scale = s
        }
        return .number(FEELNumber.round(n, scale: scale, mode(n)))
    }

    static func halfDown(_ n: Decimal, _ scale: Int) -> Decimal {
        let toward = FEELNumber.round(n, scale: scale, n < 0 ? .up : .down)
        let away = FEELNumber.round(n, scale: scale, n < 0 ? .down : .up)
        let midpoint = (toward + away) / 2
        return (n - toward).magnitude <= (midpoint - toward).magnitude ? toward : away
    }

    static let numeric: [String: [FEELBuiltin]] = [
        "decimal": [.pure(["n", "scale"]) { a in scaled(a) { _ in .bankers } }],
        "floor": [.pure(["n", "scale"], required: 1) { a in scaled(a) { _ in .down } }],
        "ceiling": [.pure(["n", "scale"], required: 1) { a in scaled(a) { _ in .up } }],
        "round up": [.pure(["n", "scale"], required: 1) { a in scaled(a) { $0 < 0 ? .down : .up } }],
        "round down": [.pure(["n", "scale"], required: 1) { a in scaled(a) { $0 < 0 ? .up : .down } }],
        "round half up": [.pure(["n", "scale"], required: 1) { a in scaled(a) { _ in .plain } }],
        "round half down": [
            .pure(["n", "scale"], required: 1) { a in
                guard let n = number(a[0]) else { return .null }
                var scale = 0
                if a.count > 1 {
                    guard let s = int(a[1]), s >= -6111, s <= 6176 else { return .null }
                    scale = s
                }
                return .number(halfDown(n, scale))
            }
        ],
        "abs": [
            .pure(["n"]) { a in
                switch a[0] {
                case .number(let n): return .number(n.magnitude)
                case .dayTimeDuration(let d):
                    return .dayTimeDuration(d.seconds < 0 || d.nanoseconds < 0 ? d.negated : d)
                case .yearMonthDuration(let d): return .yearMonthDuration(FEELYearMonthDuration(months: abs(d.months)))
                default: return .null
                }
            }
        ],
        "modulo": [
            .pure(["dividend", "divisor"]) { a in
                guard let x = number(a[0]), let y = number(a[1]), !y.isZero else { return .null }
                let q = FEELNumber.round(x / y, scale: 0, .down)
                return FEELNumber.value(x - y * q)
            }
        ],
        "sqrt": [.pure(["number"]) { a in number(a[0]).map(squareRoot) ?? .null }],
        "log": [
            .pure(["number"]) { a in
                guard let n = number(a[0]), n > 0 else { return .null }
                return FEELNumber.fromDouble(Foundation.log(FEELNumber.double(n))).map(FEELValue.number) ?? .null
            }
        ],
        "exp": [
            .pure(["number"]) { a in
                guard let n = number(a[0]) else { return .null }
                return FEELNumber.fromDouble(Foundation.exp(FEELNumber.double(n))).map(FEELValue.number) ?? .null
            }
        ],
        "odd": [
            .pure(["number"]) { a in
                guard let n = number(a[0]) else { return .null }
                guard let i = FEELNumber.int(n) else { return .boolean(false) }
                return .boolean(i % 2 != 0)
            }
        ],
        "even": [
            .pure(["number"]) { a in
                guard let n = number(a[0]) else { return .null }
                guard let i = FEELNumber.int(n) else { return .boolean(false) }
                return .boolean(i % 2 == 0)
            }
        ],
    ]
}
