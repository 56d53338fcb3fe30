import Foundation
import Synchronization

/// The built `waymark serve` running as a child process, the way an operator runs it, so that a
/// test can kill it with SIGKILL or stop it with SIGTERM and restart it on the same store.
final class ServeProcess: Sendable {
    let port: Int
    private let process: Process
    private let log: LogBox

    private init(port: Int, process: Process, log: LogBox) {
        self.port = port
        self.process = process
        self.log = log
    }

    var base: String { "http://127.0.0.1:\(port)" }
    var pid: Int32 { process.processIdentifier }
    /// Everything the daemon wrote to standard error so far (its log).
    var stderr: String { log.text }

    /// The repository's root, for the shipped definitions and the example cohort.
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    struct BinaryMissing: Error, CustomStringConvertible {
        var description: String {
            "the `waymark` executable was not found beside the test bundle; run `swift build` first"
        }
    }

    /// The `waymark` executable that `swift build` (and `swift test`, through the test target's
    /// dependency on it) puts beside the test bundle.
    static func binary() throws -> URL {
        var directory = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("waymark")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        let fallback = repositoryRoot.appendingPathComponent(".build/debug/waymark")
        if FileManager.default.isExecutableFile(atPath: fallback.path) { return fallback }
        throw BinaryMissing()
    }

    struct DidNotStart: Error, CustomStringConvertible {
        var status: Int32?
        var log: String
        var description: String { "waymark serve did not start (status \(status.map(String.init) ?? "-")):\n\(log)" }
    }

    /// Runs `waymark serve` with the arguments (plus `--listen 127.0.0.1:0` unless given) and waits
    /// until its log says which port it is listening on.
    static func start(_ arguments: [String], logLevel: String = "debug") async throws -> ServeProcess {
        let (process, log) = try launch(
            arguments.contains("--listen") ? arguments : arguments + ["--listen", "127.0.0.1:0"], logLevel: logLevel)
        for _ in 0..<600 {
            if let port = listeningPort(in: log.text) {
                return ServeProcess(port: port, process: process, log: log)
            }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        if process.isRunning { process.terminate() }
        throw DidNotStart(status: process.isRunning ? nil : process.terminationStatus, log: log.text)
    }

    /// Runs `waymark serve` to its end and returns its status and log (for start-up refusals).
    static func runToEnd(_ arguments: [String]) async throws -> (status: Int32, stderr: String) {
        let (process, log) = try launch(arguments, logLevel: "info")
        for _ in 0..<600 where process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return (process.terminationStatus, log.text)
    }

    private static func launch(_ arguments: [String], logLevel: String) throws -> (Process, LogBox) {
        let process = Process()
        process.executableURL = try binary()
        process.arguments = ["serve"] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["WAYMARK_LOG_LEVEL"] = logLevel
        process.environment = environment
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = FileHandle.nullDevice
        let box = LogBox()
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
            } else {
                box.append(String(decoding: data, as: UTF8.self))
            }
        }
        try process.run()
        return (process, box)
    }

    /// The port in the daemon's `listening` log line (`address=127.0.0.1:PORT ... listening`).
    static func listeningPort(in log: String) -> Int? {
        for line in log.split(separator: "\n") where line.hasSuffix("listening") {
            guard let range = line.range(of: "address=127.0.0.1:") else { continue }
            let digits = line[range.upperBound...].prefix { $0.isNumber }
            if let port = Int(digits), port > 0 { return port }
        }
        return nil
    }

    /// SIGKILL: no shutdown, no flush; what was committed is all that survives.
    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM, then waits for the graceful exit; returns the exit status.
    func terminate() -> Int32 {
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        return process.terminationStatus
    }

    func sendHangUp() { kill(process.processIdentifier, SIGHUP) }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

/// Shares the log buffer with the pipe's reading handler.
private final class LogBox: Sendable {
    private let log = Mutex("")
    var text: String { log.withLock { $0 } }
    func append(_ text: String) { log.withLock { $0 += text } }
}

/// The fixture pathway of `Fixture.definitions()` as a definitions folder on disk, for the child
/// process: a referral opens `assess` with a `decide` task due in 2 days and a 3-day limit.
enum FixtureFolder {
    static func write(to root: String, taskTitle: String = "Decide on the referral") throws {
        let files = [
            "workflows/calendars/test.yaml": """
            calendar: test
            time_zone: UTC
            working_days: [mon, tue, wed, thu, fri, sat, sun]
            holidays: []
            """,
            "workflows/intake.yaml": """
            pathway: intake
            version: 1
            title: Intake
            calendar: test
            enrol:
              on: referral.received
            start: assess
            stages:
              assess:
                title: Assess
                tasks:
                  - key: decide
                    title: \(taskTitle)
                    role: social-worker
                    due: 2 days
                    done_on: referral.decided
                within: 3 days
                on_breach:
                  - alert: { severity: high, message: "Assessment late" }
                transitions:
                  - on: referral.decided
                    to: closed
              closed:
                title: Closed
                final: true
            """,
        ]
        for (path, text) in files {
            let url = URL(fileURLWithPath: root).appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data((text + "\n").utf8).write(to: url)
        }
    }
}
