import Dispatch

/// Work split into contiguous chunks that run on several threads, with the results kept in chunk
/// order, so that the outcome is the same whatever the number of threads.
///
/// Written here because Dispatch's `concurrentPerform` gives only an index: collecting results needs
/// a buffer each chunk writes to alone, and that pattern is easy to get subtly wrong when repeated.
enum ParallelChunks {
    /// Below this many items a thread costs more than it saves.
    static let minimumPerChunk = 2048

    /// The bounds of up to `workers * 4` chunks over `0..<count` (one chunk when threads would not pay).
    static func bounds(count: Int, workers: Int) -> [Range<Int>] {
        let chunks = workers > 1 ? max(1, min(workers * 4, count / minimumPerChunk)) : 1
        return (0..<chunks).map { k in (count * k / chunks)..<(count * (k + 1) / chunks) }
    }

    /// `body` applied to each chunk of `0..<count`, on up to `workers` threads; results in chunk order.
    static func map<Result: Sendable>(
        count: Int, workers: Int, _ body: @Sendable (Range<Int>) -> Result
    ) -> [Result] {
        let ranges = bounds(count: count, workers: workers)
        return map(chunks: ranges.count, workers: workers) { body(ranges[$0]) }
    }

    /// `body(k)` for each chunk `k` of `0..<chunks`, on up to `workers` threads; results in order of `k`.
    static func map<Result: Sendable>(
        chunks: Int, workers: Int, _ body: @Sendable (Int) -> Result
    ) -> [Result] {
        if chunks <= 1 || workers <= 1 { return (0..<chunks).map(body) }
        var results = [Result?](repeating: nil, count: chunks)
        results.withUnsafeMutableBufferPointer { slots in
            // Each chunk writes only its own slot, and `concurrentPerform` returns once all are done.
            nonisolated(unsafe) let slots = slots
            DispatchQueue.concurrentPerform(iterations: chunks) { k in
                slots[k] = body(k)
            }
        }
        return results.map { $0! }
    }
}
