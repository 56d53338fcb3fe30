import ArgumentParser
import Foundation
import WaymarkDefinitions
import WaymarkModel
import WaymarkServer
import WaymarkStore

/// `waymark serve`: the daemon of spec section 8.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the daemon: durable event ingestion, the wall-clock scheduler and task lists over HTTP.",
        discussion: """
            Without --tokens the daemon listens on loopback only. SIGHUP (or a change to a file under \
            workflows/ or rules/) reloads the definitions; SIGTERM or SIGINT stops it gracefully. \
            See docs/operations.md.
            """
    )

    @Option(name: .long, help: "The definitions folder (holding workflows/ and rules/).")
    var definitions: String = "."

    @Option(
        name: .long,
        help:
            "The event store: sqlite:PATH, or postgres://USER@HOST:PORT/DATABASE[?sslmode=disable|require] (password in the URL or PGPASSWORD)."
    )
    var store: String = "sqlite:waymark.db"

    @Option(name: .long, help: "HOST:PORT to listen on.")
    var listen: String = "127.0.0.1:8080"

    @Option(name: .long, help: "Write one JSON and one CSV task list per role into this folder.")
    var emit: String?

    @Option(name: .long, help: "A tokens file (JSON with SHA-256-hashed tokens and their scopes).")
    var tokens: String?

    @Option(name: .long, help: "Largest accepted request body, in bytes.")
    var maxBodyBytes: Int = 16 * 1024 * 1024

    func run() async throws {
        let logger = WaymarkDaemon.logger(environment: ProcessInfo.processInfo.environment)
        do {
            let address = try ListenAddress(parsing: listen)
            let tokenFile = try tokens.map { path throws(TokenFileError) in try TokenFile(contentsOf: path) }
            let configuration = DaemonConfiguration(
                listen: address, storeURL: store, tokens: tokenFile, emitDirectory: emit, maxBodyBytes: maxBodyBytes
            )
            let root = definitions
            let source = DefinitionsSource(folders: DefinitionsLoader.folders.map { root + "/" + $0 }) {
                Self.load(root)
            }
            try await WaymarkDaemon.run(configuration: configuration, definitions: source, logger: logger)
        } catch let error as ServeError {
            fail(error.description)
        } catch let error as TokenFileError {
            fail("--tokens \(error.description)")
        } catch let error as StoreURLError {
            fail("--store: \(error.description)")
        } catch let error as PostgresStoreError {
            fail("--store: \(error.description)")
        } catch let error as SQLiteStoreError {
            fail("--store: \(error.description)")
        } catch let error as StoredEventError {
            fail(error.description)
        } catch let error as ExitCode {
            throw error
        } catch {
            fail("\(error)")
        }
    }

    private func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("waymark serve: \(message)\n".utf8))
        Foundation.exit(2)
    }

    /// Loads the folder; any error-level diagnostic refuses the whole set.
    static func load(_ root: String) -> DefinitionsSource.Outcome {
        let loaded: LoadedDefinitions
        do {
            loaded = try DefinitionsLoader(root: root).load()
        } catch {
            return .refused([error.message])
        }
        if loaded.hasErrors {
            return .refused(
                loaded.diagnostics.filter { $0.severity == .error }.map { "\($0.location): error: \($0.message)" }
            )
        }
        return .loaded(loaded.definitions)
    }
}
