import HTTPTypes
import Hummingbird

/// Checks the bearer token of a request against the tokens file and the scope an endpoint needs.
struct Authorizer: Sendable {
    /// Who is calling, once authenticated. Without a tokens file every caller may do everything.
    struct Caller: Sendable {
        var name: String
        /// The roles whose tasks the caller may read; nil means all.
        var roles: Set<String>?
    }

    var tokens: TokenFile?

    /// The caller, or 401 (no or unknown token) / 403 (token without the scope).
    ///
    /// The token comes from `Authorization: Bearer`; for `GET /` only, a browser may pass it as
    /// `?access_token=` (RFC 6750 section 2.3) since a link cannot set a header.
    func authorize(_ request: Request, scope: Scope, allowQueryToken: Bool = false) throws -> Caller {
        guard let tokens else { return Caller(name: "anonymous", roles: nil) }
        var presented: String?
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" { presented = String(parts[1]) }
        } else if allowQueryToken, let token = request.uri.queryParameters["access_token"] {
            presented = String(token)
        }
        guard let presented, let entry = tokens.entry(forToken: presented) else {
            throw HTTPError(
                .unauthorized, headers: [.wwwAuthenticate: "Bearer realm=\"waymark\""],
                message: "a valid bearer token is required"
            )
        }
        guard entry.scopes.contains(scope) else {
            throw HTTPError(.forbidden, message: "this token lacks the scope \(scope.rawValue)")
        }
        return Caller(name: entry.name, roles: entry.roles)
    }
}
