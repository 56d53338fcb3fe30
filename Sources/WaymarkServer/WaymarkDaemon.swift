import Hummingbird
import Logging
import ServiceLifecycle
import WaymarkEngine
import WaymarkModel
import WaymarkStore

/// `waymark serve`: the store, the engine host, the HTTP API, the scheduler, the publisher and the
/// definitions watcher, started together and stopped together.
public enum WaymarkDaemon {
    /// The daemon's logger: structured key-value metadata on standard error, at the level named by
    /// `WAYMARK_LOG_LEVEL` (trace, debug, info, notice, warning, error, critical; default info).
    /// Nothing the daemon logs carries facts, names, dates of birth or event bodies.
    public static func logger(environment: [String: String]) -> Logger {
        var logger = Logger(label: "waymark.serve")
        logger.logLevel = environment["WAYMARK_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        return logger
    }

    /// Starts the daemon and runs it until SIGTERM/SIGINT (when `handlesSignals`) or cancellation.
    ///
    /// Start-up order matters: the configuration is checked and the definitions loaded before the
    /// store is opened; the engine is rebuilt and caught up to now before the port is bound, so
    /// the first request already sees every timer that fell due while the daemon was down. The
    /// first publication (projection tables, emitted files) runs just after, in the background:
    /// with 100,000 cases it takes seconds and nothing served depends on it.
    /// `onListening` receives the bound port (useful with port 0).
    public static func run(
        configuration: DaemonConfiguration, definitions source: DefinitionsSource, logger: Logger,
        clock: @escaping @Sendable () -> Moment = WallClock.now,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        try configuration.validate()
        let definitions: Definitions
        switch source.load() {
        case .loaded(let loaded): definitions = loaded
        case .refused(let diagnostics): throw ServeError.definitionsRefused(diagnostics)
        }
        let store = try await openEventStore(url: configuration.storeURL, logger: logger)
        let host = EngineHost(definitions: definitions, store: store, clock: clock, logger: logger)
        let startup = try await host.start()
        logger.info(
            "engine rebuilt from the store",
            metadata: [
                "events": "\(startup.events)", "cases": "\(startup.cases)",
                "load_seconds": "\(startup.loadSeconds)", "replay_seconds": "\(startup.replaySeconds)",
            ]
        )
        let metrics = DaemonMetrics()
        let emitter = try configuration.emitDirectory.map { try TaskFileEmitter(directory: $0) }
        let publisher = Publisher(host: host, store: store, emitter: emitter, metrics: metrics, logger: logger)

        let router = Router(context: BasicRequestContext.self)
        DaemonRoutes(
            host: host, authorizer: Authorizer(tokens: configuration.tokens), metrics: metrics,
            maxBodyBytes: configuration.maxBodyBytes, logger: logger
        ).register(on: router)
        let listen = configuration.listen
        let app = Application(
            router: router,
            configuration: ApplicationConfiguration(
                address: .hostname(listen.host, port: listen.port), serverName: "waymark"
            ),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? listen.port
                logger.info("listening", metadata: ["address": "\(listen.host):\(port)"])
                await onListening(port)
            },
            logger: logger
        )
        // A service group shuts down in reverse order: the HTTP server first (finishing requests
        // in flight), the publisher last, so that its final pass covers every acknowledged event.
        let services: [any Service] = [
            PublisherService(publisher: publisher, interval: configuration.publishInterval),
            SchedulerService(host: host, publisher: publisher, metrics: metrics, clock: clock),
            DefinitionsWatcher(
                source: source, host: host, metrics: metrics, interval: configuration.definitionsPollInterval,
                handlesSignals: configuration.handlesSignals, logger: logger
            ),
            app,
        ]
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services,
                gracefulShutdownSignals: configuration.handlesSignals ? [.sigterm, .sigint] : [],
                logger: logger
            )
        )
        do {
            try await group.run()
        } catch {
            await store.close()
            throw error
        }
        await store.close()
        logger.info("stopped")
    }
}
