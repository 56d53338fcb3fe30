import Foundation
import WaymarkFEEL

extension SimulatedEvent {
    /// The event as one line of JSON (no newline): keys `id`, `case`, `type`, `at`, then `facts` and
    /// `data` when present, each context in its own insertion order; `at` in UTC with a `Z`.
    public var jsonLine: String {
        var out = "{\"id\":"
        JSONText.appendString(id, to: &out)
        out += ",\"case\":"
        JSONText.appendString(caseID, to: &out)
        out += ",\"type\":"
        JSONText.appendString(type, to: &out)
        out += ",\"at\":\""
        out += JSONText.utcTimestamp(at)
        out += "\""
        if let facts {
            out += ",\"facts\":"
            JSONText.append(.context(facts), to: &out)
        }
        if let data {
            out += ",\"data\":"
            JSONText.append(.context(data), to: &out)
        }
        out += "}"
        return out
    }
}

/// The little JSON writer the simulator needs: FEEL values of the kinds a generated event carries.
///
/// Foundation's `JSONSerialization` sorts or scrambles keys depending on platform and options, and the
/// engine's `EventEncoder` is not ours to depend on before it lands; this keeps key order exactly.
enum JSONText {
    static func append(_ value: FEELValue, to out: inout String) {
        switch value {
        case .null:
            out += "null"
        case .boolean(let flag):
            out += flag ? "true" : "false"
        case .number(let number):
            out += "\(number)"
        case .string(let text):
            appendString(text, to: &out)
        case .date(let date):
            appendString(isoDate(date), to: &out)
        case .list(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                append(item, to: &out)
            }
            out += "]"
        case .context(let context):
            out += "{"
            for (index, entry) in context.entries.enumerated() {
                if index > 0 { out += "," }
                appendString(entry.key, to: &out)
                out += ":"
                append(entry.value, to: &out)
            }
            out += "}"
        case .time, .dateTime, .dayTimeDuration, .yearMonthDuration, .range, .function:
            // The generator never produces these; write null rather than invent a format.
            out += "null"
        }
    }

    static func appendString(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    static func isoDate(_ date: FEELDate) -> String {
        pad(date.year, 4) + "-" + pad(date.month, 2) + "-" + pad(date.day, 2)
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` for seconds since the epoch.
    static func utcTimestamp(_ seconds: Int64) -> String {
        let days = Int(seconds.floorDivided(by: 86_400))
        let secondOfDay = Int(seconds - Int64(days) * 86_400)
        let date = FEELDate(dayNumber: days)
        return isoDate(date) + "T" + pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":"
            + pad(secondOfDay % 60, 2) + "Z"
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

extension Int64 {
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
