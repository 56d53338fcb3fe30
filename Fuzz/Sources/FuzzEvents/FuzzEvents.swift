// libFuzzer's entry point for event batches, the bytes of `POST /v1/events` and of `waymark run`'s
// files. They are decoded all or nothing. A batch that decodes is run with the shipped definitions
// twice, as the daemon runs it (one engine keeping every case) and as `waymark run` does (case by
// case, spilled and merged), both through the end of the last event's date, open and full: the two
// JSON texts must be the same, byte for byte. The engine's report is also written as CSV and as the
// table. A decoding error is expected, and `waymark run`'s index must refuse the batch with the same
// problems; a trap, a hang, a leak, two different JSON texts or two different refusals is a finding.
//
// `WAYMARK_ROOT` names the definitions folder (default: the repository, one level up from where
// `scripts/fuzz.sh` runs this).

import Foundation
import FuzzSupport
import WaymarkDefinitions
import WaymarkEngine
import WaymarkModel

let definitions: Definitions = {
    let root = ProcessInfo.processInfo.environment["WAYMARK_ROOT"] ?? ".."
    guard let loaded = try? DefinitionsLoader(root: root).load(), !loaded.hasErrors else {
        fatalError("cannot load the definitions from \(root)")
    }
    return loaded.definitions
}()

/// The zone a bare date is read in: the definitions' calendar's, as `waymark run` reads it.
let zoneID = Engine(definitions: definitions).timeZoneID

func fuzzEvents(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let events: [Event]
    do {
        events = try EventDecoder.decode(bytes, timeZoneID: zoneID)
    } catch {
        precondition(!error.problems.isEmpty, "a refused batch names no problem")
        // `waymark run` reads a batch through its index, which checks `data` and `facts` without
        // building them: it must refuse the batch too, with the same problems in the same words.
        var run = CaseByCaseRun(definitions: definitions)
        do {
            try run.add(bytes)
            fatalError("case by case took what the decoder refused: \(error.problems)")
        } catch let refused {
            func words(_ e: EventBatchError) -> [String] {
                e.problems.map { "\($0.line) \($0.field ?? "-") \($0.message)" }
            }
            if words(refused) != words(error) {
                fatalError("case by case refused in other words:\n\(words(error))\n---\n\(words(refused))")
            }
        }
        return 0
    }
    for openOnly in [false, true] {
        let (a, b) = bothWays(bytes, decoded: events, definitions, openOnly: openOnly)
        if a != b {
            fatalError("the engine and case by case differ (openOnly: \(openOnly)):\n\(a)\n---\n\(b)")
        }
    }
    return 0
}
