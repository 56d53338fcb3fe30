import Logging
import ServiceLifecycle
import WaymarkEngine
import WaymarkStore

/// Brings the projection tables, the emitted files and the gauges up to date with the engine.
///
/// Runs behind ingestion rather than inside it: a request is answered once its events are durable
/// and applied, and the published forms follow within `interval`. At graceful shutdown it
/// publishes once more so that the files reflect everything acknowledged.
actor Publisher {
    private let host: EngineHost
    private let store: any EventStore
    private let emitter: TaskFileEmitter?
    private let metrics: DaemonMetrics
    private let logger: Logger
    private var last: BoardSnapshot?

    init(host: EngineHost, store: any EventStore, emitter: TaskFileEmitter?, metrics: DaemonMetrics, logger: Logger) {
        self.host = host
        self.store = store
        self.emitter = emitter
        self.metrics = metrics
        self.logger = logger
    }

    /// Publishes the current state if it changed (or unconditionally with `force`, at a day's start).
    func publish(force: Bool) async {
        let snapshot = await host.currentSnapshot()
        if !force, let last, last.version == snapshot.version { return }
        do {
            try await store.applyProjection(snapshot.projectionChange(from: last))
            if let emitter {
                let written = try await emitter.emit(snapshot, force: force)
                if written > 0 { logger.debug("task files written", metadata: ["files": "\(written)"]) }
            }
            last = snapshot
            metrics.observe(snapshot)
            metrics.storedEvents.record(await host.eventCount)
        } catch is CancellationError {
            // Stopped by cancellation (not a graceful shutdown): the next start publishes afresh.
        } catch {
            logger.error("publishing failed", metadata: ["error": "\(error)"])
        }
    }
}

/// Runs the publisher every `interval` until shutdown, then once more.
struct PublisherService: Service {
    let publisher: Publisher
    let interval: Duration

    func run() async throws {
        await cancelOnGracefulShutdownQuietly {
            var first = true
            while !Task.isCancelled {
                let started = ContinuousClock.now
                // The first pass of a run rewrites everything: tables and files may be from an
                // earlier run.
                await publisher.publish(force: first)
                first = false
                // With many cases a pass is long; resting twice as long as it took keeps the
                // publisher to a third of a core under sustained ingestion.
                let took = ContinuousClock.now - started
                try await Task.sleep(for: max(interval, took * 2))
            }
        }
        // The final pass must run even when the service was cancelled rather than shut down
        // gracefully; an unstructured task does not inherit the cancellation.
        let final = publisher
        await Task { await final.publish(force: false) }.value
    }
}

/// Fires timers on the wall clock: sleeps until the engine's next timer (or the next day's start,
/// or a minute, whichever comes first), then advances the engine to now.
struct SchedulerService: Service {
    let host: EngineHost
    let publisher: Publisher
    let metrics: DaemonMetrics
    let clock: @Sendable () -> Moment

    func run() async throws {
        await cancelOnGracefulShutdownQuietly {
            while !Task.isCancelled {
                let now = clock()
                let zone = host.zone
                let nextDay = Self.startOfNextDay(after: now, zone: zone)
                var wake = Moment(epochNanoseconds: now.epochNanoseconds + 60_000_000_000)
                if let timer = await host.nextTimer, timer < wake { wake = timer }
                if nextDay < wake { wake = nextDay }
                // Timers fire strictly before the moment the engine advances to: wake just after.
                let delay = max(wake.epochNanoseconds - now.epochNanoseconds, 0) + 1_000_000
                try await Task.sleep(for: .nanoseconds(delay))
                let after = clock()
                await host.advanceToNow()
                metrics.timerAdvances.increment()
                if zone.date(of: after) != zone.date(of: now) {
                    await publisher.publish(force: true)
                }
            }
        }
    }

    static func startOfNextDay(after moment: Moment, zone: ZoneOffsets) -> Moment {
        let start = zone.startOfDay(zone.date(of: moment))
        // 26 hours after the start of today is always tomorrow, whatever a clock change does.
        return zone.startOfDay(zone.date(of: Moment(epochNanoseconds: start.epochNanoseconds + 26 * 3_600_000_000_000)))
    }
}

/// Runs `body` until it ends or a graceful shutdown (or cancellation) stops it, without throwing.
func cancelOnGracefulShutdownQuietly(_ body: @escaping @Sendable () async throws -> Void) async {
    do {
        try await cancelWhenGracefulShutdown { try await body() }
    } catch {
        // Cancellation is how these loops end.
    }
}
