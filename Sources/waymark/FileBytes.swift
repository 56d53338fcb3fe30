import Foundation

/// Reads a whole file (or standard input) straight into one byte array, and writes bytes to
/// standard output as they are.
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

    /// Writes all of `bytes` to standard output; false if it cannot (a closed pipe, a full disk).
    ///
    /// With the C library's `write`: `FileHandle` takes `Data`, and making one of each block of a
    /// report copied it, 0.6% of the instructions of a run that writes hundreds of megabytes.
    static func writeToStandardOutput(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            var written = 0
            while written < raw.count {
                let n = Foundation.write(1, raw.baseAddress! + written, raw.count - written)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return false }
                written += n
            }
            return true
        }
    }

    /// Writes `bytes` to standard output, or stops the command with `failure`, the reason and
    /// status 2 when they cannot be written: `FileHandle.write` stops the process with a crash
    /// report instead, and nothing after a failed write could reach the reader anyway.
    static func writeOrExit(
        _ bytes: [UInt8], command: String, failure: String = "cannot write to standard output"
    ) {
        guard !writeToStandardOutput(bytes) else { return }
        let reason = String(cString: strerror(errno))
        FileHandle.standardError.write(Data("waymark \(command): \(failure): \(reason)\n".utf8))
        exit(2)
    }

    /// The same for text.
    static func writeOrExit(_ text: String, command: String) {
        writeOrExit(Array(text.utf8), command: command)
    }
}
