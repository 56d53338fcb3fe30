import Foundation
import Synchronization
public import WaymarkEngine

/// A ``RecordSpill`` in a temporary file that has no name: it is unlinked as soon as it is made, so
/// nothing is left behind however the run ends, and no other process can open it.
///
/// Written against the C library, as no package on the mirror offers positional reads and writes of
/// a file shared by threads; Foundation's `FileHandle` keeps one position for all of them.
public final class TemporaryFileSpill: RecordSpill {
    private let descriptor: Int32
    /// The end of what has been reserved so far: each append takes its range under the lock and
    /// writes it outside, so threads write at once.
    private let end = Mutex(0)

    /// Makes the file in `directory` (default: `TMPDIR`, else `/tmp`).
    public init(directory: String? = nil) throws(SpillError) {
        let folder = directory ?? getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array("\(folder)/waymark-spill-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw SpillError("cannot make a temporary file in \(folder): \(String(cString: strerror(errno)))")
        }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        descriptor = fd
    }

    deinit { close(descriptor) }

    public func append(_ bytes: [UInt8]) throws(SpillError) -> Int {
        let offset = end.withLock { end in
            defer { end += bytes.count }
            return end
        }
        let written = bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = pwrite(descriptor, raw.baseAddress! + done, raw.count - done, off_t(offset + done))
                if n < 0, errno == EINTR { continue }
                guard n > 0 else { return errno }
                done += n
            }
            return 0
        }
        guard written == 0 else {
            throw SpillError("cannot write the temporary file: \(String(cString: strerror(written)))")
        }
        return offset
    }

    public func read(from offset: Int, count: Int) throws(SpillError) -> [UInt8] {
        var failure: SpillError?
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var done = 0
            while done < count {
                let n = pread(descriptor, buffer.baseAddress! + done, count - done, off_t(offset + done))
                if n < 0, errno == EINTR { continue }
                guard n > 0 else {
                    failure = SpillError(
                        n == 0
                            ? "the temporary file ends before the record"
                            : "cannot read the temporary file: \(String(cString: strerror(errno)))")
                    break
                }
                done += n
            }
            initialized = done
        }
        if let failure { throw failure }
        return bytes
    }
}
