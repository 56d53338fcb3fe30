import Foundation
import Testing
import WaymarkFEEL

/// Runs every case of the DMN TCK subset in `Resources/dev.jsonl` (copied from
/// `shared/conformance/feel-tck`, Apache 2.0, see `Resources/TCK-README.md`) and fails when the pass
/// rate falls below a floor that only ever goes up.
@Suite struct TCKConformanceTests {
    /// Raised as conformance improves; never lowered.
    static let floor = 0.9963

    static let casesURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Resources/dev.jsonl")

    /// A fixed clock: the TCK only asks `now()` and `today()` for their types.
    static let environment = FEELEnvironment(
        now: FEELDateTime(
            date: FEELDate(year: 2025, month: 1, day: 6),
            time: FEELTime(hour: 10, minute: 15, second: 0, offsetSeconds: 0)))

    struct Outcome {
        var id: String
        var passed: Bool
        var detail: String
    }

    static func run() throws -> [Outcome] {
        let text = try String(contentsOf: casesURL, encoding: .utf8)
        var outcomes: [Outcome] = []
        for line in text.split(separator: "\n") where !line.isEmpty {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let id = object["id"] as? String ?? "?"
            let expected = try FEELValue(typedJSON: object["expected"] as Any)
            let errorExpected = object["errorResult"] as? Bool ?? false
            do {
                let actual = try FEELConformance.evaluate(object, environment: Self.environment)
                let passed = FEELConformance.matches(actual, expected)
                outcomes.append(
                    Outcome(
                        id: id, passed: passed,
                        detail: "\(object["expression"] ?? "") => \(actual), expected \(expected)"))
            } catch {
                let passed = errorExpected || expected.isNull
                outcomes.append(
                    Outcome(id: id, passed: passed, detail: "\(object["expression"] ?? "") => error \(error)"))
            }
        }
        return outcomes
    }

    @Test func passRateIsAtLeastTheFloor() throws {
        let outcomes = try Self.run()
        let passed = outcomes.filter(\.passed).count
        let rate = Double(passed) / Double(outcomes.count)
        var byFolder: [String: [Outcome]] = [:]
        for outcome in outcomes where !outcome.passed {
            byFolder[String(outcome.id.split(separator: "/")[0]), default: []].append(outcome)
        }
        var report = "TCK dev: \(passed)/\(outcomes.count) passed (\(String(format: "%.2f", rate * 100))%)\n"
        for folder in byFolder.keys.sorted() {
            report += "  \(folder): \(byFolder[folder]!.count) failing\n"
            for outcome in byFolder[folder]! { report += "    \(outcome.id): \(outcome.detail)\n" }
        }
        print(report)
        #expect(outcomes.count > 2000)
        #expect(rate >= Self.floor, "pass rate \(rate) below the floor \(Self.floor)")
    }
}
