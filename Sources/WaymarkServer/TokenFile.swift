import Crypto
import Foundation

/// The `--tokens` file: who may call the daemon, and for what.
///
/// A JSON document holding only SHA-256 hashes of the tokens, so that the file itself grants no
/// access if it leaks:
///
/// ```json
/// {"tokens": [
///   {"name": "case-system", "sha256": "<64 hex digits>", "scopes": ["events:write"]},
///   {"name": "north-team", "sha256": "<64 hex digits>", "scopes": ["tasks:read"], "roles": ["social-worker"]}
/// ]}
/// ```
///
/// `roles`, when present, limits which roles' tasks the token may read; absent means every role.
public struct TokenFile: Sendable {
    /// One caller.
    public struct Entry: Sendable, Hashable {
        /// A label for logs (never the token itself).
        public var name: String
        /// The SHA-256 digest of the token's UTF-8 bytes.
        public var digest: [UInt8]
        public var scopes: Set<Scope>
        /// The roles whose tasks this caller may read; nil means all.
        public var roles: Set<String>?
    }

    public var entries: [Entry]

    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// Reads and checks a tokens file; every problem is reported with the entry it is in.
    public init(contentsOf path: String) throws(TokenFileError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw TokenFileError(path: path, message: "cannot read the file: \(error.localizedDescription)")
        }
        try self.init(json: data, path: path)
    }

    /// Parses the JSON form described above.
    public init(json data: Data, path: String = "<tokens>") throws(TokenFileError) {
        struct RawEntry: Decodable {
            var name: String
            var sha256: String
            var scopes: [String]
            var roles: [String]?
        }
        struct RawFile: Decodable { var tokens: [RawEntry] }
        let raw: RawFile
        do {
            raw = try JSONDecoder().decode(RawFile.self, from: data)
        } catch {
            throw TokenFileError(path: path, message: "not a tokens file: \(error)")
        }
        var entries: [Entry] = []
        for (index, rawEntry) in raw.tokens.enumerated() {
            let at = "token \(index + 1) (\(rawEntry.name))"
            guard let digest = Self.hexBytes(rawEntry.sha256), digest.count == 32 else {
                throw TokenFileError(path: path, message: "\(at): sha256 must be 64 hexadecimal digits")
            }
            var scopes: Set<Scope> = []
            for name in rawEntry.scopes {
                guard let scope = Scope(rawValue: name) else {
                    let known = Scope.allCases.map(\.rawValue).joined(separator: ", ")
                    throw TokenFileError(path: path, message: "\(at): unknown scope '\(name)' (known: \(known))")
                }
                scopes.insert(scope)
            }
            entries.append(
                Entry(name: rawEntry.name, digest: digest, scopes: scopes, roles: rawEntry.roles.map(Set.init)))
        }
        self.entries = entries
    }

    /// The entry whose hash matches a presented token, compared in constant time per entry.
    public func entry(forToken token: String) -> Entry? {
        let digest = Array(SHA256.hash(data: Array(token.utf8)))
        var found: Entry?
        for entry in entries {
            var difference: UInt8 = 0
            for (a, b) in zip(entry.digest, digest) { difference |= a ^ b }
            if difference == 0 { found = entry }
        }
        return found
    }

    /// The lower-case hex SHA-256 of a token: what an operator writes into the file.
    public static func hash(token: String) -> String {
        SHA256.hash(data: Array(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    private static func hexBytes(_ text: String) -> [UInt8]? {
        let digits = Array(text.lowercased().utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = hexValue(digits[index]), let low = hexValue(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}

/// A tokens file that cannot be used; the daemon refuses to start with it.
public struct TokenFileError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { "\(path): \(message)" }
}
