import WaymarkModel

/// Where the daemon's definitions come from, and how to read them again on a reload.
///
/// A closure rather than a folder path so that the server does not depend on how definitions are
/// parsed (the `waymark` command passes the YAML loader; tests pass definitions they build).
public struct DefinitionsSource: Sendable {
    /// What one load gave: definitions in force, or the diagnostics that refused them.
    public enum Outcome: Sendable {
        case loaded(Definitions)
        case refused([String])
    }

    /// The folders to watch for changes (modification times of their `*.yaml`/`*.yml` files).
    public var folders: [String]
    /// Reads the definitions afresh.
    public var load: @Sendable () -> Outcome

    public init(folders: [String], load: @escaping @Sendable () -> Outcome) {
        self.folders = folders
        self.load = load
    }

    /// Fixed definitions that never change (tests, benchmarks).
    public static func fixed(_ definitions: Definitions) -> DefinitionsSource {
        DefinitionsSource(folders: [], load: { .loaded(definitions) })
    }
}

/// What `/healthz` says about the definitions.
public struct DefinitionsStatus: Sendable {
    /// How many definition sets have been put in force (1 after start-up, +1 per accepted reload).
    public var generation: Int
    /// Wall-clock moment of the last accepted load, nanoseconds since the epoch.
    public var loadedAtNanoseconds: Int64
    /// Ids of the pathways and rule sets in force, sorted.
    public var pathways: [String]
    public var ruleSets: [String]
    /// The diagnostics of the last refused reload, if it came after the last accepted one.
    public var refusedDiagnostics: [String]?
    public var refusedAtNanoseconds: Int64?
}
