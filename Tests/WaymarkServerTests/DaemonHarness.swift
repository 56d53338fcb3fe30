import Foundation
import Logging
import WaymarkEngine
import WaymarkServer

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A daemon running inside the test process on a free loopback port with a real SQLite file.
final class RunningDaemon: Sendable {
    let port: Int
    private let task: Task<Void, any Error>

    private init(port: Int, task: Task<Void, any Error>) {
        self.port = port
        self.task = task
    }

    static func start(
        store: String, definitions: DefinitionsSource = .fixed(Fixture.definitions()), tokens: TokenFile? = nil,
        emit: String? = nil, clock: @escaping @Sendable () -> Moment = WallClock.now, maxBodyBytes: Int = 1 << 20
    ) async throws -> RunningDaemon {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let configuration = DaemonConfiguration(
            listen: ListenAddress(host: "127.0.0.1", port: 0), storeURL: "sqlite:" + store, tokens: tokens,
            emitDirectory: emit, maxBodyBytes: maxBodyBytes, definitionsPollInterval: .milliseconds(100),
            publishInterval: .milliseconds(50), handlesSignals: false
        )
        var logger = Logger(label: "waymark-test")
        logger.logLevel = .warning
        let task = Task {
            defer { continuation.finish() }
            try await WaymarkDaemon.run(
                configuration: configuration, definitions: definitions, logger: logger, clock: clock,
                onListening: { continuation.yield($0) }
            )
        }
        for await port in ports { return RunningDaemon(port: port, task: task) }
        _ = try await task.value
        throw DaemonDidNotStart()
    }

    struct DaemonDidNotStart: Error {}

    func stop() async {
        task.cancel()
        _ = try? await task.value
    }

    var base: String { "http://127.0.0.1:\(port)" }
}

/// One HTTP exchange's outcome.
struct HTTPReply: Sendable {
    var status: Int
    var body: String
    var contentType: String?

    /// The body as a JSON object.
    func json() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] ?? [:]
    }
}

enum HTTP {
    static func send(
        _ method: String, _ url: String, body: String? = nil, headers: [String: String] = [:]
    ) async throws -> HTTPReply {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.httpBody = body.map { Data($0.utf8) }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        return HTTPReply(
            status: http.statusCode, body: String(decoding: data, as: UTF8.self),
            contentType: http.value(forHTTPHeaderField: "Content-Type")
        )
    }

    static func get(_ url: String, headers: [String: String] = [:]) async throws -> HTTPReply {
        try await send("GET", url, headers: headers)
    }

    static func post(_ url: String, _ body: String, headers: [String: String] = [:]) async throws -> HTTPReply {
        try await send("POST", url, body: body, headers: headers)
    }
}

/// Polls until a condition holds (background work such as reloads and emitted files), at most 10 s.
func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
    for _ in 0..<200 {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(50))
    }
    return false
}
