import Foundation
import Hummingbird
import Logging
import NIOCore
import WaymarkEngine
import WaymarkFEEL
import WaymarkStore

/// The HTTP API of spec section 8 over the engine host.
struct DaemonRoutes: Sendable {
    let host: EngineHost
    let authorizer: Authorizer
    let metrics: DaemonMetrics
    let maxBodyBytes: Int
    let cache = ResponseCache()
    let logger: Logger

    func register(on router: Router<BasicRequestContext>) {
        router.post("/v1/events") { request, context in
            try await counted("events") { try await postEvents(request, context) }
        }
        router.get("/v1/tasks") { request, _ in
            try await counted("tasks") { try await tasks(request, iCalendar: false) }
        }
        router.get("/v1/tasks.ics") { request, _ in
            try await counted("tasks.ics") { try await tasks(request, iCalendar: true) }
        }
        router.get("/v1/alerts") { request, _ in
            try await counted("alerts") { try await alerts(request) }
        }
        router.get("/v1/cases/:id") { request, context in
            try await counted("cases") { try await caseDetail(request, context) }
        }
        router.get("/healthz") { _, _ in
            try await counted("healthz") { await health() }
        }
        router.get("/metrics") { request, _ in
            try await counted("metrics") {
                _ = try authorizer.authorize(request, scope: .metricsRead)
                var buffer: [UInt8] = []
                metrics.registry.emit(into: &buffer)
                return Self.response(.ok, "text/plain; version=0.0.4; charset=utf-8", ByteBuffer(bytes: buffer))
            }
        }
        router.get("/") { request, _ in
            try await counted("board") {
                let caller = try authorizer.authorize(request, scope: .tasksRead, allowQueryToken: true)
                let snapshot = await host.currentSnapshot()
                let html = BoardPage.html(snapshot, roles: caller.roles)
                var response = Self.response(.ok, "text/html; charset=utf-8", ByteBuffer(string: html))
                response.headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'"
                return response
            }
        }
    }

    /// Runs a handler and counts its outcome by route and status, without logging any content.
    private func counted(_ route: String, _ handler: () async throws -> Response) async throws -> Response {
        do {
            let response = try await handler()
            metrics.request(route: route, status: response.status.code)
            return response
        } catch let error as any HTTPResponseError {
            metrics.request(route: route, status: error.status.code)
            throw error
        } catch {
            metrics.request(route: route, status: 500)
            logger.error("request failed", metadata: ["route": "\(route)", "error.type": "\(type(of: error))"])
            throw error
        }
    }

    static func response(_ status: HTTPResponse.Status, _ contentType: String, _ body: ByteBuffer) -> Response {
        Response(status: status, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: body))
    }

    static func json(_ status: HTTPResponse.Status, _ text: String) -> Response {
        response(status, "application/json; charset=utf-8", ByteBuffer(string: text))
    }

    private func postEvents(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        _ = try authorizer.authorize(request, scope: .eventsWrite)
        let started = ContinuousClock.now
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: maxBodyBytes)
        } catch is NIOTooManyBytesError {
            metrics.batchesTooLarge.increment()
            return Self.json(
                .contentTooLarge,
                "{\"error\": \"request body larger than \(maxBodyBytes) bytes; split the batch\"}\n"
            )
        }
        let batch: EngineHost.PreparedBatch
        do {
            batch = try host.prepare(Array(buffer: body))
        } catch {
            metrics.batchesRejected.increment()
            logger.info("batch rejected", metadata: ["problems": "\(error.problems.count)"])
            return Self.json(.badRequest, Self.problemsJSON(error))
        }
        let result = try await host.ingest(batch)
        metrics.eventsAccepted.increment(by: result.accepted)
        metrics.eventsDuplicate.increment(by: result.duplicates)
        metrics.ingestDuration.recordNanoseconds((ContinuousClock.now - started).nanoseconds)
        return Self.json(.ok, "{\"accepted\": \(result.accepted), \"duplicates\": \(result.duplicates)}\n")
    }

    static func problemsJSON(_ error: EventBatchError) -> String {
        let problems = error.problems.map { problem in
            "{\"line\": \(problem.line), \"field\": \(JSONText.optional(problem.field)), "
                + "\"message\": \(JSONText.string(problem.message))}"
        }
        return "{\"error\": \"the batch was rejected; nothing of it was applied\", \"problems\": [\n  "
            + problems.joined(separator: ",\n  ") + "\n]}\n"
    }

    private func query(_ request: Request, allowed roles: Set<String>?) throws -> TaskQuery {
        let parameters = request.uri.queryParameters
        var query = TaskQuery(
            role: parameters["role"].map(String.init), caseID: parameters["case"].map(String.init),
            status: parameters["status"].map(String.init), dueBefore: parameters["due_before"].map(String.init)
        )
        if let status = query.status {
            let known: Set<Substring> = ["open", "overdue", "done", "cancelled"]
            guard status.split(separator: ",").allSatisfy(known.contains) else {
                throw HTTPError(.badRequest, message: "status must be open, overdue, done or cancelled")
            }
        }
        if let due = query.dueBefore, FEELDate.parseISO(due) == nil {
            throw HTTPError(.badRequest, message: "due_before must be a date, YYYY-MM-DD")
        }
        if let roles {
            // A token limited to some roles reads only those; asking for another is forbidden.
            if let role = query.role {
                guard roles.contains(role) else {
                    throw HTTPError(.forbidden, message: "this token may not read the tasks of that role")
                }
            } else if roles.count == 1 {
                query.role = roles.first
            }
        }
        return query
    }

    private func tasks(_ request: Request, iCalendar: Bool) async throws -> Response {
        let caller = try authorizer.authorize(request, scope: .tasksRead)
        let query = try query(request, allowed: caller.roles)
        let csv = !iCalendar && (request.headers[.accept]?.contains("text/csv") ?? false)
        let format = iCalendar ? "ics" : csv ? "csv" : "json"
        let snapshot = await host.currentSnapshot()
        let roles = caller.roles?.sorted().joined(separator: ",") ?? "*"
        let key = [format, query.role ?? "", query.caseID ?? "", query.status ?? "", query.dueBefore ?? "", roles]
            .joined(separator: "\u{1F}")
        let body = cache.value(version: snapshot.version, key: key) {
            var selected = snapshot.tasks(matching: query)
            if let allowed = caller.roles { selected = selected.filter { allowed.contains($0.role) } }
            switch format {
            case "ics": return TaskListFormats.iCalendar(tasks: selected)
            case "csv": return TaskListFormats.csv(tasks: selected)
            default: return TaskListFormats.json(asOf: snapshot.asOf, tasks: selected)
            }
        }
        let type =
            switch format {
            case "ics": "text/calendar; charset=utf-8"
            case "csv": "text/csv; charset=utf-8; header=present"
            default: "application/json; charset=utf-8"
            }
        return Self.response(.ok, type, body)
    }

    private func alerts(_ request: Request) async throws -> Response {
        _ = try authorizer.authorize(request, scope: .alertsRead)
        var since: Int64?
        if let text = request.uri.queryParameters["since"] {
            let text = String(text)
            guard let moment = Moment.parse(text, zone: host.zone) else {
                throw HTTPError(.badRequest, message: "since: \(Moment.refusal(text))")
            }
            since = moment.epochNanoseconds
        }
        let snapshot = await host.currentSnapshot()
        let selected = since.map { since in snapshot.alerts.filter { $0.atNanoseconds >= since } } ?? snapshot.alerts
        return Self.json(.ok, TaskListFormats.json(alerts: selected))
    }

    private func caseDetail(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        _ = try authorizer.authorize(request, scope: .casesRead)
        let id = try context.parameters.require("id")
        guard let text = await host.caseJSON(id) else {
            throw HTTPError(.notFound, message: "no such case")
        }
        return Self.json(.ok, text)
    }

    private func health() async -> Response {
        let status = await host.definitionsStatus
        let events = await host.eventCount
        var out = "{\"status\": \"ok\", \"events\": \(events),\n \"definitions\": {"
        out += "\"generation\": \(status.generation), "
        out += "\"loaded_at\": \(JSONText.string(Moment(epochNanoseconds: status.loadedAtNanoseconds).description)), "
        out += "\"pathways\": [" + status.pathways.map(JSONText.string).joined(separator: ", ") + "], "
        out += "\"rulesets\": [" + status.ruleSets.map(JSONText.string).joined(separator: ", ") + "], "
        if let refused = status.refusedDiagnostics, let at = status.refusedAtNanoseconds {
            out += "\"last_reload\": \"refused\", "
            out += "\"refused_at\": \(JSONText.string(Moment(epochNanoseconds: at).description)), "
            out += "\"diagnostics\": [" + refused.map(JSONText.string).joined(separator: ", ") + "]"
        } else {
            out += "\"last_reload\": \"accepted\", \"diagnostics\": []"
        }
        out += "}}\n"
        return Self.json(.ok, out)
    }
}

extension Duration {
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
