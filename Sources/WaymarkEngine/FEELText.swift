import Foundation
import WaymarkFEEL

/// A FEEL value as a person reads it in a message or an explanation: strings without quotes,
/// numbers in plain notation, dates and durations in ISO 8601.
func feelText(_ v: FEELValue) -> String {
    switch v {
    case .null: return "null"
    case .boolean(let b): return b ? "true" : "false"
    case .number(let n): return n.jsonText
    case .string(let s): return s
    case .date(let d): return d.isoString
    case .time(let t): return timeText(t)
    case .dateTime(let dt): return dt.date.isoString + "T" + timeText(dt.time)
    case .dayTimeDuration(let d):
        var s = d.seconds
        let negative = s < 0
        s = abs(s)
        var text = negative ? "-P" : "P"
        if s / 86_400 > 0 { text += "\(s / 86_400)D" }
        s %= 86_400
        if s > 0 {
            text += "T"
            if s / 3600 > 0 { text += "\(s / 3600)H" }
            if s / 60 % 60 > 0 { text += "\(s / 60 % 60)M" }
            if s % 60 > 0 { text += "\(s % 60)S" }
        }
        return text == "P" || text == "-P" ? "PT0S" : text
    case .yearMonthDuration(let d):
        let m = abs(d.months)
        return (d.months < 0 ? "-P" : "P") + (m / 12 > 0 ? "\(m / 12)Y" : "")
            + (m % 12 > 0 || m == 0 ? "\(m % 12)M" : "")
    case .list(let items): return "[" + items.map(feelText).joined(separator: ", ") + "]"
    case .context(let c):
        return "{" + c.entries.map { "\($0.key): \(feelText($0.value))" }.joined(separator: ", ") + "}"
    default: return "\(v)"
    }
}

private func timeText(_ t: FEELTime) -> String {
    var s = "\(twoDigits(t.hour)):\(twoDigits(t.minute)):\(twoDigits(t.second))"
    if let zone = t.zoneID {
        s += "@" + zone
    } else if let offset = t.offsetSeconds {
        s +=
            offset == 0
            ? "Z" : (offset < 0 ? "-" : "+") + "\(twoDigits(abs(offset) / 3600)):\(twoDigits(abs(offset) / 60 % 60))"
    }
    return s
}

func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
