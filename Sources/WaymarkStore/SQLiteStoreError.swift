/// The SQLite store could not be opened as asked; the message names the file.
public struct SQLiteStoreError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
