import Foundation
import Testing

/// Checks every shipped definition and scenario file against the JSON Schemas in `schemas/`.
///
/// The schemas are what editors use to complete and underline a service designer's YAML, so they
/// must accept every file we ship and refuse a misspelt key. The check runs Python's `jsonschema`
/// (draft 2020-12) rather than a Swift validator: no well-kept JSON Schema library is in the package
/// mirror, and `jsonschema` is the reference implementation editors agree with.
@Suite struct SchemaTests {
    /// The repository root, found from this file's place in it (`Tests/WaymarkDefinitionsTests/`).
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func everyShippedFileMatchesItsSchema() throws {
        let report = try Self.validate([])
        let kinds = Set(report.map(\.kind))
        // Guards against a test that passes because it found nothing to check.
        #expect(kinds.isSuperset(of: ["pathway", "ruleset", "calendar"]), "found only \(kinds.sorted())")
        #expect(report.count >= 5, "expected at least the five shipped definition files")
        for file in report {
            #expect(file.errors.isEmpty, "\(file.path):\n  \(file.errors.joined(separator: "\n  "))")
        }
    }

    @Test func shippedPathwaysAreAllChecked() throws {
        let paths = Set(try Self.validate([]).map(\.path))
        for name in ["right-balance", "cin-phase3", "lifelong-links"] {
            #expect(paths.contains("workflows/\(name).yaml"))
        }
        #expect(paths.contains("workflows/calendars/england-and-wales.yaml"))
        #expect(paths.contains("rules/escalation.yaml"))
    }

    @Test func misspeltTaskKeyIsRejected() throws {
        let shipped = try String(
            contentsOf: Self.root.appendingPathComponent("workflows/right-balance.yaml"), encoding: .utf8)
        let misspelt = shipped.replacingOccurrences(
            of: "        due: 1 working day\n", with: "        dew: 1 working day\n")
        #expect(misspelt != shipped, "the fixture edit did not apply")
        let errors = try Self.validateText(misspelt, name: "misspelt.yaml")
        #expect(errors.contains { $0.contains("'dew' was unexpected") }, "\(errors)")
        #expect(errors.contains { $0.contains("'due' is a required property") }, "\(errors)")
    }

    @Test func unknownStageKeyAndBadDurationAreRejected() throws {
        let text = """
            pathway: tiny
            version: 1
            title: Tiny
            calendar: england-and-wales
            enrol: { on: referral.received }
            start: first
            stages:
              first:
                within: five working days
                deadline: 3 days
                transitions: [{ on: case.closed, to: done }]
              done: { final: true }
            """
        let errors = try Self.validateText(text, name: "tiny.yaml")
        #expect(errors.contains { $0.contains("'deadline' was unexpected") }, "\(errors)")
        #expect(errors.contains { $0.hasPrefix("stages/first/within:") }, "\(errors)")
    }

    @Test func unmodifiedCopyIsAccepted() throws {
        let shipped = try String(
            contentsOf: Self.root.appendingPathComponent("rules/escalation.yaml"), encoding: .utf8)
        #expect(try Self.validateText(shipped, name: "copy.yaml") == [])
    }

    // MARK: - Running the validator

    struct FileReport {
        var path: String
        var kind: String
        var errors: [String]
    }

    struct ValidatorFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// Validates `text` as a file of its own (outside the repository, so its schema line is not checked).
    static func validateText(_ text: String, name: String) throws -> [String] {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("waymark-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent(name)
        try text.write(to: file, atomically: true, encoding: .utf8)
        let report = try validate(["--no-schema-line", file.path])
        return report.flatMap(\.errors)
    }

    /// Runs the validator over `arguments` (no files: every YAML file under workflows/, rules/, examples/).
    static func validate(_ arguments: [String]) throws -> [FileReport] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, root.path] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw ValidatorFailure(description: "cannot start python3 through /usr/bin/env: \(error)")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if process.terminationStatus == 127 {
            throw ValidatorFailure(
                description: "python3 is not installed; the schema check needs python3 with PyYAML and jsonschema")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ValidatorFailure(
                description: "the validator failed (exit \(process.terminationStatus)): \(errorText)")
        }
        if let fatal = object["fatal"] as? String {
            throw ValidatorFailure(description: fatal)
        }
        guard process.terminationStatus == 0, let files = object["files"] as? [[String: Any]] else {
            throw ValidatorFailure(
                description: "the validator failed (exit \(process.terminationStatus)): \(errorText)")
        }
        return files.map {
            FileReport(
                path: $0["path"] as? String ?? "?", kind: $0["kind"] as? String ?? "?",
                errors: $0["errors"] as? [String] ?? ["no error list"])
        }
    }

    /// The validator: loads YAML the way Waymark types plain scalars, finds each file's kind by its
    /// top-level key, checks its `yaml-language-server` line and validates it (draft 2020-12).
    static let script = #"""
        import json, os, re, sys
        try:
            import jsonschema, yaml
        except ImportError as error:
            print(json.dumps({"fatal": "python3 cannot import %s: install PyYAML and jsonschema (apt-get install python3-yaml python3-jsonschema, or pip install pyyaml jsonschema)" % error.name}))
            sys.exit(3)

        class Loader(yaml.SafeLoader):
            """Types plain scalars as Waymark does: only true/false are booleans (on, yes, no stay words), dates stay strings."""

        Loader.yaml_implicit_resolvers = {
            first: [(tag, regexp) for tag, regexp in resolvers if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
            for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
        }
        Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))

        args = sys.argv[1:]
        check_line = "--no-schema-line" not in args
        args = [a for a in args if a != "--no-schema-line"]
        root = args[0]
        files = args[1:]
        if not files:
            for folder in ("workflows", "rules", "examples"):
                for directory, _, names in os.walk(os.path.join(root, folder)):
                    files += [os.path.join(directory, n) for n in names if n.endswith((".yaml", ".yml"))]
        files.sort()
        schemas = {}
        for kind in ("pathway", "ruleset", "calendar", "scenario"):
            with open(os.path.join(root, "schemas", kind + ".schema.json")) as f:
                schema = json.load(f)
            jsonschema.Draft202012Validator.check_schema(schema)
            schemas[kind] = jsonschema.Draft202012Validator(schema)
        report = []
        for path in files:
            entry = {"path": os.path.relpath(path, root), "kind": None, "errors": []}
            report.append(entry)
            with open(path) as f:
                text = f.read()
            try:
                document = yaml.load(text, Loader=Loader)
            except yaml.YAMLError as error:
                entry["errors"].append("YAML: %s" % error)
                continue
            kind = next((k for k in schemas if isinstance(document, dict) and k in document), None)
            entry["kind"] = kind
            if kind is None:
                entry["errors"].append("no top-level pathway:, ruleset:, calendar: or scenario: key")
                continue
            if check_line:
                first = text.split("\n", 1)[0]
                match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
                wanted = os.path.join(os.path.abspath(root), "schemas", kind + ".schema.json")
                if not match or os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(path)), match.group(1))) != wanted:
                    entry["errors"].append("first line must be '# yaml-language-server: $schema=%s'" % os.path.relpath(wanted, os.path.dirname(os.path.abspath(path))))
            for error in sorted(schemas[kind].iter_errors(document), key=lambda e: list(map(str, e.absolute_path))):
                where = "/".join(map(str, error.absolute_path)) or "(top level)"
                entry["errors"].append("%s: %s" % (where, error.message))
        print(json.dumps({"files": report}))
        """#
}
