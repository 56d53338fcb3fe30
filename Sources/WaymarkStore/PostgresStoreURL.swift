import Foundation

/// A `postgres://` store URL taken apart: where the server is, who to be, which database, and
/// whether to speak TLS.
///
/// The form is libpq's (`postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=MODE`), so that an
/// operator can paste what `psql` already accepts. A password may be left out of the URL and given
/// in `PGPASSWORD` instead, as libpq allows: a URL on the command line is visible to every user of
/// the machine through `ps`.
public struct PostgresStoreURL: Sendable, Hashable {
    /// How the connection is protected.
    public enum TLSMode: String, Sendable, Hashable {
        /// Plain TCP: for a server on this machine's loopback, or inside a private network the
        /// operator trusts.
        case disable
        /// TLS, with the server's certificate checked against the system's trusted roots.
        case require
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var tls: TLSMode

    /// Parses `url`; the password falls back to `environment["PGPASSWORD"]`.
    ///
    /// Without `sslmode`, a loopback server is reached in plain TCP and any other with TLS required:
    /// children's records must not cross a network in clear because an option was forgotten.
    /// `sslmode=prefer` and `allow` are refused rather than guessed at, as they fall back to plain
    /// text without saying so.
    public init(_ url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://"),
            let components = URLComponents(string: url)
        else { throw StoreURLError(url: url, reason: "expected postgres://USER@HOST:PORT/DATABASE") }
        guard let host = components.percentEncodedHost.flatMap({ $0.removingPercentEncoding }), !host.isEmpty else {
            throw StoreURLError(url: url, reason: "the URL names no host")
        }
        guard let user = components.percentEncodedUser.flatMap({ $0.removingPercentEncoding }), !user.isEmpty else {
            throw StoreURLError(url: url, reason: "the URL names no user (postgres://USER@HOST/DATABASE)")
        }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            throw StoreURLError(url: url, reason: "the URL names no database (postgres://USER@HOST/DATABASE)")
        }
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        self.port = components.port ?? 5432
        self.username = user
        self.password =
            components.percentEncodedPassword.flatMap { $0.removingPercentEncoding } ?? environment["PGPASSWORD"]
        self.database = database
        var mode: TLSMode = Self.isLoopback(self.host) ? .disable : .require
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                switch item.value ?? "" {
                case "disable": mode = .disable
                case "require", "verify-ca", "verify-full": mode = .require
                default:
                    throw StoreURLError(
                        url: url,
                        reason: "sslmode must be disable or require (verify-ca, verify-full), not '\(item.value ?? "")'"
                    )
                }
            default:
                throw StoreURLError(url: url, reason: "unknown parameter '\(item.name)' (only sslmode is understood)")
            }
        }
        self.tls = mode
    }

    /// The URL with its password hidden, for logs and error messages.
    public var redacted: String {
        "postgres://\(username)\(password == nil ? "" : ":***")@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)?sslmode=\(tls.rawValue)"
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
