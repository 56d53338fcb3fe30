/// Everything `waymark serve` was asked to do.
public struct DaemonConfiguration: Sendable {
    /// Where to listen; port 0 picks a free port (tests).
    public var listen: ListenAddress
    /// `sqlite:PATH` or `postgres://USER@HOST:PORT/DATABASE` (see `openEventStore(url:)`).
    public var storeURL: String
    /// Who may call; nil means no authentication, which is only allowed on loopback.
    public var tokens: TokenFile?
    /// Where to write per-role task files, if anywhere.
    public var emitDirectory: String?
    /// Largest request body accepted; larger is 413.
    public var maxBodyBytes: Int
    /// How often the definitions folder is checked for changes.
    public var definitionsPollInterval: Duration
    /// How soon after a change the projections and emitted files are brought up to date.
    public var publishInterval: Duration
    /// Signals that stop the daemon gracefully (empty in tests that run several daemons).
    public var handlesSignals: Bool

    public init(
        listen: ListenAddress = ListenAddress(host: "127.0.0.1", port: 8080), storeURL: String = "sqlite:waymark.db",
        tokens: TokenFile? = nil, emitDirectory: String? = nil, maxBodyBytes: Int = 16 * 1024 * 1024,
        definitionsPollInterval: Duration = .seconds(2), publishInterval: Duration = .milliseconds(500),
        handlesSignals: Bool = true
    ) {
        self.listen = listen
        self.storeURL = storeURL
        self.tokens = tokens
        self.emitDirectory = emitDirectory
        self.maxBodyBytes = maxBodyBytes
        self.definitionsPollInterval = definitionsPollInterval
        self.publishInterval = publishInterval
        self.handlesSignals = handlesSignals
    }

    /// Refuses a configuration that would expose the daemon without authentication.
    public func validate() throws(ServeError) {
        if tokens == nil && !listen.isLoopback {
            throw ServeError.notLoopbackWithoutTokens(listen.description)
        }
    }
}
