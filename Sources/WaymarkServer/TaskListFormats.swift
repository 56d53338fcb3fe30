import Foundation
import WaymarkStore

/// The task list and alerts written as the API serves them and as `--emit` writes them.
enum TaskListFormats {
    /// `{"as_of": ..., "tasks": [...]}`, each task with the spec's keys in the spec's order.
    static func json(asOf: String, tasks: [TaskRow]) -> String {
        var out = "{\"as_of\": \(JSONText.string(asOf)), \"tasks\": ["
        out.reserveCapacity(64 + tasks.count * 360)
        for (index, task) in tasks.enumerated() {
            out += index == 0 ? "\n  " : ",\n  "
            out += taskObject(task)
        }
        out += tasks.isEmpty ? "]}\n" : "\n]}\n"
        return out
    }

    static func taskObject(_ task: TaskRow) -> String {
        "{\"id\": \(JSONText.string(task.id)), \"case\": \(JSONText.string(task.caseID)), "
            + "\"pathway\": \(JSONText.optional(task.pathway)), \"stage\": \(JSONText.optional(task.stage)), "
            + "\"key\": \(JSONText.string(task.key)), \"title\": \(JSONText.string(task.title)), "
            + "\"role\": \(JSONText.string(task.role)), \"raised\": \(JSONText.string(task.raised)), "
            + "\"due\": \(JSONText.string(task.due)), \"status\": \(JSONText.string(task.status)), "
            + "\"done\": \(JSONText.optional(task.done)), \"because\": \(JSONText.string(task.because))}"
    }

    /// `{"alerts": [...]}`.
    static func json(alerts: [AlertRow]) -> String {
        var out = "{\"alerts\": ["
        for (index, alert) in alerts.enumerated() {
            out += index == 0 ? "\n  " : ",\n  "
            out += alertObject(alert)
        }
        out += alerts.isEmpty ? "]}\n" : "\n]}\n"
        return out
    }

    static func alertObject(_ alert: AlertRow) -> String {
        "{\"id\": \(JSONText.string(alert.id)), \"case\": \(JSONText.string(alert.caseID)), "
            + "\"rule\": \(JSONText.string(alert.rule)), \"severity\": \(JSONText.string(alert.severity)), "
            + "\"at\": \(JSONText.string(alert.at)), \"message\": \(JSONText.string(alert.message)), "
            + "\"because\": \(JSONText.string(alert.because))}"
    }

    static let csvHeader = "id,case,pathway,stage,key,title,role,raised,due,status,done,because"

    /// RFC 4180 CSV with a header row and CRLF line ends: the columns of `waymark run --format csv`.
    static func csv(tasks: [TaskRow]) -> String {
        var out = csvHeader + "\r\n"
        for task in tasks {
            let fields = [
                task.id, task.caseID, task.pathway ?? "", task.stage ?? "", task.key, task.title, task.role,
                task.raised, task.due, task.status, task.done ?? "", task.because,
            ]
            out += fields.map(csvField).joined(separator: ",") + "\r\n"
        }
        return out
    }

    static func csvField(_ field: String) -> String {
        if field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return field
    }

    /// An iCalendar (RFC 5545) calendar with one VTODO per task, due on the task's due date.
    static func iCalendar(tasks: [TaskRow]) -> String {
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Waymark//waymark serve//EN", "CALSCALE:GREGORIAN",
            "X-WR-CALNAME:Waymark tasks",
        ]
        for task in tasks {
            lines.append("BEGIN:VTODO")
            lines.append("UID:" + icsText(task.id) + "@waymark")
            lines.append("DTSTAMP:" + icsUTC(task.raised))
            lines.append("CREATED:" + icsUTC(task.raised))
            lines.append("SUMMARY:" + icsText(task.title))
            lines.append("DESCRIPTION:" + icsText("Case \(task.caseID), role \(task.role): \(task.because)"))
            lines.append("CATEGORIES:" + icsText(task.role))
            lines.append("DUE;VALUE=DATE:" + task.due.replacingOccurrences(of: "-", with: ""))
            switch task.status {
            case "done":
                lines.append("STATUS:COMPLETED")
                if let done = task.done { lines.append("COMPLETED:" + icsUTC(done)) }
            case "cancelled": lines.append("STATUS:CANCELLED")
            default: lines.append("STATUS:NEEDS-ACTION")
            }
            lines.append("END:VTODO")
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// Escapes TEXT values (RFC 5545 3.3.11).
    static func icsText(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n", "\r\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }

    /// An ISO 8601 moment with offset as a UTC DATE-TIME (`20250107T090000Z`).
    static func icsUTC(_ iso: String) -> String {
        guard let date = try? Date(iso, strategy: .iso8601) else { return "19700101T000000Z" }
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)\(two(month))\(two(day))T\(two(secondOfDay / 3600))\(two(secondOfDay / 60 % 60))"
            + "\(two(secondOfDay % 60))Z"
    }

    /// Howard Hinnant's days-to-civil algorithm: proleptic Gregorian date of a day count.
    static func civilDate(daysSinceEpoch: Int64) -> (Int64, Int64, Int64) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPrime = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPrime + 2) / 5 + 1
        let month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Folds a content line at 75 octets (RFC 5545 3.1), never inside a UTF-8 sequence.
    static func fold(_ line: String) -> String {
        guard line.utf8.count > 75 else { return line }
        var out = ""
        var count = 0
        for character in line {
            let size = String(character).utf8.count
            if count + size > 75 {
                out += "\r\n "
                count = 1
            }
            out.append(character)
            count += size
        }
        return out
    }
}
