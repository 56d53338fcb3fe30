import Foundation
import Logging
import PostgresNIO
import WaymarkStore

/// A database of its own for one test, on the PostgreSQL server that
/// `scripts/install-test-deps.sh` starts (or the one `WAYMARK_TEST_POSTGRES` names: a URL of a role
/// that may create databases), dropped when the test ends.
///
/// A server that cannot be reached fails the test: these tests are not skipped, as a store that
/// was never exercised would pass for one that works.
enum PostgresTestDatabase {
    static var adminURL: String {
        ProcessInfo.processInfo.environment["WAYMARK_TEST_POSTGRES"]
            ?? "postgres://waymark:waymark@127.0.0.1:5432/waymark_test"
    }

    /// Runs `body` with the URL of a new, empty database, and drops the database after.
    static func with<T>(_ body: (String) async throws -> T) async throws -> T {
        let admin = try PostgresStoreURL(adminURL)
        let name = "waymark_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await run(admin, "CREATE DATABASE \(name)")
        var url = URLComponents()
        url.scheme = "postgres"
        url.user = admin.username
        url.password = admin.password
        url.host = admin.host
        url.port = admin.port
        url.path = "/" + name
        url.queryItems = [URLQueryItem(name: "sslmode", value: admin.tls.rawValue)]
        do {
            let result = try await body(url.string!)
            try await run(admin, "DROP DATABASE \(name) WITH (FORCE)")
            return result
        } catch {
            try? await run(admin, "DROP DATABASE \(name) WITH (FORCE)")
            throw error
        }
    }

    /// Runs `body` with a store (``PostgresEventStore/Access/shared``) on a new, empty database,
    /// and closes the store and drops the database after, also when `body` throws.
    static func withStore<T>(_ body: (PostgresEventStore) async throws -> T) async throws -> T {
        try await with { url in
            let store = try await PostgresEventStore.open(url: url, access: .shared)
            do {
                let result = try await body(store)
                await store.close()
                return result
            } catch {
                await store.close()
                throw error
            }
        }
    }

    /// The first column of every row `sql` returns on the database of `url`, as text.
    static func texts(_ url: String, _ sql: String) async throws -> [String] {
        try await texts(PostgresStoreURL(url), sql)
    }

    /// One statement on the admin database, on a connection of its own.
    static func run(_ admin: PostgresStoreURL, _ sql: String) async throws {
        _ = try await texts(admin, sql)
    }

    /// The first column of every row `sql` returns on `target`'s database, as text, on a connection
    /// of its own (plain TCP: the test servers are on loopback).
    static func texts(_ target: PostgresStoreURL, _ sql: String) async throws -> [String] {
        let logger = Logger(label: "waymark.tests.postgres")
        let connection = try await PostgresConnection.connect(
            configuration: PostgresConnection.Configuration(
                host: target.host, port: target.port, username: target.username, password: target.password,
                database: target.database, tls: .disable),
            id: 1, logger: logger)
        var values: [String] = []
        do {
            for try await value in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).decode(
                String.self)
            {
                values.append(value)
            }
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
        return values
    }
}
