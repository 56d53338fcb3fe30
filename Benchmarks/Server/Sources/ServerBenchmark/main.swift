import Foundation
import Logging
import WaymarkDefinitions
import WaymarkServer

// The daemon benchmark. Everything runs in this process: the daemon on a loopback port with a
// real SQLite file (WAL, synchronous=FULL: every 2xx is on disk), and a URLSession load generator
// with several connections posting batches of 100 JSON lines. URLSession (Foundation, over libcurl
// on Linux) adds its own overhead to every latency printed here, so the figures are upper bounds.
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
//
// The definitions: ten pathways, one per team, each enrolling a referral whose `facts.team` names
// it and opening one task for that team's role; so N referrals give N open tasks, N / 10 per role.

struct Options {
    var cases = 100_000
    var connections = 16
    var queries = 1_000
    /// `--store URL`: an empty PostgreSQL database (`postgres://...`) to measure instead of a new
    /// SQLite file.
    var store: String?

    init(_ arguments: [String]) {
        var index = 1
        while index + 1 < arguments.count {
            let value = Int(arguments[index + 1]) ?? 0
            switch arguments[index] {
            case "--store": store = arguments[index + 1]
            case "--cases": cases = value
            case "--connections": connections = value
            case "--queries": queries = value
            default: break
            }
            index += 2
        }
    }
}

let options = Options(CommandLine.arguments)
let teams = 10

func writeDefinitions(to root: URL) throws {
    var files: [String: String] = [
        "workflows/calendars/england.yaml": """
        calendar: england
        time_zone: Europe/London
        working_days: [mon, tue, wed, thu, fri]
        holidays: []
        """
    ]
    for team in 0..<teams {
        files["workflows/team-\(team).yaml"] = """
            pathway: team-\(team)
            version: 1
            title: Team \(team) intake
            calendar: england
            enrol:
              on: referral.received
              when: facts.team = "team-\(team)"
            start: assess
            stages:
              assess:
                title: Assess
                tasks:
                  - key: decide
                    title: Decide on the referral
                    role: social-worker-\(team)
                    due: 10 working days
                    done_on: referral.decided
                within: 20 working days
                on_breach:
                  - alert: { severity: high, message: "Referral undecided after 20 working days" }
                transitions:
                  - on: referral.decided
                    to: closed
              closed:
                title: Closed
                final: true
            """
    }
    for (path, text) in files {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data((text + "\n").utf8).write(to: url)
    }
}

/// Two events per case: the referral (with facts, as a case system sends them) and a case note.
func batches(cases: Int, now: Date) -> [String] {
    let at = now.addingTimeInterval(-3_600).formatted(.iso8601)
    var out: [String] = []
    var lines: [String] = []
    for number in 0..<cases {
        let team = number % teams
        lines.append(
            #"{"id":"r\#(number)","case":"C-\#(number)","type":"referral.received","at":"\#(at)","facts":{"team":"team-\#(team)","child":{"birth_date":"2014-02-03"},"school":{"attendance":0.93}},"data":{"source":"school"}}"#
        )
        lines.append(
            #"{"id":"n\#(number)","case":"C-\#(number)","type":"case.note.added","at":"\#(at)","data":{"kind":"visit"}}"#
        )
        if lines.count == 100 {
            out.append(lines.joined(separator: "\n"))
            lines = []
        }
    }
    if !lines.isEmpty { out.append(lines.joined(separator: "\n")) }
    return out
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// The daemon running in this process until `stop()`.
struct Daemon {
    var port: Int
    var task: Task<Void, any Error>
    var startup: Double

    static func start(store: String, definitions root: String, logLevel: Logger.Level = .warning) async throws -> Daemon
    {
        // A plain path is a SQLite file; a URL is used as it is.
        let storeURL = store.contains("://") ? store : "sqlite:" + store
        var logger = Logger(label: "bench")
        logger.logLevel = logLevel
        let configuration = DaemonConfiguration(
            listen: ListenAddress(host: "127.0.0.1", port: 0), storeURL: storeURL, handlesSignals: false
        )
        let source = DefinitionsSource(folders: []) {
            let loaded = try! DefinitionsLoader(root: root).load()
            precondition(!loaded.hasErrors, "benchmark definitions have errors: \(loaded.diagnostics)")
            return .loaded(loaded.definitions)
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let started = ContinuousClock.now
        let task = Task {
            defer { continuation.finish() }
            try await WaymarkDaemon.run(
                configuration: configuration, definitions: source, logger: logger,
                onListening: { continuation.yield($0) }
            )
        }
        for await port in ports {
            return Daemon(port: port, task: task, startup: seconds(ContinuousClock.now - started))
        }
        try await task.value
        fatalError("the daemon stopped before listening")
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}

let directory = FileManager.default.temporaryDirectory.appendingPathComponent("waymark-server-bench-\(getpid())")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: directory) }
try writeDefinitions(to: directory.appendingPathComponent("defs"))
let store = options.store ?? directory.appendingPathComponent("waymark.db").path
let definitionsRoot = directory.appendingPathComponent("defs").path

let sessionConfiguration = URLSessionConfiguration.ephemeral
sessionConfiguration.httpMaximumConnectionsPerHost = options.connections
sessionConfiguration.timeoutIntervalForRequest = 300
let client = URLSession(configuration: sessionConfiguration)

say(
    options.store == nil
        ? "Waymark daemon benchmark (in-process daemon, loopback HTTP, SQLite WAL synchronous=FULL at \(store))"
        : "Waymark daemon benchmark (in-process daemon, loopback HTTP, PostgreSQL with synchronous_commit=on)")
say("cases: \(options.cases), events: \(options.cases * 2), connections: \(options.connections)")

// 1. Sustained durable ingestion.
var daemon = try await Daemon.start(store: store, definitions: definitionsRoot)
let base = "http://127.0.0.1:\(daemon.port)"
let bodies = batches(cases: options.cases, now: Date())
let next = ManagedCounter()
let ingestStart = ContinuousClock.now
let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
    for _ in 0..<options.connections {
        group.addTask {
            var mine: [Double] = []
            while let index = next.take(limit: bodies.count) {
                var request = URLRequest(url: URL(string: base + "/v1/events")!)
                request.httpMethod = "POST"
                request.setValue("application/x-ndjson", forHTTPHeaderField: "Content-Type")
                request.httpBody = Data(bodies[index].utf8)
                let sent = ContinuousClock.now
                let (body, response) = try await client.data(for: request)
                let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                guard status == 200 else {
                    fatalError("POST failed: \(status) \(String(decoding: body, as: UTF8.self))")
                }
                mine.append(seconds(ContinuousClock.now - sent))
            }
            return mine
        }
    }
    var all: [Double] = []
    for try await part in group { all += part }
    return all
}.sorted()
let ingestSeconds = seconds(ContinuousClock.now - ingestStart)
let events = options.cases * 2
say(
    String(
        format: "ingestion: %d events in %d batches of 100 in %.2f s = %.0f events/s (target >= 20,000); "
            + "batch latency p50 %.1f ms, p99 %.1f ms",
        events, bodies.count, ingestSeconds, Double(events) / ingestSeconds, percentile(latencies, 0.5) * 1000,
        percentile(latencies, 0.99) * 1000
    )
)

// 2. GET /v1/tasks?role= with every task open.
func get(_ path: String, from base: String = base) async throws -> (Double, Int) {
    let sent = ContinuousClock.now
    let (body, response) = try await client.data(from: URL(string: base + path)!)
    let status = (response as? HTTPURLResponse)?.statusCode ?? 0
    precondition(status == 200, "GET \(path) failed: \(status)")
    return (seconds(ContinuousClock.now - sent), body.count)
}
let (firstSeconds, firstBytes) = try await get("/v1/tasks?role=social-worker-3")
let (allSeconds, allBytes) = try await get("/v1/tasks?status=open")
say(
    String(
        format: "all open tasks: %.1f MB in %.1f ms; first role query after ingestion (list rebuilt): %.1f ms, %.1f MB",
        Double(allBytes) / 1e6, allSeconds * 1000, firstSeconds * 1000, Double(firstBytes) / 1e6
    )
)
// Reads are measured once the publisher has caught up (projection tables written), as in steady
// operation: the open-tasks gauge shows every task.
let settleStart = ContinuousClock.now
while true {
    let (data, _) = try await client.data(from: URL(string: base + "/metrics")!)
    if String(decoding: data, as: UTF8.self).contains("waymark_open_tasks \(options.cases).0") { break }
    try await Task.sleep(for: .milliseconds(200))
}
say(
    String(
        format: "publisher caught up (projection tables, %d rows) %.1f s after the first query", options.cases,
        seconds(ContinuousClock.now - settleStart)))
var queryTimes: [Double] = []
for query in 0..<options.queries {
    queryTimes.append(try await get("/v1/tasks?role=social-worker-\(query % teams)").0)
}
queryTimes.sort()
say(
    String(
        format: "GET /v1/tasks?role= (%d open tasks, %d per role, %d sequential queries over %d roles): "
            + "p50 %.2f ms, p99 %.2f ms, max %.2f ms (target p99 <= 10 ms)",
        options.cases, options.cases / teams, options.queries, teams, percentile(queryTimes, 0.5) * 1000,
        percentile(queryTimes, 0.99) * 1000, queryTimes.last! * 1000
    )
)
// The same queries timed on a raw keep-alive socket: the daemon's own time, without URLSession.
let raw = try RawHTTPClient(port: daemon.port)
var rawTimes: [Double] = []
for query in 0..<options.queries {
    let sent = ContinuousClock.now
    let (status, _) = raw.get("/v1/tasks?role=social-worker-\(query % teams)")
    precondition(status == 200, "raw GET failed: \(status)")
    rawTimes.append(seconds(ContinuousClock.now - sent))
}
rawTimes.sort()
say(
    String(
        format:
            "GET /v1/tasks?role= on a raw socket (same queries, no URLSession): p50 %.2f ms, p99 %.2f ms, max %.2f ms",
        percentile(rawTimes, 0.5) * 1000, percentile(rawTimes, 0.99) * 1000, rawTimes.last! * 1000
    )
)
var caseTimes: [Double] = []
for query in 0..<options.queries {
    caseTimes.append(
        try await get("/v1/tasks?role=social-worker-\(query % teams)&case=C-\(query * 7 % options.cases)").0)
}
caseTimes.sort()
say(
    String(
        format: "GET /v1/tasks?role=&case= (one case): p50 %.2f ms, p99 %.2f ms",
        percentile(caseTimes, 0.5) * 1000, percentile(caseTimes, 0.99) * 1000
    )
)
await daemon.stop()

// 3. Start-up: rebuild every case from the store, catch the clock up, bind the port.
daemon = try await Daemon.start(store: store, definitions: definitionsRoot, logLevel: .info)
let (_, restartBytes) = try await get("/v1/tasks?role=social-worker-0", from: "http://127.0.0.1:\(daemon.port)")
say(
    String(
        format: "start-up with %d cases (%d events) in the store: %.2f s to listening (role list %.1f MB after)",
        options.cases, events, daemon.startup, Double(restartBytes) / 1e6
    )
)
await daemon.stop()
client.invalidateAndCancel()

/// Hands out batch indexes to the posters.
final class ManagedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func take(limit: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}

/// Prints a line at once (stdout to a pipe is block-buffered, and a crash would lose it).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
