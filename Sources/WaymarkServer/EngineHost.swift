import Foundation
import Logging
import Synchronization
import WaymarkEngine
import WaymarkFEEL
import WaymarkModel
import WaymarkStore

/// The one place that holds the engine: ingestion, the clock and the published task list.
///
/// An actor because the engine is a value mutated by ingestion and by the scheduler alike. Work
/// that does not need the engine (decoding request bodies, encoding stored lines, rendering
/// responses) happens outside it so that both cores serve requests. Its `await` on the store
/// lets other requests in while a commit runs, which is what lets the store commit them together.
public actor EngineHost {
    /// A decoded request, with the lines the store will keep.
    public struct PreparedBatch: Sendable {
        var events: [Event]
        var stored: [StoredEvent]
    }

    /// What start-up did, for the log and the start-up benchmark.
    public struct StartupReport: Sendable {
        public var events: Int
        public var cases: Int
        public var loadSeconds: Double
        public var replaySeconds: Double
    }

    private var engine: Engine
    private var definitions: Definitions
    private let store: any EventStore
    private let clock: @Sendable () -> Moment
    private let logger: Logger
    private var version = 0
    private var published: BoardSnapshot?
    private var building: (version: Int, task: Task<BoardSnapshot, Never>)?
    private var storedEvents = 0
    /// The moment the engine was last advanced to (start-up, ingestion or the scheduler).
    private var lastAdvance = Moment(epochNanoseconds: 0)
    private var status: DefinitionsStatus
    /// The zone used for dates without a time; shared with request decoding outside the actor.
    private let zoneBox: Mutex<ZoneOffsets>

    public init(
        definitions: Definitions, store: any EventStore, clock: @escaping @Sendable () -> Moment, logger: Logger
    ) {
        self.definitions = definitions
        self.store = store
        self.clock = clock
        self.logger = logger
        var engine = Engine(definitions: definitions)
        engine.workers = ProcessInfo.processInfo.activeProcessorCount
        // Definitions reloaded later may read from a case's history what these do not.
        engine.keepsEveryHistoryEntry = true
        self.engine = engine
        self.zoneBox = Mutex(engine.timeZone)
        self.status = DefinitionsStatus(
            generation: 1, loadedAtNanoseconds: clock().epochNanoseconds,
            pathways: definitions.pathways.keys.sorted(), ruleSets: definitions.ruleSets.keys.sorted()
        )
    }

    /// The zone dates and moments are printed in.
    public nonisolated var zone: ZoneOffsets { zoneBox.withLock { $0 } }

    /// Rebuilds the engine from every stored event, then catches the clock up to now: timers that
    /// fell due while the daemon was stopped fire now, each at its own moment.
    public func start() async throws -> StartupReport {
        let loadStart = ContinuousClock.now
        let stored = try await store.loadAll()
        let loaded = ContinuousClock.now
        var events: [Event] = []
        events.reserveCapacity(stored.count)
        // Decode in chunks so that one bad stored line names where it is without a huge message.
        var index = 0
        let chunk = 10_000
        while index < stored.count {
            let slice = stored[index..<min(index + chunk, stored.count)]
            let bytes = Array(slice.map(\.body).joined(separator: "\n").utf8)
            do {
                events += try EventDecoder.decode(bytes, timeZoneID: "UTC")
            } catch {
                throw StoredEventError(firstEventNumber: index + 1, problems: error.description)
            }
            index += chunk
        }
        engine.ingest(events)
        lastAdvance = clock()
        engine.advance(to: lastAdvance)
        storedEvents = stored.count
        version += 1
        let done = ContinuousClock.now
        return StartupReport(
            events: stored.count, cases: Set(stored.map(\.caseID)).count,
            loadSeconds: Self.seconds(loaded - loadStart), replaySeconds: Self.seconds(done - loaded)
        )
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Decodes a request body (all or nothing) and prepares the lines to store. Runs off the actor.
    public nonisolated func prepare(_ bytes: [UInt8]) throws(EventBatchError) -> PreparedBatch {
        let events = try EventDecoder.decode(bytes, timeZoneID: zone.identifier)
        let stored = events.map { event in
            StoredEvent(
                id: event.id, caseID: event.caseID, atNanoseconds: event.at.epochNanoseconds,
                body: EventEncoder.encodeLine(event)
            )
        }
        return PreparedBatch(events: events, stored: stored)
    }

    /// Makes a batch durable, then applies its new events. Returns only after the commit, so a
    /// 2xx answer always means the events are on disk.
    public func ingest(_ batch: PreparedBatch) async throws -> AppendResult {
        let result = try await store.append(batch.stored)
        if result.accepted > 0 {
            engine.ingest(result.acceptedIndexes.map { batch.events[$0] })
            lastAdvance = clock()
            engine.advance(to: lastAdvance)
            storedEvents += result.accepted
            version += 1
        }
        return result
    }

    /// Moves the engine's clock to now: fires the timers that fell due.
    ///
    /// The published list changes only when a timer fell due or the date changed (the list is as
    /// of today); otherwise the version stays, so that readers keep their cached responses rather
    /// than wait for a rebuild of every case after each idle wake-up.
    public func advanceToNow() {
        let before = engine.nextTimer
        let now = clock()
        engine.advance(to: now)
        let zone = self.zone
        let dayChanged = zone.date(of: now) != zone.date(of: lastAdvance)
        lastAdvance = now
        if let before, before < now {
            version += 1
            logger.debug("timers fired", metadata: ["next_timer": "\(engine.nextTimer.map(\.description) ?? "none")"])
        } else if dayChanged {
            version += 1
        }
    }

    /// When the scheduler should wake next: the next timer, if any.
    public var nextTimer: Moment? { engine.nextTimer }

    /// The task list as of the last change, rebuilt only when something changed.
    ///
    /// The rebuild (every task of every case, formatted) runs off the actor on a copy of the
    /// engine, which is a value: with 100,000 cases it takes a noticeable time, and ingestion and
    /// the scheduler keep going on the actor meanwhile. Callers asking while a rebuild of the same
    /// version is under way wait for that one rather than start another.
    public func currentSnapshot() async -> BoardSnapshot {
        if let published, published.version == version { return published }
        if let building, building.version == version { return await building.task.value }
        let engine = self.engine
        let version = self.version
        let task = Task.detached { Self.snapshot(of: engine.report(openOnly: false), version: version) }
        building = (version, task)
        let snapshot = await task.value
        if snapshot.version > (published?.version ?? -1) { published = snapshot }
        if building?.version == version { building = nil }
        return snapshot
    }

    /// Converts the engine's report to the formatted rows every output shares.
    static func snapshot(of report: RunReport, version: Int) -> BoardSnapshot {
        let zone = report.zone
        let tasks = report.tasks.map { task in
            TaskRow(
                id: task.id, caseID: task.caseID, pathway: task.pathway, stage: task.stage, key: task.key,
                title: task.title, role: task.role, raised: task.raised.formatted(in: zone),
                due: task.due.isoString, status: task.status.rawValue,
                done: task.done?.formatted(in: zone), because: task.because
            )
        }
        let alerts = report.alerts.map { alert in
            AlertRow(
                id: alert.id, caseID: alert.caseID, rule: alert.rule, severity: alert.severity.rawValue,
                atNanoseconds: alert.at.epochNanoseconds, at: alert.at.formatted(in: zone), message: alert.message,
                because: alert.because
            )
        }
        let openCases = Set(report.cases.filter { $0.closed == nil }.map(\.caseID))
        return BoardSnapshot(
            version: version, asOf: report.asOf.isoString, tasks: tasks, alerts: alerts, openCases: openCases
        )
    }

    /// One case as JSON, or nil when the engine has never seen it.
    public func caseJSON(_ caseID: String) -> String? {
        guard let detail = engine.caseDetail(caseID) else { return nil }
        return CaseDetailJSON.render(detail, zone: zone)
    }

    /// How many events the store holds (kept here rather than counted, for `/healthz`).
    public var eventCount: Int { storedEvents }

    public var definitionsStatus: DefinitionsStatus { status }

    /// Puts new definitions in force: new enrolments and rules use them, while running enrolments
    /// stay on the version they opened on (the engine keeps every version loaded).
    public func reload(_ newDefinitions: Definitions) {
        engine.load(newDefinitions)
        definitions = newDefinitions
        zoneBox.withLock { $0 = engine.timeZone }
        status = DefinitionsStatus(
            generation: status.generation + 1, loadedAtNanoseconds: clock().epochNanoseconds,
            pathways: newDefinitions.pathways.keys.sorted(), ruleSets: newDefinitions.ruleSets.keys.sorted()
        )
        version += 1
    }

    /// Records a refused reload for `/healthz`; the definitions in force stay.
    public func refuse(_ diagnostics: [String]) {
        status.refusedDiagnostics = diagnostics
        status.refusedAtNanoseconds = clock().epochNanoseconds
    }
}

/// A stored event that no longer decodes: the store and the engine disagree about the format.
public struct StoredEventError: Error, Sendable, CustomStringConvertible {
    public var firstEventNumber: Int
    public var problems: String
    public var description: String {
        "the store holds events that do not decode (chunk from event \(firstEventNumber)): \(problems)"
    }
}
