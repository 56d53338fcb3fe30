import Foundation
import WaymarkFEEL
import WaymarkModel

/// A small pathway built in code (the YAML loader is another module's business): a referral opens
/// an `assess` stage with a `decide` task for the social worker due in 2 days and a 3-day limit
/// whose breach raises an alert; `referral.decided` finishes the task and closes the case.
enum Fixture {
    static let here = SourceLocation(file: "fixture", line: 1, column: 1)

    static func definitions(taskTitle: String = "Decide on the referral") -> Definitions {
        let calendar = WorkingCalendar(
            id: "test", timeZoneID: "UTC", workingWeekdays: [1, 2, 3, 4, 5, 6, 7], holidays: []
        )
        let decide = TaskTemplate(
            key: "decide", title: taskTitle, role: "social-worker",
            due: DurationSpec(amount: 2, unit: .days, text: "2 days"),
            doneOn: ["referral.decided"], location: here
        )
        let breach = AlertTemplate(
            severity: .high,
            message: MessageTemplate(source: "Assessment late", location: here, parts: [.text("Assessment late")]),
            location: here
        )
        let assess = Stage(
            id: "assess", title: "Assess", tasks: [decide],
            within: DurationSpec(amount: 3, unit: .days, text: "3 days"),
            onBreach: [.alert(breach)],
            transitions: [Transition(on: ["referral.decided"], when: nil, to: "closed", location: here)], location: here
        )
        let closed = Stage(id: "closed", title: "Closed", final: true, location: here)
        let pathway = Pathway(
            id: "intake", version: 1, title: "Intake", calendar: "test",
            enrol: Pathway.Enrolment(on: ["referral.received"], when: nil, location: here), start: "assess",
            stages: [assess, closed], transitions: [], location: here
        )
        return Definitions(pathways: ["intake": pathway], ruleSets: [:], calendars: ["test": calendar])
    }

    /// `2025-01-06T10:15:00Z`-style UTC text for a moment `days` from now (negative: in the past).
    static func isoUTC(daysFromNow days: Double, from now: Date = Date()) -> String {
        let date = now.addingTimeInterval(days * 86_400)
        return date.formatted(.iso8601)
    }

    static func referral(_ id: String, case caseID: String, at: String) -> String {
        #"{"id": "\#(id)", "case": "\#(caseID)", "type": "referral.received", "at": "\#(at)", "facts": {"child": {"name": "Sam Example", "birth_date": "2014-02-03"}}}"#
    }

    static func decided(_ id: String, case caseID: String, at: String) -> String {
        #"{"id": "\#(id)", "case": "\#(caseID)", "type": "referral.decided", "at": "\#(at)", "data": {"decision": "accept"}}"#
    }
}
