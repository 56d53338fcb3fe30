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
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out.append("\\\"")
                case "\\": out.append("\\\\")
                case "\n": out.append("\\n")
                case "\r": out.append("\\r")
                case "\t": out.append("\\t")
                default:
                    if scalar.value < 0x20 {
                        let hex = String(scalar.value, radix: 16)
                        out.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
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
