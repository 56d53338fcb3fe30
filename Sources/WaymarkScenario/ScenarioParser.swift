import Foundation
import WaymarkFEEL
import WaymarkModel
import WaymarkYAML

/// Reads scenario files (spec section 7) from the YAML node tree, keeping every position.
///
/// A file holds one scenario (a mapping with `scenario:`), or a list of them. Unknown keys are
/// errors rather than silently ignored, so that a misspelt `no_alert:` cannot make a test pass.
public enum ScenarioParser {
    /// Parses a file's bytes; `file` is the name errors carry.
    public static func parse(_ bytes: [UInt8], file: String) throws(ScenarioError) -> [Scenario] {
        let document: YAMLDocument
        do {
            document = try YAMLParser.parse(bytes, file: file)
        } catch {
            throw ScenarioError(
                error.message, at: SourceLocation(file: file, line: error.line, column: error.column))
        }
        guard let root = document.root else {
            throw ScenarioError(
                "the file is empty: expected a scenario", at: SourceLocation(file: file, line: 1, column: 1))
        }
        var parser = Parser()
        if let items = root.sequence {
            var scenarios: [Scenario] = []
            for item in items {
                scenarios.append(try parser.scenario(item))
            }
            return scenarios
        }
        return [try parser.scenario(root)]
    }

    /// Parses text (for tests and small inputs).
    public static func parse(_ text: String, file: String = "<string>") throws(ScenarioError) -> [Scenario] {
        try parse(Array(text.utf8), file: file)
    }
}

/// The parser's state: the event numbers used so far in the file.
private struct Parser {
    var eventCount = 0

    mutating func scenario(_ node: YAMLNode) throws(ScenarioError) -> Scenario {
        let pairs = try mapping(node, what: "a scenario")
        try checkKeys(pairs, allowed: ["scenario", "description", "events", "as_of", "expect"], in: "a scenario")
        guard let nameNode = node["scenario"] else {
            throw ScenarioError("a scenario needs `scenario:` (its title)", at: location(node))
        }
        let name = try text(nameNode, what: "the scenario's title")
        guard let eventsNode = node["events"] else {
            throw ScenarioError("a scenario needs `events:` (a list of events)", at: location(node))
        }
        guard let eventNodes = eventsNode.sequence else {
            throw ScenarioError(
                "`events` must be a list of events, not \(eventsNode.kindDescription)", at: location(eventsNode))
        }
        eventCount = 0
        var events: [ScenarioEvent] = []
        for eventNode in eventNodes {
            events.append(try event(eventNode))
        }
        try checkNumberedIDs(events, nodes: eventNodes)
        var asOf: FEELDate?
        if let asOfNode = node["as_of"] {
            let value = try text(asOfNode, what: "`as_of`")
            guard let date = ScenarioDates.date(value) else {
                throw ScenarioError("`as_of` must be a date (YYYY-MM-DD), not `\(value)`", at: location(asOfNode))
            }
            asOf = date
        }
        var expectations: [Expectation] = []
        if let expectNode = node["expect"] {
            let expectPairs = try mapping(expectNode, what: "`expect`")
            try checkKeys(expectPairs, allowed: Expectation.Kind.allCases.map(\.rawValue), in: "`expect`")
            for pair in expectPairs {
                guard let keyText = pair.key.text, let kind = Expectation.Kind(rawValue: keyText) else { continue }
                guard let items = pair.value.sequence else {
                    if pair.value.scalar?.isNull == true { continue }
                    throw ScenarioError(
                        "`\(keyText)` must be a list of expected \(kind.subject.rawValue)s, not \(pair.value.kindDescription)",
                        at: location(pair.value))
                }
                for item in items {
                    expectations.append(try expectation(item, kind: kind))
                }
            }
        }
        return Scenario(name: name, location: location(node), events: events, asOf: asOf, expectations: expectations)
    }

    mutating func event(_ node: YAMLNode) throws(ScenarioError) -> ScenarioEvent {
        eventCount += 1
        let pairs = try mapping(node, what: "an event")
        try checkKeys(pairs, allowed: ["id", "case", "type", "at", "facts", "data"], in: "an event")
        func required(_ key: String) throws(ScenarioError) -> String {
            guard let value = node[key] else {
                throw ScenarioError("an event needs `\(key):`", at: location(node))
            }
            let result = try text(value, what: "the event's `\(key)`")
            guard !result.isEmpty else { throw ScenarioError("the event's `\(key)` is empty", at: location(value)) }
            return result
        }
        let caseID = try required("case")
        let type = try required("type")
        let at = try required("at")
        if let atNode = node["at"], !ScenarioDates.isInstant(at) {
            throw ScenarioError(
                "`at` must be an ISO 8601 date or date-time (2025-01-06 or 2025-01-06T10:15:00Z), not `\(at)`",
                at: location(atNode))
        }
        let id = node["id"] != nil ? try required("id") : "e-\(eventCount)"
        var facts: FEELContext?
        if let factsNode = node["facts"] {
            facts = try context(factsNode, what: "`facts`")
        }
        var data: FEELContext?
        if let dataNode = node["data"] {
            data = try context(dataNode, what: "`data`")
        }
        return ScenarioEvent(
            id: id, caseID: caseID, type: type, at: at, facts: facts, data: data, location: location(node))
    }

    /// A numbered id that an explicit id elsewhere also uses would make one of them a silent duplicate.
    func checkNumberedIDs(_ events: [ScenarioEvent], nodes: [YAMLNode]) throws(ScenarioError) {
        var numbered: [String: Int] = [:]
        for (index, node) in nodes.enumerated() where node["id"] == nil {
            numbered[events[index].id] = index
        }
        for (index, node) in nodes.enumerated() {
            guard let idNode = node["id"], let other = numbered[events[index].id] else { continue }
            throw ScenarioError(
                "id `\(events[index].id)` is also the number given to event \(other + 1), which has no id; "
                    + "give that event an id, or choose another here",
                at: location(idNode))
        }
    }

    func expectation(_ node: YAMLNode, kind: Expectation.Kind) throws(ScenarioError) -> Expectation {
        let what = "an expected \(kind.subject.rawValue)"
        let pairs = try mapping(node, what: what)
        let allowed = kind.subject.fields
        try checkKeys(pairs, allowed: allowed, in: what)
        var fields: [Expectation.Field] = []
        for pair in pairs {
            guard let name = pair.key.text else { continue }
            guard let scalar = pair.value.scalar else {
                throw ScenarioError(
                    "`\(name)` must be a single value, not \(pair.value.kindDescription)", at: location(pair.value))
            }
            fields.append(
                Expectation.Field(
                    name: name, value: scalar.isNull ? nil : scalar.text, location: location(pair.value)))
        }
        if fields.isEmpty {
            throw ScenarioError(
                "\(what) must name at least one field (\(allowed.joined(separator: ", ")))", at: location(node))
        }
        return Expectation(kind: kind, fields: fields, location: location(node))
    }

    // MARK: - Values

    /// A mapping of facts or data as a FEEL context: plain `true`/`false` are booleans, plain numbers
    /// are numbers, `null`/`~` is null, everything else (dates included, quoted scalars always) is a
    /// string, as the same value would be in a JSON event.
    func context(_ node: YAMLNode, what: String) throws(ScenarioError) -> FEELContext {
        let pairs = try mapping(node, what: what)
        var entries: [(key: String, value: FEELValue)] = []
        for pair in pairs {
            let key = try text(pair.key, what: "a key")
            entries.append((key, try value(pair.value)))
        }
        return FEELContext(entries)
    }

    func value(_ node: YAMLNode) throws(ScenarioError) -> FEELValue {
        switch node.content {
        case .mapping:
            return .context(try context(node, what: "a value"))
        case .sequence(let items):
            var values: [FEELValue] = []
            for item in items {
                values.append(try value(item))
            }
            return .list(values)
        case .scalar(let scalar):
            guard scalar.style == .plain else { return .string(scalar.text) }
            if scalar.isNull { return .null }
            switch scalar.text {
            case "true", "True", "TRUE": return .boolean(true)
            case "false", "False", "FALSE": return .boolean(false)
            default: break
            }
            if ScenarioDates.isJSONNumber(scalar.text), let number = Decimal(string: scalar.text) {
                return .number(number)
            }
            return .string(scalar.text)
        }
    }

    // MARK: - Shapes

    func mapping(_ node: YAMLNode, what: String) throws(ScenarioError) -> [YAMLPair] {
        guard let pairs = node.mapping else {
            throw ScenarioError("\(what) must be a mapping, not \(node.kindDescription)", at: location(node))
        }
        return pairs
    }

    func text(_ node: YAMLNode, what: String) throws(ScenarioError) -> String {
        guard let scalar = node.scalar, !scalar.isNull else {
            throw ScenarioError("\(what) must be a single value, not \(node.kindDescription)", at: location(node))
        }
        return scalar.text
    }

    func checkKeys(_ pairs: [YAMLPair], allowed: [String], in what: String) throws(ScenarioError) {
        for pair in pairs {
            let key = pair.key.text ?? ""
            if !allowed.contains(key) {
                throw ScenarioError(
                    "unknown key `\(key)` in \(what); expected one of: \(allowed.joined(separator: ", "))",
                    at: location(pair.key))
            }
        }
    }

    func location(_ node: YAMLNode) -> SourceLocation {
        SourceLocation(file: node.file, line: node.start.line, column: node.start.column)
    }
}
