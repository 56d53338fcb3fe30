// libFuzzer's entry point for event batches, the bytes of `POST /v1/events` and of `waymark run`'s
// files. They are decoded all or nothing. A batch that decodes is run with the shipped definitions
// twice, as the daemon runs it (one engine keeping every case) and as `waymark run` does (case by
// case, spilled and merged), both through the end of the last event's date, open and full: the two
// JSON texts must be the same, byte for byte. The engine's report is also written as CSV and as the
// table. A decoding error is expected; a trap, a hang, a leak or two different JSON texts is a finding.
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
