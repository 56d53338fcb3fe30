import Foundation
import WaymarkModel

/// Finds scenario files: `*.yaml` / `*.yml` under the given paths (files are taken as given),
/// sorted so that runs print in the same order everywhere.
public enum ScenarioFiles {
    /// A path that does not exist or cannot be read.
    public struct Missing: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var description: String { "\(path): no such file or directory" }
    }

    public static func find(_ paths: [String]) throws(Missing) -> [String] {
        var found: [String] = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else { throw Missing(path: path) }
            guard isDirectory.boolValue else {
                found.append(path)
                continue
            }
            guard let walker = manager.enumerator(atPath: path) else { throw Missing(path: path) }
            var inDirectory: [String] = []
            while let relative = walker.nextObject() as? String {
                if relative.hasSuffix(".yaml") || relative.hasSuffix(".yml") {
                    inDirectory.append((path as NSString).appendingPathComponent(relative))
                }
            }
            found.append(contentsOf: inDirectory.sorted())
        }
        return found
    }
}

extension ScenarioParser {
    /// Reads and parses the scenario file at `path`; a file that cannot be read is an error at its line 1.
    public static func parse(contentsOf path: String) throws(ScenarioError) -> [Scenario] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScenarioError("the file cannot be read", at: SourceLocation(file: path, line: 1, column: 1))
        }
        return try parse([UInt8](data), file: path)
    }
}
