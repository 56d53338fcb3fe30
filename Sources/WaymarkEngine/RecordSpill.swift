import Synchronization

/// Where ``CaseByCaseRun`` keeps the records it has written, between running the cases and writing
/// the lists in order.
///
/// The lists are ordered across cases (tasks by due date, alerts by moment), so no record can be
/// written until every case has run; held in memory, the records of a million events were 270 MB.
/// The engine core touches no file, so the place is given to it: a temporary file for `waymark run`
/// (`TemporaryFileSpill` in WaymarkSpill), memory for tests and small runs (``MemorySpill``).
public protocol RecordSpill: Sendable {
    /// Keeps `bytes`; returns the offset at which ``read(from:count:)`` finds them.
    func append(_ bytes: [UInt8]) throws(SpillError) -> Int
    /// `count` bytes kept from `offset` on.
    func read(from offset: Int, count: Int) throws(SpillError) -> [UInt8]
}

/// A spill that could not be written or read (a full disk, say).
public struct SpillError: Error, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// A spill held in memory.
public final class MemorySpill: RecordSpill {
    private let kept = Mutex<[UInt8]>([])

    public init() {}

    public func append(_ bytes: [UInt8]) throws(SpillError) -> Int {
        kept.withLock { kept in
            defer { kept += bytes }
            return kept.count
        }
    }

    public func read(from offset: Int, count: Int) throws(SpillError) -> [UInt8] {
        try kept.withLock { kept throws(SpillError) in
            guard offset >= 0, count >= 0, offset + count <= kept.count else {
                throw SpillError("read past the end of the spill")
            }
            return Array(kept[offset..<offset + count])
        }
    }

    /// Bytes kept so far (for tests).
    public var count: Int { kept.withLock { $0.count } }
}
