import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The SQLite store's writer lock: an exclusive `flock` on a file beside the database, held while
/// a daemon uses it.
///
/// One daemon writes a database at a time, for the reason ``PostgresEventStore`` gives: each
/// daemon's engine sees only the events it accepted itself and rewrites the task lists from them.
/// SQLite's own locks cover one transaction, not a process's lifetime, so they cannot say that.
/// The kernel lets go of a `flock` when its holder exits, killed or not, so a crash never leaves a
/// database locked. The lock is on a file of its own, not on the database: SQLite's POSIX locks on
/// the database file are all dropped when any descriptor of that file closes in the process, which
/// a descriptor of ours would risk. The file holds nothing and stays after the lock goes (removing
/// a lock file races with the next holder opening it).
///
/// Written by hand because no package on this machine's mirror wraps `flock`; it is four calls.
final class WriterLockFile: Sendable {
    /// The lock file's path: the database's with `-waymark.lock`, beside SQLite's `-wal` and `-shm`.
    let path: String
    /// The open descriptor holding the lock; -1 once let go (so that a second release closes no
    /// descriptor the process has since opened under the same number).
    private let descriptor: Mutex<Int32>

    /// Takes the lock for the database at `databasePath`, or throws ``SQLiteStoreError`` at once if
    /// another process (or another store in this one) holds it.
    init(databasePath: String) throws {
        path = databasePath + "-waymark.lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw SQLiteStoreError(
                message: "cannot open the writer lock file \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let reason = errno
            close(fd)
            if reason == EWOULDBLOCK {
                throw SQLiteStoreError(
                    message: "another waymark daemon is writing the SQLite database \(databasePath) "
                        + "(it holds \(path)); one daemon writes a database at a time")
            }
            throw SQLiteStoreError(message: "cannot lock \(path): \(String(cString: strerror(reason)))")
        }
        descriptor = Mutex(fd)
    }

    /// Lets go of the lock now (closing the descriptor releases the `flock`).
    func release() {
        descriptor.withLock { fd in
            guard fd >= 0 else { return }
            close(fd)
            fd = -1
        }
    }

    deinit { release() }
}
