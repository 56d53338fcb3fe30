import Foundation
import WaymarkFEEL

/// Appends JSON text to a string: the one place that decides how Waymark writes strings, numbers
/// and FEEL values, so that every output is byte-for-byte the same for the same input.
struct JSONWriter {
    var out = ""

    mutating func string(_ s: String) {
        out.append("\"")
        var plain = true
        for u in s.utf8 where u < 0x20 || u == 0x22 || u == 0x5C {
            plain = false
            break
        }
        if plain {
            out.append(s)
        } else {
            // Copy the runs between the bytes that need escaping whole. Those bytes are ASCII, so they
            // are scalar boundaries (not always Character ones: "\r\n" is one Character), hence the
            // slices of the UTF-8 view rather than of the string.
            var start = s.utf8.startIndex
            var i = s.utf8.startIndex
            while i < s.utf8.endIndex {
                let u = s.utf8[i]
                if u < 0x20 || u == 0x22 || u == 0x5C {
                    out.append(contentsOf: Substring(s.utf8[start..<i]))
                    switch u {
                    case 0x22: out.append("\\\"")
                    case 0x5C: out.append("\\\\")
                    case 0x0A: out.append("\\n")
                    case 0x0D: out.append("\\r")
                    case 0x09: out.append("\\t")
                    default:
                        let hex = String(u, radix: 16)
                        out.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                    }
                    start = s.utf8.index(after: i)
                }
                i = s.utf8.index(after: i)
            }
            out.append(contentsOf: Substring(s.utf8[start...]))
        }
        out.append("\"")
    }

    mutating func optionalString(_ s: String?) {
        if let s { string(s) } else { out.append("null") }
    }

    mutating func raw(_ s: String) { out.append(s) }

    mutating func key(_ k: String) {
        string(k)
        out.append(": ")
    }

    /// A FEEL value as plain JSON (dates and durations as their ISO strings).
    mutating func value(_ v: FEELValue) {
        switch v {
        case .null: out.append("null")
        case .boolean(let b): out.append(b ? "true" : "false")
        case .number(let n): out.append(n.jsonText)
        case .string(let s): string(s)
        case .date(let d): string(d.isoString)
        case .list(let items):
            out.append("[")
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(", ") }
                value(item)
            }
            out.append("]")
        case .context(let c): context(c)
        default: string(feelText(v))
        }
    }

    mutating func context(_ c: FEELContext) {
        out.append("{")
        for (i, entry) in c.entries.enumerated() {
            if i > 0 { out.append(", ") }
            key(entry.key)
            value(entry.value)
        }
        out.append("}")
    }
}

extension Decimal {
    /// Plain decimal notation, as JSON and messages print numbers.
    var jsonText: String { "\(self)" }
}
