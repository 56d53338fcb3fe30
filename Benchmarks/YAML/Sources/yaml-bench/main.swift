import CBareLoop
import Foundation
import WaymarkYAML

/// Generates a ~20 MB definitions tree in a temporary folder, then prints MB/s for libyaml's bare event
/// loop, Waymark's node tree, and Yams (in `yams-bench`, on the same files). Best of several rounds.
let megabytes = Int(ProcessInfo.processInfo.environment["YAML_BENCH_MB"] ?? "") ?? 20
/// `YAML_BENCH_ONLY=bare|ours|none` runs one part once, for counting instructions with `perf stat`
/// when the machine is too busy for wall-clock figures to mean much.
let only = ProcessInfo.processInfo.environment["YAML_BENCH_ONLY"]
let rounds = only == nil ? 5 : 1
let root = FileManager.default.temporaryDirectory.appendingPathComponent("waymark-yaml-bench-\(getpid())")
defer { try? FileManager.default.removeItem(at: root) }
let urls = try Generator.write(to: root, megabytes: megabytes)
let files = try urls.map { [UInt8](try Data(contentsOf: $0)) }
let bytes = files.reduce(0) { $0 + $1.count }
let mb = Double(bytes) / 1_048_576
print(String(format: "input: %d files, %.1f MB", files.count, mb))

func best(_ body: () throws -> Int) rethrows -> (seconds: Double, result: Int) {
    var fastest = Double.infinity
    var result = 0
    for _ in 0..<rounds {
        let start = DispatchTime.now().uptimeNanoseconds
        result = try body()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        fastest = min(fastest, seconds)
    }
    return (fastest, result)
}

func report(_ name: String, _ seconds: Double, _ detail: String) {
    let padded = name.padding(toLength: 34, withPad: " ", startingAt: 0)
    print(padded + String(format: "%8.1f MB/s  (%.3f s)  ", mb / seconds, seconds) + detail)
}

if only == "none" { exit(0) }
let bare = only == "ours" ? (seconds: 1.0, result: 0) : best {
    files.reduce(0) { total, file in
        total + file.withUnsafeBufferPointer { Int(bare_event_loop($0.baseAddress, $0.count)) }
    }
}
report("libyaml bare event loop (C)", bare.seconds, "\(bare.result) events")

func countNodes(_ node: YAMLNode) -> Int {
    switch node.content {
    case .scalar: 1
    case .sequence(let items): items.reduce(1) { $0 + countNodes($1) }
    case .mapping(let pairs): pairs.reduce(1) { $0 + countNodes($1.key) + countNodes($1.value) }
    }
}

if only == "bare" { exit(0) }
let ours = try best {
    var documents = 0
    for (i, file) in files.enumerated() {
        let document = try YAMLParser.parse(file, file: urls[i].lastPathComponent)
        documents += document.root == nil ? 0 : 1
    }
    return documents
}
if only != nil { exit(0) }
let nodes = try files.enumerated().reduce(0) {
    $0 + (try YAMLParser.parse($1.element, file: urls[$1.offset].lastPathComponent).root.map(countNodes) ?? 0)
}
report("WaymarkYAML node tree", ours.seconds, "\(nodes) nodes")
print(String(format: "WaymarkYAML / bare: %.2fx the time", ours.seconds / bare.seconds))

// Yams runs in its own process: it links its own copy of libyaml under the same symbol names.
let yams = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("yams-bench")
if FileManager.default.isExecutableFile(atPath: yams.path) {
    let process = Process()
    process.executableURL = yams
    process.arguments = [String(rounds)] + urls.map(\.path)
    fflush(nil)
    try process.run()
    process.waitUntilExit()
} else {
    print("yams-bench not built; run `swift build -c release` first")
}
