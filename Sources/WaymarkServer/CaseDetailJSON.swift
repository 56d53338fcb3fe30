import WaymarkEngine
import WaymarkFEEL

/// `GET /v1/cases/{id}`: a case's facts, enrolments, tasks, alerts and history with `because`.
///
/// Tasks and alerts use the same keys as the task list; facts and event data are plain JSON, the
/// way events carry them in.
enum CaseDetailJSON {
    static func render(_ detail: CaseDetail, zone: ZoneOffsets) -> String {
        var out = "{\"case\": \(JSONText.string(detail.caseID)),\n"
        out += " \"opened\": \(JSONText.optional(detail.opened?.formatted(in: zone))),\n"
        out += " \"facts\": \(value(.context(detail.facts))),\n"
        out += " \"enrolments\": ["
        out += detail.enrolments.map { enrolment in
            "\n  {\"pathway\": \(JSONText.string(enrolment.pathway)), \"version\": \(enrolment.version), "
                + "\"stage\": \(JSONText.string(enrolment.stage)), "
                + "\"since\": \(JSONText.string(enrolment.since.formatted(in: zone))), "
                + "\"closed\": \(JSONText.optional(enrolment.closed?.formatted(in: zone)))}"
        }.joined(separator: ",")
        out += "],\n \"tasks\": ["
        let snapshot = EngineHost.snapshot(
            of: RunReport(
                asOf: FEELDate(year: 1970, month: 1, day: 1), tasks: detail.tasks, alerts: detail.alerts,
                cases: [], zone: zone),
            version: 0
        )
        out += snapshot.tasks.map { "\n  " + TaskListFormats.taskObject($0) }.joined(separator: ",")
        out += "],\n \"alerts\": ["
        out += snapshot.alerts.map { "\n  " + TaskListFormats.alertObject($0) }.joined(separator: ",")
        out += "],\n \"history\": ["
        out += detail.history.map { entry in
            "\n  {\"id\": \(JSONText.string(entry.id)), \"type\": \(JSONText.string(entry.type)), "
                + "\"at\": \(JSONText.string(entry.at.formatted(in: zone))), \"input\": \(entry.input), "
                + "\"data\": \(entry.data.map { value(.context($0)) } ?? "null"), "
                + "\"because\": \(JSONText.optional(entry.because))}"
        }.joined(separator: ",")
        out += "],\n \"problems\": [" + detail.problems.map(JSONText.string).joined(separator: ", ") + "]}\n"
        return out
    }

    /// A FEEL value as plain JSON: dates, times and durations as their ISO 8601 strings.
    static func value(_ value: FEELValue) -> String {
        switch value {
        case .null: return "null"
        case .boolean(let flag): return flag ? "true" : "false"
        case .number(let number): return "\(number)"
        case .string(let text): return JSONText.string(text)
        case .date(let date): return JSONText.string(date.isoString)
        case .time(let time): return JSONText.string(timeText(time))
        case .dateTime(let dateTime): return JSONText.string(dateTime.date.isoString + "T" + timeText(dateTime.time))
        case .dayTimeDuration(let duration): return JSONText.string(durationText(duration))
        case .yearMonthDuration(let duration):
            let sign = duration.months < 0 ? "-" : ""
            let months = abs(duration.months)
            return JSONText.string("\(sign)P\(months / 12)Y\(months % 12)M")
        case .list(let items): return "[" + items.map(Self.value).joined(separator: ", ") + "]"
        case .context(let context):
            return "{"
                + context.entries.map { JSONText.string($0.key) + ": " + Self.value($0.value) }
                .joined(separator: ", ") + "}"
        case .range, .function:
            // Never in event JSON; only a computed fact could hold one: shown as FEEL text.
            return JSONText.string(value.description)
        }
    }

    static func timeText(_ time: FEELTime) -> String {
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        var text = "\(two(time.hour)):\(two(time.minute)):\(two(time.second))"
        if time.nanosecond > 0 {
            let digits = String(time.nanosecond)
            text += "." + String(repeating: "0", count: 9 - digits.count) + digits
        }
        if let zoneID = time.zoneID {
            text += "@" + zoneID
        } else if let offset = time.offsetSeconds {
            if offset == 0 {
                text += "Z"
            } else {
                text += (offset < 0 ? "-" : "+") + two(abs(offset) / 3600) + ":" + two(abs(offset) / 60 % 60)
            }
        }
        return text
    }

    static func durationText(_ duration: FEELDayTimeDuration) -> String {
        let negative = duration.seconds < 0
        let total = abs(duration.seconds)
        let days = total / 86_400
        let hours = total / 3600 % 24
        let minutes = total / 60 % 60
        let seconds = total % 60
        var text = (negative ? "-" : "") + "P"
        if days > 0 { text += "\(days)D" }
        if hours > 0 || minutes > 0 || seconds > 0 || days == 0 {
            text += "T"
            if hours > 0 { text += "\(hours)H" }
            if minutes > 0 { text += "\(minutes)M" }
            if seconds > 0 || (hours == 0 && minutes == 0) { text += "\(seconds)S" }
        }
        return text
    }
}
