import Foundation
import Yams

/// Yams on the files `yaml-bench` generated: `compose` (Yams' node tree) and `load` (Swift values).
let arguments = CommandLine.arguments.dropFirst()
let rounds = Int(arguments.first ?? "5") ?? 5
let texts = try arguments.dropFirst().map { try String(contentsOfFile: $0, encoding: .utf8) }
guard !texts.isEmpty else {
    print("usage: yams-bench ROUNDS FILE...  (yaml-bench runs it on the files it generates)")
    exit(2)
}
let mb = Double(texts.reduce(0) { $0 + $1.utf8.count }) / 1_048_576

func best(_ name: String, _ body: (String) throws -> Void) rethrows {
    var fastest = Double.infinity
    for _ in 0..<rounds {
        let start = DispatchTime.now().uptimeNanoseconds
        for text in texts { try body(text) }
        fastest = min(fastest, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    print(name.padding(toLength: 34, withPad: " ", startingAt: 0) + String(format: "%8.1f MB/s  (%.3f s)", mb / fastest, fastest))
}

try best("Yams compose (node tree)") { _ = try Yams.compose(yaml: $0) }
try best("Yams load (Swift values)") { _ = try Yams.load(yaml: $0) }
