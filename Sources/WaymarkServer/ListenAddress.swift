/// A `--listen HOST:PORT` value.
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT`, `[IPv6]:PORT` or `:PORT` (loopback).
    public init(parsing text: String) throws(ServeError) {
        var hostPart: Substring
        var portPart: Substring
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            hostPart = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw ServeError.badListenAddress(text) }
            portPart = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw ServeError.badListenAddress(text) }
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
        }
        if hostPart.isEmpty { hostPart = "127.0.0.1" }
        guard let port = Int(portPart), (0...65_535).contains(port) else { throw ServeError.badListenAddress(text) }
        self.init(host: String(hostPart), port: port)
    }

    /// True for addresses that only this machine can reach: 127.0.0.0/8, ::1 and `localhost`.
    public var isLoopback: Bool {
        let lower = host.lowercased()
        if lower == "localhost" || lower == "::1" || lower == "0:0:0:0:0:0:0:1" { return true }
        let parts = lower.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// Why the daemon refused to start; each is a one-line message for the operator (exit code 2).
public enum ServeError: Error, Sendable, CustomStringConvertible, Equatable {
    case badListenAddress(String)
    case notLoopbackWithoutTokens(String)
    case definitionsRefused([String])

    public var description: String {
        switch self {
        case .badListenAddress(let text):
            "invalid --listen '\(text)': expected HOST:PORT, for example 127.0.0.1:8080"
        case .notLoopbackWithoutTokens(let address):
            "refusing to listen on \(address) without --tokens: without authentication the daemon "
                + "only listens on loopback (127.0.0.1, ::1 or localhost); pass --tokens FILE to listen on "
                + "other addresses"
        case .definitionsRefused(let diagnostics):
            "the definitions have errors:\n" + diagnostics.joined(separator: "\n")
        }
    }
}
