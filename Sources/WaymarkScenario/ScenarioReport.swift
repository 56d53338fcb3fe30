/// The text `waymark test` prints: a line per scenario, each failure's diff indented under it, and a
/// summary line `N passed, N failed`.
public struct ScenarioReport: Sendable {
    public private(set) var passed = 0
    public private(set) var failed = 0
    /// Files that could not be read or are not scenario files; they count as failures of the run.
    public private(set) var unreadable = 0

    public init() {}

    /// Counts the outcome and returns its lines (each ending in a newline); an unreadable file's error
    /// is returned separately, for standard error.
    public mutating func add(_ outcome: ScenarioFileOutcome) -> (out: String, error: String?) {
        if let error = outcome.error {
            unreadable += 1
            return ("", error.description + "\n")
        }
        var out = ""
        for result in outcome.results {
            if result.passed {
                passed += 1
                out += "PASS  \(outcome.file): \(result.scenario.name)\n"
                continue
            }
            failed += 1
            out += "FAIL  \(outcome.file): \(result.scenario.name)\n"
            for failure in result.failures {
                for line in failure.text.split(separator: "\n", omittingEmptySubsequences: false) {
                    out += "      \(line)\n"
                }
            }
            for problem in result.problems {
                out += "      engine: \(problem)\n"
            }
        }
        return (out, nil)
    }

    /// `12 passed, 1 failed` (with `, N unreadable` when some file could not be read).
    public var summary: String {
        "\(passed) passed, \(failed) failed" + (unreadable > 0 ? ", \(unreadable) unreadable" : "")
    }

    public var succeeded: Bool { failed == 0 && unreadable == 0 }
}
