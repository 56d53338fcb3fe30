// libFuzzer's entry point for definition files. The first byte of an input picks one of the
// shipped files (workflows, rules, calendars) and the rest takes its place; the others stay, so
// that references across files resolve and a mutation reaches past the YAML into the readers, the
// FEEL compiler and the cross-checks. Every diagnostic must name a line and a column in a file
// that was loaded. Definitions that load without an error then run the first events of the
// committed cohort, through the engine and case by case, whose JSON must be the same.
//
// `WAYMARK_ROOT` names the repository (default: one level up from where `scripts/fuzz.sh` runs it).

import Foundation
import FuzzSupport
import WaymarkDefinitions
import WaymarkEngine
import WaymarkModel

let root = ProcessInfo.processInfo.environment["WAYMARK_ROOT"] ?? ".."

/// The shipped files, in a fixed order (the loader's own, sorted).
let shipped: [(path: String, contents: [UInt8])] = {
    guard let paths = try? DefinitionsLoader(root: root).definitionFiles(), !paths.isEmpty else {
        fatalError("no definition files under \(root)")
    }
    return paths.map { path in
        guard let data = FileManager.default.contents(atPath: root + "/" + path) else {
            fatalError("cannot read \(path) under \(root)")
        }
        return (path, Array(data))
    }
}()

/// The first 400 lines of the committed cohort: enough for every pathway to be entered.
let events: [UInt8] = {
    guard let data = FileManager.default.contents(atPath: root + "/examples/cohort.jsonl") else {
        fatalError("cannot read examples/cohort.jsonl under \(root)")
    }
    let lines = data.split(separator: 0x0A, omittingEmptySubsequences: true).prefix(400)
    return Array(lines.joined(separator: [0x0A]))
}()

func fuzzDefinitions(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    guard size > 0 else { return 0 }
    let input = UnsafeBufferPointer(start: data, count: size)
    var files = shipped
    let chosen = Int(input[0]) % files.count
    files[chosen].contents = Array(input.dropFirst())
    let loaded = DefinitionsLoader.load(files: files)
    let paths = Set(files.map(\.path))
    for d in loaded.diagnostics {
        precondition(d.location.line >= 1 && d.location.column >= 1, "diagnostic without a position: \(d)")
        precondition(paths.contains(d.location.file), "diagnostic in a file never loaded: \(d)")
    }
    guard !loaded.hasErrors else { return 0 }
    let definitions = loaded.definitions
    let (engineJSON, caseByCaseJSON) = bothWays(events, definitions, openOnly: false)
    if engineJSON != caseByCaseJSON {
        fatalError("the engine and case by case differ on definitions that load")
    }
    return 0
}
