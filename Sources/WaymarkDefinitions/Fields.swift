import WaymarkModel
import WaymarkYAML

/// The keys of one YAML mapping, read as the fields of a definition.
///
/// Checks on the way in what a designer most often gets wrong: a key that is not known (with the closest
/// known key suggested), a required key left out, a list where one value belongs. Each typed accessor
/// reads a scalar by the field it fills; nothing is typed by YAML 1.1's implicit rules.
struct Fields {
    let node: YAMLNode
    let context: FileContext
    /// How the diagnostics name this mapping: "a stage", "task `decide-referral`".
    let what: String
    private let values: [String: YAMLNode]

    /// Reads `node` as a mapping with the given keys; reports and returns nil if it is not a mapping.
    init?(_ node: YAMLNode, _ context: FileContext, what: String, allowed: [String], required: [String] = []) {
        self.node = node
        self.context = context
        self.what = what
        guard let pairs = node.mapping else {
            context.error(
                "\(what) should be a mapping of `key: value` lines, not \(node.kindDescription)", at: node,
                code: "wrong-type")
            return nil
        }
        var values: [String: YAMLNode] = [:]
        for pair in pairs {
            guard let key = pair.key.text else {
                context.error(
                    "a key in \(what) should be a single word, not \(pair.key.kindDescription)", at: pair.key,
                    code: "wrong-type")
                continue
            }
            if allowed.contains(key) {
                values[key] = pair.value
            } else {
                context.error(
                    "unknown key `\(key)` in \(what)\(Suggestion.didYouMean(key, in: allowed))", at: pair.key,
                    code: "unknown-key")
            }
        }
        self.values = values
        for key in required where values[key] == nil || values[key]?.scalar?.isNull == true {
            context.error("\(what) is missing `\(key):`", at: node, code: "missing-field")
        }
    }

    /// The value of `key`, or nil when it is absent or written as an empty/null value.
    subscript(key: String) -> YAMLNode? {
        guard let value = values[key] else { return nil }
        if value.scalar?.isNull == true { return nil }
        return value
    }

    func has(_ key: String) -> Bool { self[key] != nil }

    /// A single value as text.
    func string(_ key: String) -> String? {
        guard let value = self[key] else { return nil }
        return Self.string(value, key: key, context: context)
    }

    static func string(_ value: YAMLNode, key: String, context: FileContext) -> String? {
        guard let text = value.text else {
            context.error(
                "`\(key)` should be a single value, not \(value.kindDescription)", at: value, code: "wrong-type")
            return nil
        }
        return text
    }

    /// An id: lower-case kebab-case, as the spec asks of pathway, stage, rule, calendar ids and task keys.
    func id(_ key: String) -> String? {
        guard let value = self[key], let text = string(key) else { return nil }
        Self.checkID(text, at: value, context: context)
        return text
    }

    static func checkID(_ text: String, at node: YAMLNode, context: FileContext) {
        if !isKebabCase(text) {
            context.error(
                "`\(text)` is not a valid id: use lower-case letters, digits and single hyphens (like `fgc-held`)",
                at: node, code: "bad-id")
        }
    }

    static func isKebabCase(_ text: String) -> Bool {
        guard let first = text.utf8.first, let last = text.utf8.last, first != 0x2D, last != 0x2D else { return false }
        var previousHyphen = false
        for b in text.utf8 {
            let isHyphen = b == 0x2D
            let ok = isHyphen || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39)
            if !ok || (isHyphen && previousHyphen) { return false }
            previousHyphen = isHyphen
        }
        return true
    }

    /// A whole number written plainly.
    func int(_ key: String) -> Int? {
        guard let value = self[key], let text = string(key) else { return nil }
        guard value.scalar?.style == .plain, let n = Int(text) else {
            context.error("`\(key)` should be a whole number, not `\(text)`", at: value, code: "wrong-type")
            return nil
        }
        return n
    }

    /// `true` or `false` (YAML 1.1's `yes`/`no`/`on`/`off` too, since a boolean is expected here).
    func bool(_ key: String) -> Bool? {
        guard let value = self[key], let text = string(key) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            context.error("`\(key)` should be true or false, not `\(text)`", at: value, code: "wrong-type")
            return nil
        }
    }

    /// A duration such as `5 working days`, `6 weeks` or `P20D`.
    func duration(_ key: String) -> DurationSpec? {
        guard let value = self[key], let text = string(key) else { return nil }
        guard let spec = DurationSpec.parse(text) else {
            context.error(
                "`\(text)` is not a duration: write `N working days`, `N days`, `N weeks`, `N months`, "
                    + "`N years` or an ISO 8601 duration such as `P20D`",
                at: value, code: "bad-duration")
            return nil
        }
        guard spec.isWithinLongest else {
            context.error(
                "`\(text)` is longer than a definitions file may give: at most \(DurationSpec.longestDays) days "
                    + "(100 years) or \(DurationSpec.longestMonths) months",
                at: value, code: "bad-duration")
            return nil
        }
        return spec
    }

    /// One value or a list of values, as `on: a` or `on: [a, b]`.
    func strings(_ key: String) -> [String]? {
        guard let value = self[key] else { return nil }
        if let items = value.sequence {
            let texts = items.compactMap { Self.string($0, key: key, context: context) }
            if items.isEmpty { context.error("`\(key)` is an empty list", at: value, code: "missing-field") }
            return texts
        }
        return Self.string(value, key: key, context: context).map { [$0] }
    }

    /// The items of a list (a missing key is an empty list).
    func list(_ key: String) -> [YAMLNode] {
        guard let value = self[key] else { return [] }
        guard let items = value.sequence else {
            context.error(
                "`\(key)` should be a list (lines starting with `- `), not \(value.kindDescription)",
                at: value, code: "wrong-type")
            return []
        }
        return items
    }
}
