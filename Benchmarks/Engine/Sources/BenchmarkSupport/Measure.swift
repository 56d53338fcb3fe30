import Foundation
import MallocInfo
import WaymarkDefinitions
public import WaymarkModel

/// Reads a figure from /proc/self/status (`VmRSS`, `VmHWM`), in KiB.
public func status(_ key: String) -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in text.split(separator: "\n") where line.hasPrefix(key + ":") {
        return Int(line.split(separator: " ").dropFirst().first { !$0.isEmpty }.map(String.init) ?? "0") ?? 0
    }
    return 0
}

/// Resets the resident peak (`VmHWM`) to the current resident size, so that the next peak read is
/// the work's own.
public func resetResidentPeak() {
    if let f = fopen("/proc/self/clear_refs", "w") {
        fputs("5", f)
        fclose(f)
    }
}

/// Bytes the allocator has handed out and not had back: the engine's own size, without the pages
/// that freed memory leaves resident.
public func allocatedBytes() -> Int { Int(malloc_info_allocated()) }

/// Gives freed memory back to the system, so that a resident size counts only what is in use.
public func trimMemory() { malloc_info_trim() }

public func seconds(_ start: ContinuousClock.Instant) -> Double {
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

/// CPU seconds this process has used: on a shared machine the wall clock also counts other
/// processes' turns, so the figures are printed both ways.
public func cpuSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// The value after `name` on the command line, or `fallback`.
public func option(_ name: String, _ fallback: String) -> String {
    let args = CommandLine.arguments
    if let i = args.firstIndex(of: name), i + 1 < args.count { return args[i + 1] }
    return fallback
}

/// The array `array` held, with `array` emptied: the caller's variable (a global, in a `main.swift`)
/// lets go of it, so the engine gets the only reference and can move the events out.
public func handOver<T>(_ array: inout [T]) -> [T] {
    defer { array = [] }
    return array
}

/// The definitions in `root`, or the process ends (exit 2) with why they cannot be loaded.
public func loadDefinitions(_ root: String) -> Definitions {
    let loaded: LoadedDefinitions
    do {
        loaded = try DefinitionsLoader(root: root).load()
    } catch {
        print("cannot load definitions from \(root): \(error)")
        exit(2)
    }
    if loaded.hasErrors {
        for d in loaded.diagnostics where d.severity == .error { print("\(d.location): \(d.message)") }
        exit(2)
    }
    return loaded.definitions
}
