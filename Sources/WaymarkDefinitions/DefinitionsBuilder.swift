import Foundation
import WaymarkModel
import WaymarkYAML

/// Gathers the definitions of every file, then checks what spans files: duplicate ids and references to
/// calendars and pathways defined elsewhere.
struct DefinitionsBuilder {
    static let kinds = ["pathway", "ruleset", "calendar"]

    var definitions = Definitions()
    private var calendarReferences: [Reference] = []
    private var pathwayReferences: [Reference] = []
    private var diagnostics: [Diagnostic] = []
    /// Ids of every file of the kind, even those whose definition had errors, so that a mistake inside a
    /// pathway is not reported again as an unknown pathway in every file that names it.
    private var knownPathways: Set<String> = []
    private var knownCalendars: Set<String> = []
    private var ruleLocations: [String: SourceLocation] = [:]
    private var tableLocations: [String: SourceLocation] = [:]

    /// A file that is not valid YAML may still define what other files name: its id is read from its
    /// top-level line (`pathway: id`), so that its YAML error is not echoed as "unknown pathway" elsewhere.
    mutating func noteUnreadable(_ bytes: [UInt8]) {
        var ids: [String: String] = [:]
        for line in String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline) {
            for kind in Self.kinds where line.hasPrefix(kind + ":") {
                let value = line.dropFirst(kind.count + 1).split(separator: "#").first ?? ""
                ids[kind] = value.trimmingCharacters(in: .whitespaces)
            }
        }
        if let id = ids["pathway"] {
            knownPathways.insert(id)
        } else if ids["ruleset"] == nil, let id = ids["calendar"] {
            knownCalendars.insert(id)
        }
    }

    mutating func read(_ context: FileContext) {
        guard let root = context.document.root else {
            context.error(
                "the file is empty: a definitions file starts with `pathway:`, `ruleset:` or `calendar:`",
                at: SourceLocation(file: context.path, line: 1, column: 1), code: "unknown-kind")
            return
        }
        let keys = root.mapping?.compactMap { $0.key.text } ?? []
        // Pathways and rule sets name their calendar with a `calendar:` field, so `calendar:` tells the kind
        // only when neither of the others is there.
        var kinds = Self.kinds.filter { keys.contains($0) }
        if kinds.count > 1 { kinds.removeAll { $0 == "calendar" } }
        guard kinds.count == 1, let kind = kinds.first else {
            if kinds.count > 1 {
                context.error(
                    "the file has both `pathway:` and `ruleset:`; put each in its own file",
                    at: root, code: "unknown-kind")
            } else {
                let hint = keys.lazy.compactMap { Suggestion.closest(to: $0, in: Self.kinds) }.first
                context.error(
                    "the file is not a pathway, rule set or calendar: it needs a top-level `pathway:`, `ruleset:` "
                        + "or `calendar:` key" + (hint.map { "; did you mean `\($0)`?" } ?? ""),
                    at: root, code: "unknown-kind")
            }
            return
        }
        if let id = root[kind]?.text {
            switch kind {
            case "pathway": knownPathways.insert(id)
            case "calendar": knownCalendars.insert(id)
            default: break
            }
        }
        switch kind {
        case "pathway":
            guard let pathway = context.pathway(root, calendars: &calendarReferences) else { return }
            if let first = definitions.pathways[pathway.id] {
                duplicate("pathway", pathway.id, at: pathway.location, first: first.location)
            } else {
                definitions.pathways[pathway.id] = pathway
            }
        case "ruleset":
            guard
                let ruleSet = context.ruleSet(root, calendars: &calendarReferences, pathways: &pathwayReferences)
            else { return }
            if let first = definitions.ruleSets[ruleSet.id] {
                duplicate("rule set", ruleSet.id, at: ruleSet.location, first: first.location)
                return
            }
            for rule in ruleSet.rules {
                if let first = ruleLocations[rule.id] {
                    duplicate("rule", rule.id, at: rule.location, first: first)
                } else {
                    ruleLocations[rule.id] = rule.location
                }
            }
            for table in ruleSet.tables {
                if let first = tableLocations[table.name] {
                    duplicate("decision table", table.name, at: table.location, first: first)
                } else {
                    tableLocations[table.name] = table.location
                }
            }
            definitions.ruleSets[ruleSet.id] = ruleSet
        default:
            guard let calendar = context.calendar(root), let location = calendar.location else { return }
            if let first = definitions.calendars[calendar.id]?.location {
                duplicate("calendar", calendar.id, at: location, first: first)
            } else {
                definitions.calendars[calendar.id] = calendar
            }
        }
    }

    private mutating func duplicate(_ kind: String, _ id: String, at location: SourceLocation, first: SourceLocation) {
        let place = first.file == location.file ? "line \(first.line)" : "\(first.file):\(first.line)"
        diagnostics.append(
            .error(
                "\(kind) `\(id)` is already defined (at \(place)); ids must be unique", at: location,
                code: "duplicate-id"))
    }

    /// Checks references between files, once every file is read.
    mutating func crossCheck() -> [Diagnostic] {
        let calendarIDs = knownCalendars.sorted()
        for reference in calendarReferences where !knownCalendars.contains(reference.id) {
            diagnostics.append(
                .error(
                    "unknown calendar `\(reference.id)`"
                        + (calendarIDs.isEmpty
                            ? ": no calendar file is defined under workflows/ or rules/"
                            : "; known calendars: \(calendarIDs.joined(separator: ", "))"
                                + Suggestion.didYouMean(reference.id, in: calendarIDs)),
                    at: reference.location, code: "unknown-calendar"))
        }
        let pathwayIDs = knownPathways.sorted()
        for reference in pathwayReferences where !knownPathways.contains(reference.id) {
            diagnostics.append(
                .error(
                    "unknown pathway `\(reference.id)`" + Suggestion.didYouMean(reference.id, in: pathwayIDs),
                    at: reference.location, code: "unknown-pathway"))
        }
        return diagnostics
    }
}
