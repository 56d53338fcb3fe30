import Foundation
import Synchronization

extension FEELBuiltins {
    /// Regular expressions already compiled, and patterns already refused, by pattern and options.
    ///
    /// A rule evaluates its `matches` or `replace` for every event of every case, with the same few
    /// patterns; each was compiled again at every call. And Foundation on Linux leaks about 550 bytes
    /// each time `NSRegularExpression` refuses a pattern (found by fuzzing, `Fuzz/`): a refused pattern
    /// in a rule leaked at every evaluation in a daemon that runs for months. Bounded: emptied when
    /// full, so that patterns made from event data cannot grow it without end.
    static let compiledPatterns = Mutex<[RegexKey: NSRegularExpression?]>([:])
    static let compiledPatternLimit = 256

    struct RegexKey: Hashable {
        var pattern: String
        var options: UInt
    }

    /// `NSRegularExpression(pattern:options:)`, once for each pattern and options.
    static func compiled(_ pattern: String, _ options: NSRegularExpression.Options) -> NSRegularExpression? {
        let key = RegexKey(pattern: pattern, options: options.rawValue)
        if let known = compiledPatterns.withLock({ $0[key] }) { return known }
        let made = try? NSRegularExpression(pattern: pattern, options: options)
        compiledPatterns.withLock { cache in
            if cache.count >= compiledPatternLimit { cache.removeAll(keepingCapacity: true) }
            cache[key] = .some(made)
        }
        return made
    }

    /// XPath regular expression flags (`i`, `s`, `m`, `x`, `q`) as `NSRegularExpression` options.
    ///
    /// DMN's `matches`, `replace` and `split` use XPath regular expressions; `NSRegularExpression`
    /// (ICU) accepts the same syntax for everything the TCK uses, so no regex engine is written here.
    static func regex(_ pattern: String, _ flags: FEELValue) -> NSRegularExpression? {
        var options: NSRegularExpression.Options = []
        var text = pattern
        if case .string(let f) = flags {
            for c in f {
                switch c {
                case "i": options.insert(.caseInsensitive)
                case "s": options.insert(.dotMatchesLineSeparators)
                case "m": options.insert(.anchorsMatchLines)
                case "x": options.insert(.allowCommentsAndWhitespace)
                case "q": text = NSRegularExpression.escapedPattern(for: pattern)
                default: return nil
                }
            }
        } else if case .null = flags {
        } else {
            return nil
        }
        if case .string(let f) = flags, f.contains("q") {
            return compiled(text, options)
        }
        guard let translated = icuPattern(text, stripWhitespace: options.contains(.allowCommentsAndWhitespace)) else {
            return nil
        }
        options.remove(.allowCommentsAndWhitespace)
        return compiled(translated, options)
    }

    /// An XPath regular expression rewritten for ICU, or nil when XPath rejects it.
    ///
    /// The differences that matter: the `x` flag removes white space outside character classes
    /// before matching; class subtraction is `[a-z-[aeiou]]` (ICU: `--[`); `\p{IsBlock}` names a
    /// block (ICU: `\p{InBlock}`); a back-reference must name a group already closed, and is not
    /// allowed inside a class.
    static func icuPattern(_ pattern: String, stripWhitespace: Bool) -> String? {
        var chars = Array(pattern)
        if stripWhitespace {
            var kept: [Character] = []
            var inClass = 0
            var i = 0
            while i < chars.count {
                let c = chars[i]
                if c == "\\", i + 1 < chars.count {
                    kept.append(c)
                    i += 1
                    if !chars[i].isWhitespace || inClass > 0 {
                        kept.append(chars[i])
                    } else {
                        // `\ s` with the space removed is `\s`.
                        while i < chars.count, chars[i].isWhitespace { i += 1 }
                        if i < chars.count { kept.append(chars[i]) }
                    }
                    i += 1
                    continue
                }
                if c == "[" { inClass += 1 }
                if c == "]", inClass > 0 { inClass -= 1 }
                if inClass == 0, c.isWhitespace {
                    i += 1
                    continue
                }
                if c.isWhitespace, inClass > 0, i > 1, chars[i - 2] == "\\", chars[i - 1] == "p" || chars[i - 1] == "P"
                {
                    i += 1
                    continue
                }
                kept.append(c)
                i += 1
            }
            chars = kept
            // White space inside `\p{...}` goes too.
            var text = String(chars)
            while let r = text.range(of: #"\\[pP]\{[^}]*\s[^}]*\}"#, options: .regularExpression) {
                text.replaceSubrange(r, with: String(text[r].filter { !$0.isWhitespace }))
            }
            chars = Array(text)
        }
        var out = ""
        var inClass = 0
        var openGroups: [Bool] = []
        var closedGroups = 0
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "\\" {
                guard i + 1 < chars.count else { return nil }
                let next = chars[i + 1]
                if let digit = next.wholeNumberValue, next.isASCII {
                    if inClass > 0 || digit == 0 || digit > closedGroups { return nil }
                }
                if (next == "p" || next == "P"), i + 4 < chars.count, chars[i + 2] == "{", chars[i + 3] == "I",
                    chars[i + 4] == "s"
                {
                    out += "\\\(next){In"
                    i += 5
                    continue
                }
                out.append(c)
                out.append(next)
                i += 2
                continue
            }
            if inClass > 0, c == "-", i + 1 < chars.count, chars[i + 1] == "[" {
                out += "--["
                inClass += 1
                i += 2
                continue
            }
            if c == "[" {
                inClass += 1
            } else if c == "]", inClass > 0 {
                inClass -= 1
            } else if inClass == 0, c == "(" {
                openGroups.append(!(i + 1 < chars.count && chars[i + 1] == "?"))
            } else if inClass == 0, c == ")" {
                if let capturing = openGroups.popLast(), capturing { closedGroups += 1 }
            }
            out.append(c)
            i += 1
        }
        return out
    }

    static let strings: [String: [FEELBuiltin]] = [
        "substring": [
            .pure(["string", "start position", "length"], required: 2) { a in
                guard let s = string(a[0]), let start = number(a[1]).flatMap(FEELNumber.truncatedInt) else {
                    return .null
                }
                let scalars = Array(s.unicodeScalars)
                let n = scalars.count
                var from = start > 0 ? start - 1 : n + start
                if from < 0 { from = 0 }
                guard start != 0, from <= n else { return start == 0 ? .null : .string("") }
                var end = n
                if a.count > 2 {
                    guard let length = number(a[2]).flatMap(FEELNumber.truncatedInt), length >= 0 else { return .null }
                    end = Swift.min(n, from + length)
                }
                var out = String.UnicodeScalarView()
                out.append(contentsOf: scalars[from..<Swift.max(from, end)])
                return .string(String(out))
            }
        ],
        "string length": [
            .pure(["string"]) { a in
                guard let s = string(a[0]) else { return .null }
                return .number(Decimal(s.unicodeScalars.count))
            }
        ],
        "upper case": [.pure(["string"]) { a in string(a[0]).map { .string($0.uppercased()) } ?? .null }],
        "lower case": [.pure(["string"]) { a in string(a[0]).map { .string($0.lowercased()) } ?? .null }],
        "substring before": [
            .pure(["string", "match"]) { a in
                guard let s = string(a[0]), let m = string(a[1]) else { return .null }
                guard !m.isEmpty, let r = s.range(of: m) else { return .string("") }
                return .string(String(s[..<r.lowerBound]))
            }
        ],
        "substring after": [
            .pure(["string", "match"]) { a in
                guard let s = string(a[0]), let m = string(a[1]) else { return .null }
                if m.isEmpty { return .string(s) }
                guard let r = s.range(of: m) else { return .string("") }
                return .string(String(s[r.upperBound...]))
            }
        ],
        "contains": [
            .pure(["string", "match"]) { a in
                guard let s = string(a[0]), let m = string(a[1]) else { return .null }
                return .boolean(m.isEmpty || s.contains(m))
            }
        ],
        "starts with": [
            .pure(["string", "match"]) { a in
                guard let s = string(a[0]), let m = string(a[1]) else { return .null }
                return .boolean(s.hasPrefix(m))
            }
        ],
        "ends with": [
            .pure(["string", "match"]) { a in
                guard let s = string(a[0]), let m = string(a[1]) else { return .null }
                return .boolean(s.hasSuffix(m))
            }
        ],
        "matches": [
            .pure(["input", "pattern", "flags"], required: 2) { a in
                guard let s = string(a[0]), let p = string(a[1]), let re = regex(p, a.count > 2 ? a[2] : .null) else {
                    return .null
                }
                let range = NSRange(s.startIndex..., in: s)
                return .boolean(re.firstMatch(in: s, options: [], range: range) != nil)
            }
        ],
        "replace": [
            .pure(["input", "pattern", "replacement", "flags"], required: 3) { a in
                guard let s = string(a[0]), let p = string(a[1]), let r = string(a[2]),
                    let re = regex(p, a.count > 3 ? a[3] : .null)
                else { return .null }
                let range = NSRange(s.startIndex..., in: s)
                return .string(re.stringByReplacingMatches(in: s, options: [], range: range, withTemplate: r))
            }
        ],
        "split": [
            .pure(["string", "delimiter"]) { a in
                guard let s = string(a[0]), let d = string(a[1]), let re = regex(d, .null) else { return .null }
                let ns = s as NSString
                var parts: [FEELValue] = []
                var last = 0
                for m in re.matches(in: s, options: [], range: NSRange(location: 0, length: ns.length)) {
                    parts.append(.string(ns.substring(with: NSRange(location: last, length: m.range.location - last))))
                    last = m.range.location + m.range.length
                }
                parts.append(.string(ns.substring(from: last)))
                return .list(parts)
            }
        ],
        "string join": [
            .pure(["list", "delimiter"], required: 1) { a in
                guard let items = list(a[0]) else { return .null }
                var delimiter = ""
                if a.count > 1 {
                    if case .string(let d) = a[1] {
                        delimiter = d
                    } else if case .null = a[1] {
                    } else {
                        return .null
                    }
                }
                var parts: [String] = []
                for item in items {
                    switch item {
                    case .string(let s): parts.append(s)
                    case .null: continue
                    default: return .null
                    }
                }
                return .string(parts.joined(separator: delimiter))
            }
        ],
    ]
}
