import Foundation

extension FEELBuiltins {
    static func contains(_ items: [FEELValue], _ x: FEELValue) -> Bool {
        items.contains { FEELCompare.equal($0, x) == true }
    }

    static func distinct(_ items: [FEELValue]) -> [FEELValue] {
        var out: [FEELValue] = []
        for item in items where !contains(out, item) { out.append(item) }
        return out
    }

    static func flatten(_ items: [FEELValue]) -> [FEELValue] {
        items.flatMap { item -> [FEELValue] in
            if case .list(let inner) = item { return flatten(inner) }
            return [item]
        }
    }

    /// The extreme of comparable values, or nil when they are empty or not comparable.
    static func extreme(_ items: [FEELValue], _ wanted: Int) -> FEELValue {
        guard var best = items.first else { return .null }
        for item in items.dropFirst() {
            guard let o = FEELCompare.order(item, best) else { return .null }
            if o == wanted { best = item }
        }
        if items.count == 1, FEELCompare.order(best, best) == nil { return .null }
        return best
    }

    static func numbers(_ args: [FEELValue]) -> [Decimal]? {
        guard let items = items(args) else { return nil }
        var out: [Decimal] = []
        for item in items {
            guard case .number(let n) = item else { return nil }
            out.append(n)
        }
        return out
    }

    static func position(_ v: FEELValue, count: Int, allowEnd: Bool = false) -> Int? {
        guard let p = int(v), p != 0 else { return nil }
        let index = p > 0 ? p - 1 : count + p
        guard index >= 0, index < count + (allowEnd ? 1 : 0) else { return nil }
        return index
    }

    static func sort(_ items: [FEELValue], by precedes: FEELFunction?, _ env: FEELEnvironment) -> [FEELValue]? {
        var failed = false
        let sorted = items.sorted { x, y in
            if failed { return false }
            if let precedes {
                guard case .boolean(let b) = precedes.call([x, y], environment: env) else {
                    failed = true
                    return false
                }
                return b
            }
            guard let o = FEELCompare.order(x, y) else {
                failed = true
                return false
            }
            return o < 0
        }
        return failed ? nil : sorted
    }

    static let lists: [String: [FEELBuiltin]] = [
        "list contains": [
            .pure(["list", "element"]) { a in
                guard case .list(let items) = a[0] else { return .null }
                return .boolean(contains(items, a[1]))
            }
        ],
        "count": [
            .pure(["list"]) { a in
                guard case .list(let items) = a[0] else { return .null }
                return .number(Decimal(items.count))
            }
        ],
        "min": [.pure(["list"], required: 1, variadic: true) { a in items(a).map { extreme($0, -1) } ?? .null }],
        "max": [.pure(["list"], required: 1, variadic: true) { a in items(a).map { extreme($0, 1) } ?? .null }],
        "sum": [
            .pure(["list"], required: 1, variadic: true) { a in
                guard let ns = numbers(a) else { return .null }
                if ns.isEmpty { return .null }
                return .number(ns.reduce(0, +))
            }
        ],
        "product": [
            .pure(["list"], required: 1, variadic: true) { a in
                guard let ns = numbers(a), !ns.isEmpty else { return .null }
                return FEELNumber.value(ns.reduce(1, FEELNumber.product))
            }
        ],
        "mean": [
            .pure(["list"], required: 1, variadic: true) { a in
                guard let ns = numbers(a), !ns.isEmpty else { return .null }
                return FEELNumber.value(ns.reduce(0, +) / Decimal(ns.count))
            }
        ],
        "median": [
            .pure(["list"], required: 1, variadic: true) { a in
                guard let ns = numbers(a), !ns.isEmpty else { return .null }
                let s = ns.sorted()
                if s.count % 2 == 1 { return .number(s[s.count / 2]) }
                return .number((s[s.count / 2 - 1] + s[s.count / 2]) / 2)
            }
        ],
        "stddev": [
            .pure(["list"], required: 1, variadic: true) { a in
                guard let ns = numbers(a), ns.count >= 2 else { return .null }
                let mean = ns.reduce(0, +) / Decimal(ns.count)
                let variance =
                    ns.reduce(Decimal(0)) { $0 + FEELNumber.product($1 - mean, $1 - mean) } / Decimal(ns.count - 1)
                return FEELBuiltins.squareRoot(variance)
            }
        ],
        "mode": [
            .pure(["list"], required: 1, variadic: true) { a in
                guard let ns = numbers(a) else { return .null }
                var counts: [(Decimal, Int)] = []
                for n in ns {
                    if let i = counts.firstIndex(where: { $0.0 == n }) {
                        counts[i].1 += 1
                    } else {
                        counts.append((n, 1))
                    }
                }
                let top = counts.map(\.1).max() ?? 0
                return .list(counts.filter { $0.1 == top }.map(\.0).sorted().map(FEELValue.number))
            }
        ],
        "all": [
            .pure(["list"], required: 1, variadic: true) { a in
                guard let items = items(a) else { return .null }
                var sawNull = false
                for item in items {
                    switch item {
                    case .boolean(false): return .boolean(false)
                    case .boolean(true): continue
                    default: sawNull = true
                    }
                }
                return sawNull ? .null : .boolean(true)
            }
        ],
        "any": [
            .pure(["list"], required: 1, variadic: true) { a in
                guard let items = items(a) else { return .null }
                var sawNull = false
                for item in items {
                    switch item {
                    case .boolean(true): return .boolean(true)
                    case .boolean(false): continue
                    default: sawNull = true
                    }
                }
                return sawNull ? .null : .boolean(false)
            }
        ],
        "sublist": [
            .pure(["list", "start position", "length"], required: 2) { a in
                guard case .list(let items) = a[0], let from = position(a[1], count: items.count) else { return .null }
                var end = items.count
                if a.count > 2 {
                    guard let length = int(a[2]), length >= 0, from + length <= items.count else { return .null }
                    end = from + length
                }
                return .list(Array(items[from..<end]))
            }
        ],
        "append": [
            .pure(["list", "item"], required: 1, variadic: true) { a in
                guard case .list(let items) = a[0] else { return .null }
                return .list(items + a.dropFirst())
            }
        ],
        "concatenate": [
            .pure(["list"], required: 0, variadic: true) { a in
                var out: [FEELValue] = []
                for item in a {
                    guard case .list(let items) = item else { return .null }
                    out += items
                }
                return .list(out)
            }
        ],
        "insert before": [
            .pure(["list", "position", "newItem"]) { a in
                guard case .list(var items) = a[0], let at = position(a[1], count: items.count) else { return .null }
                items.insert(a[2], at: at)
                return .list(items)
            }
        ],
        "remove": [
            .pure(["list", "position"]) { a in
                guard case .list(var items) = a[0], let at = position(a[1], count: items.count) else { return .null }
                items.remove(at: at)
                return .list(items)
            }
        ],
        "reverse": [
            .pure(["list"]) { a in
                guard case .list(let items) = a[0] else { return .null }
                return .list(items.reversed())
            }
        ],
        "index of": [
            .pure(["list", "match"]) { a in
                guard case .list(let items) = a[0] else { return .null }
                return .list(
                    items.indices.filter { FEELCompare.equal(items[$0], a[1]) == true }.map { .number(Decimal($0 + 1)) }
                )
            }
        ],
        "union": [
            .pure(["list"], required: 0, variadic: true) { a in
                var out: [FEELValue] = []
                for item in a {
                    guard case .list(let items) = item else { return .null }
                    out += items
                }
                return .list(distinct(out))
            }
        ],
        "distinct values": [
            .pure(["list"]) { a in
                guard case .list(let items) = a[0] else { return .null }
                return .list(distinct(items))
            }
        ],
        "flatten": [
            .pure(["list"]) { a in
                guard case .list(let items) = a[0] else { return .null }
                return .list(flatten(items))
            }
        ],
        "sort": [
            FEELBuiltin(["list", "precedes"], required: 1) { a, env in
                guard case .list(let items) = a[0] else { return .null }
                var precedes: FEELFunction?
                if a.count > 1 {
                    guard case .function(let f) = a[1] else { return .null }
                    precedes = f
                }
                return sort(items, by: precedes, env).map(FEELValue.list) ?? .null
            }
        ],
    ]
}
