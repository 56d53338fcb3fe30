import Foundation
import Testing

@testable import WaymarkServer

@Suite struct TokenFileTests {
    @Test func aTokenIsFoundByItsHashWithItsScopesAndRoles() throws {
        let json = """
            {"tokens": [
              {"name": "case-system", "sha256": "\(TokenFile.hash(token: "s3cret-one"))", "scopes": ["events:write"]},
              {"name": "north", "sha256": "\(TokenFile.hash(token: "s3cret-two"))", "scopes": ["tasks:read"],
               "roles": ["social-worker"]}
            ]}
            """
        let file = try TokenFile(json: Data(json.utf8))
        let writer = try #require(file.entry(forToken: "s3cret-one"))
        #expect(writer.name == "case-system")
        #expect(writer.scopes == [.eventsWrite])
        #expect(writer.roles == nil)
        let reader = try #require(file.entry(forToken: "s3cret-two"))
        #expect(reader.roles == ["social-worker"])
        #expect(file.entry(forToken: "s3cret-three") == nil)
        #expect(file.entry(forToken: "") == nil)
    }

    @Test func theHashIsSHA256InHex() {
        // `printf %s abc | sha256sum`
        #expect(TokenFile.hash(token: "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func anUnknownScopeOrABadHashIsRefusedWithItsEntry() {
        let badScope = #"{"tokens": [{"name": "x", "sha256": "\#(TokenFile.hash(token: "t"))", "scopes": ["all"]}]}"#
        #expect {
            try TokenFile(json: Data(badScope.utf8))
        } throws: { error in
            "\(error)".contains("token 1 (x)") && "\(error)".contains("unknown scope 'all'")
        }
        let badHash = #"{"tokens": [{"name": "y", "sha256": "abc", "scopes": []}]}"#
        #expect {
            try TokenFile(json: Data(badHash.utf8))
        } throws: { error in
            "\(error)".contains("64 hexadecimal digits")
        }
    }
}

@Suite struct ListenAddressTests {
    @Test func addressesParseAndLoopbackIsRecognised() throws {
        #expect(try ListenAddress(parsing: "127.0.0.1:8080") == ListenAddress(host: "127.0.0.1", port: 8080))
        #expect(try ListenAddress(parsing: "[::1]:0") == ListenAddress(host: "::1", port: 0))
        #expect(try ListenAddress(parsing: ":9000").host == "127.0.0.1")
        #expect(try ListenAddress(parsing: "127.1.2.3:1").isLoopback)
        #expect(try ListenAddress(parsing: "localhost:1").isLoopback)
        #expect(try !ListenAddress(parsing: "0.0.0.0:8080").isLoopback)
        #expect(try !ListenAddress(parsing: "192.168.1.4:8080").isLoopback)
        #expect(try !ListenAddress(parsing: "[::]:8080").isLoopback)
        #expect(throws: ServeError.self) { try ListenAddress(parsing: "8080") }
        #expect(throws: ServeError.self) { try ListenAddress(parsing: "host:99999") }
    }
}
