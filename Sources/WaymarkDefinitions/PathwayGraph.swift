import WaymarkModel

/// Draws a pathway as a Mermaid flowchart or a Graphviz digraph: stages with their tasks and deadlines,
/// transitions labelled by event and condition, final stages marked, pathway-wide transitions from an
/// "any stage" node, and `goto` actions as dashed arrows.
public enum PathwayGraph {
    public enum Format: String, Sendable, CaseIterable {
        case mermaid, dot
    }

    public static func render(_ pathway: Pathway, format: Format) -> String {
        switch format {
        case .mermaid: mermaid(pathway)
        case .dot: dot(pathway)
        }
    }

    /// An edge of the drawing.
    private struct Edge {
        var from: String
        var to: String
        var label: String
        var dashed: Bool
    }

    private static func edges(_ pathway: Pathway) -> [Edge] {
        var edges: [Edge] = []
        for stage in pathway.stages {
            for t in stage.transitions {
                edges.append(Edge(from: stage.id, to: t.to, label: label(t), dashed: false))
            }
            for (hook, actions) in [
                ("on_enter", stage.onEnter), ("on_exit", stage.onExit), ("on_breach", stage.onBreach),
            ] {
                for case .goto(let target, _) in actions {
                    edges.append(Edge(from: stage.id, to: target, label: "\(hook): goto", dashed: true))
                }
            }
        }
        return edges
    }

    private static func label(_ t: Transition) -> String {
        let events = t.on.joined(separator: " | ")
        guard let when = t.when else { return events }
        return "\(events)\n[\(condition(when.source))]"
    }

    /// Longest condition drawn in full; a drawing is for an overview, and the file has the rest.
    public static let maximumConditionLength = 60

    /// A condition on one line (a condition written over several lines in a `>-` block has its
    /// line breaks and indentation folded into single spaces), cut at a word with `…` when long.
    public static func condition(_ source: String) -> String {
        let text = source.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard text.count > maximumConditionLength else { return text }
        var cut = text.prefix(maximumConditionLength - 1)
        if let space = cut.lastIndex(of: " "),
            cut.distance(from: cut.startIndex, to: space) > maximumConditionLength / 2
        {
            cut = cut[..<space]
        }
        return cut + "…"
    }

    /// The lines of a stage's box: title, id, deadline, tasks with their due durations.
    private static func lines(_ stage: Stage) -> [String] {
        var lines = [stage.title ?? stage.id]
        if stage.title != nil { lines.append("(\(stage.id))") }
        if stage.final { lines.append("final") }
        if let within = stage.within { lines.append("within \(within.text)") }
        for task in stage.tasks {
            var line = "• \(task.title) [\(task.role)], due \(task.due.text)"
            if let every = task.repeat { line += ", every \(every.text)" }
            lines.append(line)
        }
        return lines
    }

    private static func mermaidID(_ id: String) -> String {
        "s_"
            + String(
                id.unicodeScalars.map { $0.properties.isAlphabetic || ("0"..."9").contains($0) ? Character($0) : "_" })
    }

    /// Text inside a quoted Mermaid label, which Mermaid renders as HTML: `#` starts Mermaid's own
    /// entity codes, so it goes first; `<`, `>` and `&` (frequent in conditions such as
    /// `attendance <= 0.9`) would otherwise be read as markup, and `"` would end the label.
    private static func mermaidText(_ text: String) -> String {
        text.replacingAll("#", with: "#35;").replacingAll("&", with: "#amp;").replacingAll("<", with: "#lt;")
            .replacingAll(">", with: "#gt;").replacingAll("\"", with: "#quot;").replacingAll("|", with: "#124;")
            .replacingAll("\n", with: "<br/>")
    }

    static func mermaid(_ pathway: Pathway) -> String {
        var out = "---\ntitle: \(pathway.title) (\(pathway.id) v\(pathway.version))\n---\nflowchart TD\n"
        out += "    start((start)) --> \(mermaidID(pathway.start))\n"
        for stage in pathway.stages {
            let text = mermaidText(lines(stage).joined(separator: "\n"))
            let id = mermaidID(stage.id)
            out += stage.final ? "    \(id)([\"\(text)\"])\n" : "    \(id)[\"\(text)\"]\n"
        }
        for edge in edges(pathway) {
            let arrow = edge.dashed ? "-.->" : "-->"
            out += "    \(mermaidID(edge.from)) \(arrow)|\"\(mermaidText(edge.label))\"| \(mermaidID(edge.to))\n"
        }
        if !pathway.transitions.isEmpty {
            out += "    any{{\"any stage that is not final\"}}\n"
            for t in pathway.transitions {
                out += "    any -.->|\"\(mermaidText(label(t)))\"| \(mermaidID(t.to))\n"
            }
        }
        let finals = pathway.stages.filter(\.final).map { mermaidID($0.id) }
        if !finals.isEmpty {
            out += "    classDef final fill:#e8f5e9,stroke:#2e7d32,stroke-width:3px\n"
            out += "    class \(finals.joined(separator: ",")) final\n"
        }
        return out
    }

    private static func dotText(_ text: String) -> String {
        "\"" + text.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"").replacingAll("\n", with: "\\n")
            + "\""
    }

    static func dot(_ pathway: Pathway) -> String {
        var out = "digraph \(dotText(pathway.id)) {\n"
        out += "    label=\(dotText("\(pathway.title) (\(pathway.id) v\(pathway.version))"));\n"
        out += "    rankdir=TB;\n    node [shape=box, style=rounded, fontname=\"Helvetica\"];\n"
        out += "    edge [fontname=\"Helvetica\", fontsize=10];\n"
        out += "    \"__start\" [shape=circle, label=\"start\"];\n"
        out += "    \"__start\" -> \(dotText(pathway.start));\n"
        for stage in pathway.stages {
            let shape = stage.final ? ", peripheries=2, style=\"rounded,bold\"" : ""
            out += "    \(dotText(stage.id)) [label=\(dotText(lines(stage).joined(separator: "\n")))\(shape)];\n"
        }
        for edge in edges(pathway) {
            let style = edge.dashed ? ", style=dashed" : ""
            out += "    \(dotText(edge.from)) -> \(dotText(edge.to)) [label=\(dotText(edge.label))\(style)];\n"
        }
        if !pathway.transitions.isEmpty {
            out += "    \"__any\" [shape=hexagon, label=\"any stage that is not final\"];\n"
            for t in pathway.transitions {
                out += "    \"__any\" -> \(dotText(t.to)) [label=\(dotText(label(t))), style=dashed];\n"
            }
        }
        out += "}\n"
        return out
    }
}

extension String {
    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        var result = ""
        var rest = Substring(self)
        while let range = rest.range(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
