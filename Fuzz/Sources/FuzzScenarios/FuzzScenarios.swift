// libFuzzer's entry point for scenario files (`waymark test`): parsed, and run against the shipped
// definitions when they parse. A positioned error is expected; a trap, a hang or a leak is a finding.
//
// `WAYMARK_ROOT` names the repository (default: one level up from where `scripts/fuzz.sh` runs it).

import Foundation
import WaymarkScenario

let runner: ScenarioRunner = {
    let root = ProcessInfo.processInfo.environment["WAYMARK_ROOT"] ?? ".."
    do {
        return try ScenarioRunner(definitionsRoot: root)
    } catch {
        fatalError("cannot load the definitions from \(root): \(error)")
    }
}()

func fuzzScenarios(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let scenarios = try? ScenarioParser.parse(bytes, file: "fuzz.yaml") else { return 0 }
    for scenario in scenarios { _ = runner.run(scenario) }
    return 0
}
