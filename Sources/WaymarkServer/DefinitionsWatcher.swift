import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// Reloads the definitions on SIGHUP and when a file in the definitions folder changes.
///
/// Polls modification times and sizes rather than using inotify: portable, cheap for a folder of
/// a few dozen files, and robust to editors that replace files by renaming.
struct DefinitionsWatcher: Service {
    let source: DefinitionsSource
    let host: EngineHost
    let metrics: DaemonMetrics
    let interval: Duration
    let handlesSignals: Bool
    let logger: Logger

    func run() async throws {
        let initial = Self.signature(of: source.folders)
        await cancelOnGracefulShutdownQuietly {
            await withTaskGroup(of: Void.self) { group in
                if handlesSignals {
                    group.addTask {
                        for await _ in await UnixSignalsSequence(trapping: .sighup) {
                            logger.info("SIGHUP: reloading definitions")
                            await reload()
                        }
                    }
                }
                if !source.folders.isEmpty {
                    group.addTask {
                        var seen = initial
                        while true {
                            do { try await Task.sleep(for: interval) } catch { return }
                            let now = Self.signature(of: source.folders)
                            if now != seen {
                                seen = now
                                logger.info("definitions folder changed: reloading")
                                await reload()
                            }
                        }
                    }
                }
                // Keeps the service alive until shutdown even with nothing to watch.
                group.addTask {
                    while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
                }
                await group.waitForAll()
            }
        }
    }

    /// Loads the definitions again; puts them in force only when they have no errors.
    func reload() async {
        switch source.load() {
        case .loaded(let definitions):
            await host.reload(definitions)
            metrics.reloadsAccepted.increment()
            logger.info(
                "definitions reloaded",
                metadata: ["pathways": "\(definitions.pathways.count)", "rulesets": "\(definitions.ruleSets.count)"]
            )
        case .refused(let diagnostics):
            metrics.reloadsRefused.increment()
            await host.refuse(diagnostics)
            logger.error(
                "definitions reload refused; the running definitions stay in force",
                metadata: ["diagnostics": .array(diagnostics.map { .string($0) })]
            )
        }
    }

    /// Paths, sizes and modification times of every YAML file under the folders, sorted.
    static func signature(of folders: [String]) -> [String] {
        folders.flatMap(signature(of:)).sorted()
    }

    static func signature(of folder: String) -> [String] {
        let manager = FileManager.default
        guard let enumerator = manager.enumerator(atPath: folder) else { return [] }
        var entries: [String] = []
        while let relative = enumerator.nextObject() as? String {
            guard relative.hasSuffix(".yaml") || relative.hasSuffix(".yml") else { continue }
            let path = (folder as NSString).appendingPathComponent(relative)
            guard let attributes = try? manager.attributesOfItem(atPath: path) else { continue }
            let size = (attributes[.size] as? NSNumber)?.int64Value ?? -1
            let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            entries.append("\(path)|\(size)|\(modified)")
        }
        return entries.sorted()
    }
}
