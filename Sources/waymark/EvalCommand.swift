import ArgumentParser
import Foundation
import WaymarkFEEL

/// `waymark eval`: evaluates one FEEL expression, or every case of a conformance file.
///
/// The command is an edge: it reads files and the wall clock (for `now()` and `today()`), and hands
/// values to the pure FEEL module.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a FEEL expression, or each case of a JSON Lines conformance file.",
        discussion: """
            With EXPR, prints the typed JSON value, e.g. {"type":"date","value":"2025-02-28"}.
            --context gives the variables as a plain JSON object ({"facts": {"age": 12}}).
            With --jsonl FILE, reads one case a line in the format of shared/conformance/feel-tck
            (id, expression, inputs, context.decisions, resultType) and prints one line per case:
            {"id": ..., "result": typed value} or {"id": ..., "error": "..."}.
            """
    )

    @Argument(help: "The FEEL expression.")
    var expression: String?

    @Option(name: .long, help: "The variables, as a JSON object.")
    var context: String?

    @Option(name: .long, help: "A JSON Lines file of conformance cases ('-' for standard input).")
    var jsonl: String?

    func run() throws {
        let environment = FEELEnvironment(now: Self.wallClock())
        if let jsonl {
            if expression != nil || context != nil { fail("--jsonl takes no expression or --context") }
            try runFile(jsonl, environment)
            return
        }
        guard let expression else { fail("give an expression, or --jsonl FILE") }
        var names: [String] = []
        var values: [FEELValue] = []
        if let context {
            guard let object = try? JSONSerialization.jsonObject(with: Data(context.utf8)) as? [String: Any] else {
                fail("--context is not a JSON object")
            }
            for key in object.keys.sorted() {
                names.append(key)
                values.append(FEELValue(json: object[key]!))
            }
        }
        let compiled: FEELExpression
        do {
            compiled = try FEELExpression(expression, names: names)
        } catch {
            fail("\(error.line):\(error.column): \(error.message)")
        }
        print(compiled.evaluate(values, environment: environment).typedJSONText)
    }

    private func runFile(_ path: String, _ environment: FEELEnvironment) throws {
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
            data = contents
        }
        var output = ""
        for (number, line) in String(decoding: data, as: UTF8.self).split(separator: "\n").enumerated() {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
                output += #"{"id":null,"error":"# + Self.quote("\(path):\(number + 1): not a JSON object") + "}\n"
                continue
            }
            let id = (object["id"] as? String).map(Self.quote) ?? "null"
            do {
                let value = try FEELConformance.evaluate(object, environment: environment)
                output += #"{"id":\#(id),"result":\#(value.typedJSONText)}"# + "\n"
            } catch {
                output += #"{"id":\#(id),"error":\#(Self.quote(error.description))}"# + "\n"
            }
            if output.utf8.count > 1 << 16 {
                FileBytes.writeOrExit(output, command: "eval")
                output = ""
            }
        }
        FileBytes.writeOrExit(output, command: "eval")
    }

    static func quote(_ s: String) -> String {
        FEELValue.string(s).typedJSONText.dropFirst(#"{"type":"string","value":"#.count).dropLast().description
    }

    /// The current instant in UTC, for `now()`.
    static func wallClock() -> FEELDateTime {
        let seconds = Int(Date().timeIntervalSince1970)
        let day = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let rest = seconds - day * 86400
        return FEELDateTime(
            date: FEELDate(dayNumber: day),
            time: FEELTime(hour: rest / 3600, minute: rest % 3600 / 60, second: rest % 60, offsetSeconds: 0))
    }

    private func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("waymark eval: \(message)\n".utf8))
        Foundation.exit(2)
    }
}
