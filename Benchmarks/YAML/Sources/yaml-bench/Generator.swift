import Foundation

/// Writes a definitions tree of about `megabytes` MB: pathway files shaped like the shipped ones (comments,
/// flow mappings, quoted messages, folded FEEL conditions, anchors) so the parser sees realistic input.
enum Generator {
    static func write(to root: URL, megabytes: Int) throws -> [URL] {
        let folder = root.appendingPathComponent("workflows")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var urls: [URL] = []
        var total = 0
        var n = 0
        while total < megabytes << 20 {
            let text = pathway(n, stages: 120)
            let url = folder.appendingPathComponent("generated-\(n).yaml")
            try Data(text.utf8).write(to: url)
            urls.append(url)
            total += text.utf8.count
            n += 1
        }
        return urls
    }

    static func pathway(_ n: Int, stages: Int) -> String {
        var s = """
            # Generated pathway \(n) for the YAML loading benchmark.
            pathway: generated-\(n)
            version: 1
            title: "Generated pathway \(n)"
            calendar: england-and-wales
            defaults: &task-defaults { role: social-worker, due: 5 working days }
            enrol:
              on: [referral.received, referral.transferred]
              when: age(facts.child.birth_date, event.date) >= 10 and age(facts.child.birth_date, event.date) <= 13
            start: stage-0
            stages:

            """
        for i in 0..<stages {
            s += """
                  stage-\(i):
                    title: 'Stage \(i): assessment and plan'
                    tasks:
                      # Working Together: decide within the timescale.
                      - key: task-\(i)-a
                        title: Complete the assessment for stage \(i)
                        role: duty-social-worker
                        due: \(i % 20 + 1) working days
                        done_on: assessment.completed
                        done_when: event.data.stage = "stage-\(i)" and event.data.outcome != null
                      - { key: task-\(i)-b, title: "Review the plan with the family", role: team-manager, due: 6 weeks, repeat: 6 weeks }
                      - task-defaults: *task-defaults
                    within: \(i % 30 + 5) working days
                    on_breach:
                      - alert: { severity: high, message: "Stage \(i) for {{ case.id }} not finished after {{ event.date }}" }
                    transitions:
                      - on: stage.completed
                        when: >-
                          some r in case.history[type = "referral.received"]
                            satisfies r.at >= event.at - duration("P12M") and count(case.tasks) > \(i)
                        to: stage-\(i + 1)
                      - on: case.closed
                        to: closed

                """
        }
        s += "  stage-\(stages):\n    final: true\n  closed:\n    final: true\n"
        return s
    }
}
