import NIOCore
import Synchronization

/// Rendered task lists kept until the engine's state changes.
///
/// A task list over 100,000 open tasks takes far longer to render than to send; readers asking the
/// same question of the same state share one rendering. The cache is emptied as soon as a newer
/// state is seen, so it never serves a list older than the snapshot the request read.
final class ResponseCache: Sendable {
    private struct State {
        var version = -1
        var entries: [String: ByteBuffer] = [:]
    }

    private let state = Mutex(State())
    private let limit = 256

    func value(version: Int, key: String, render: () -> String) -> ByteBuffer {
        let cached: ByteBuffer? = state.withLock { state in
            state.version == version ? state.entries[key] : nil
        }
        if let cached { return cached }
        let buffer = ByteBuffer(string: render())
        state.withLock { state in
            if version > state.version {
                state.version = version
                state.entries = [:]
            }
            if version == state.version && state.entries.count < limit { state.entries[key] = buffer }
        }
        return buffer
    }
}
