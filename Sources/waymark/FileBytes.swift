import Foundation

/// Reads a whole file (or standard input) straight into one byte array.
///
/// `FileManager.contents(atPath:)` gives `Data`, and making an array of it copies it: for a
/// 124 MB events file the two were 248 MB at once, the run's peak. Read here with the C library
/// into the array itself, growing only if the file grows while it is read (or is a pipe).
enum FileBytes {
    /// The bytes of `path` (`-`: standard input), or nil if it cannot be opened or read.
    static func read(_ path: String) -> [UInt8]? {
        let fd = path == "-" ? 0 : open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { if fd != 0 { close(fd) } }
        var info = stat()
        let size = fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG ? Int(info.st_size) : 0
        // One byte more than the file, so that the read that finds its end does not grow the array.
        var bytes = [UInt8](repeating: 0, count: max(size + 1, 1 << 16))
        var count = 0
        while true {
            if count == bytes.count { bytes += [UInt8](repeating: 0, count: bytes.count) }
            let n = bytes.withUnsafeMutableBytes { raw in
                Foundation.read(fd, raw.baseAddress! + count, raw.count - count)
            }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { return nil }
            if n == 0 { break }
            count += n
        }
        bytes.removeSubrange(count...)
        return bytes
    }
}
