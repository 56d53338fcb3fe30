import Foundation
import WaymarkStore

/// Writes one JSON and one CSV task list per role into the `--emit` folder.
///
/// Each file is written to a temporary name in the same folder and renamed over the old one, so a
/// reader never sees a half-written list. A file is only rewritten when its content changed,
/// except at the start of a day, when all are rewritten so that their modification time shows
/// the lists are current.
actor TaskFileEmitter {
    private let directory: URL
    private var written: [String: String] = [:]

    init(directory: String) throws {
        self.directory = URL(fileURLWithPath: directory, isDirectory: true)
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
    }

    /// Writes the files that changed (or every file when `force`); returns how many were written.
    @discardableResult
    func emit(_ snapshot: BoardSnapshot, force: Bool) throws -> Int {
        var count = 0
        var wanted: [String: String] = [:]
        for role in snapshot.roles {
            let tasks = snapshot.tasksByRole[role] ?? []
            let name = Self.fileName(role)
            wanted[name + ".json"] = TaskListFormats.json(asOf: snapshot.asOf, tasks: tasks)
            wanted[name + ".csv"] = TaskListFormats.csv(tasks: tasks)
        }
        // A role whose last task went away gets an empty list rather than a stale one.
        for (file, _) in written where wanted[file] == nil {
            wanted[file] =
                file.hasSuffix(".json")
                ? TaskListFormats.json(asOf: snapshot.asOf, tasks: []) : TaskListFormats.csv(tasks: [])
        }
        for (file, content) in wanted.sorted(by: { $0.key < $1.key }) where force || written[file] != content {
            try writeAtomically(content, to: file)
            written[file] = content
            count += 1
        }
        return count
    }

    private func writeAtomically(_ content: String, to file: String) throws {
        let target = directory.appendingPathComponent(file)
        let temporary = directory.appendingPathComponent(".\(file).\(UUID().uuidString).tmp")
        let data = Data(content.utf8)
        try data.write(to: temporary)
        if rename(temporary.path, target.path) != 0 {
            let code = errno
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: target.path, "errno": code])
        }
    }

    /// A role id is kebab-case already; anything else is replaced so a role can never name a path.
    static func fileName(_ role: String) -> String {
        let safe = role.map { character -> Character in
            character.isLetter || character.isNumber || character == "-" || character == "_" ? character : "_"
        }
        return "tasks-" + String(safe)
    }
}
