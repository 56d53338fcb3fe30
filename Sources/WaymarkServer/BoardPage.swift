import WaymarkStore

/// The page for people at `GET /`: a task board by role, overdue first, and the open alerts.
///
/// Self-contained (inline style, no scripts, no external assets) so that it works on a council
/// laptop behind any proxy and can be saved or printed as it is.
enum BoardPage {
    static func html(_ snapshot: BoardSnapshot, roles allowedRoles: Set<String>?) -> String {
        let roles = snapshot.roles.filter { allowedRoles?.contains($0) ?? true }
        var out = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="refresh" content="60">
            <title>Waymark task board</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:1.5rem;color:#1b1b1b;background:#fafafa;max-width:80rem}
            h1{font-size:1.5rem;margin:0 0 .25rem} h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
            nav a{margin-right:1rem} table{border-collapse:collapse;width:100%;background:#fff}
            th,td{border:1px solid #ccc;padding:.35rem .5rem;text-align:left;vertical-align:top}
            th{background:#eee} tr.overdue td{background:#fde8e8} .status{font-weight:600}
            tr.overdue .status{color:#a00} .alert{border-left:4px solid #a00;background:#fff;padding:.4rem .6rem;
            margin:.4rem 0} .muted{color:#555}
            </style></head><body>
            <h1>Waymark task board</h1>
            <p class="muted">As of <time>\(escape(snapshot.asOf))</time>.
            """
        let openTasks = snapshot.tasks.filter {
            ($0.status == "open" || $0.status == "overdue") && (allowedRoles?.contains($0.role) ?? true)
        }
        let overdue = openTasks.filter { $0.status == "overdue" }.count
        out += " \(openTasks.count) open tasks, \(overdue) overdue.</p>\n<nav>"
        for role in roles { out += "<a href=\"#role-\(escape(role))\">\(escape(role))</a>" }
        out += "</nav>\n"

        let alerts = snapshot.alerts.filter { snapshot.openCases.contains($0.caseID) }.reversed()
        out += "<section id=\"alerts\"><h2>Open alerts (\(alerts.count))</h2>\n"
        if alerts.isEmpty { out += "<p class=\"muted\">No open alerts.</p>\n" }
        for alert in alerts {
            out += "<div class=\"alert\" data-case=\"\(escape(alert.caseID))\"><strong>\(escape(alert.severity))"
            out += "</strong> · \(escape(alert.caseID)) · \(escape(alert.message)) "
            out += "<span class=\"muted\">(\(escape(alert.rule)), \(escape(alert.at)))</span></div>\n"
        }
        out += "</section>\n"

        for role in roles {
            let tasks = (snapshot.tasksByRole[role] ?? []).filter { $0.status == "open" || $0.status == "overdue" }
            // Overdue first; within each group the spec's order (due, case, key, id) is kept.
            let ordered = tasks.filter { $0.status == "overdue" } + tasks.filter { $0.status == "open" }
            out += "<section class=\"role\" id=\"role-\(escape(role))\"><h2>\(escape(role)) (\(ordered.count))</h2>\n"
            if ordered.isEmpty {
                out += "<p class=\"muted\">Nothing to do.</p></section>\n"
                continue
            }
            out += "<table><thead><tr><th>Due</th><th>Status</th><th>Case</th><th>Task</th><th>Pathway · stage</th>"
            out += "</tr></thead><tbody>\n"
            for task in ordered {
                out += "<tr class=\"task \(escape(task.status))\" data-task-id=\"\(escape(task.id))\">"
                out += "<td>\(escape(task.due))</td><td class=\"status\">\(escape(task.status))</td>"
                out += "<td>\(escape(task.caseID))</td><td>\(escape(task.title))</td>"
                let place = [task.pathway, task.stage].compactMap { $0 }.joined(separator: " · ")
                out += "<td>\(escape(place))</td></tr>\n"
            }
            out += "</tbody></table></section>\n"
        }
        out += "</body></html>\n"
        return out
    }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
