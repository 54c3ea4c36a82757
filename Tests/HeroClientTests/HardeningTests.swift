import Configuration
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import OIDCClient
import SystemHarness
import Testing

@testable import HeroClient

/// The signed-in proxy against other pages in the same browser and odd paths.
@Suite("hero-client's proxy refuses hostile requests")
struct HardeningTests {
    /// Sends a request to the client's real port with a Host and headers of the test's choosing.
    func send(
        _ harness: ClientHarness,
        _ method: HTTPRequest.Method,
        _ path: String,
        host: String,
        headers: HTTPFields = [:],
        body: String? = nil
    ) async throws -> TestClient.Response {
        let port = try #require(URL(string: harness.clientBase)?.port)
        return try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
            try await client.execute(
                .init(path, method: method, authority: host, headers: headers, body: body.map { ByteBuffer(string: $0) })
            )
        }
    }

    /// Heroes API calls the client made so far.
    func apiCalls(_ harness: ClientHarness) -> [String] { harness.http.requests.filter { $0.contains("/api/heroes") } }

    @Test("DNS rebinding: a Host that is not ours is refused (421) and nothing is forwarded with the token")
    func foreignHost() async throws {
        try await ClientHarness.run { harness in
            #expect(try await harness.browser.open(try await harness.signInAtProvider()).status == 200)
            let port = try #require(URL(string: harness.clientBase)?.port)
            for host in ["evil.example:\(port)", "evil.example", "127.0.0.1.evil.example:\(port)"] {
                let response = try await send(harness, .get, "/api/heroes/", host: host, headers: [.origin: "http://evil.example"])
                #expect(response.status == .misdirectedRequest, "\(host)")
            }
            #expect(apiCalls(harness).isEmpty)
            for host in ["localhost:\(port)", "127.0.0.1:\(port)", "[::1]:\(port)", "LOCALHOST:\(port)"] {
                let response = try await send(harness, .get, "/api/heroes/", host: host)
                #expect(response.status == .ok, "\(host): \(response.status)")
            }
        }
    }

    @Test("unsafe methods need our own Origin, or none (curl); others are refused (403) and not forwarded")
    func crossOriginWrites() async throws {
        try await ClientHarness.run { harness in
            #expect(try await harness.browser.open(try await harness.signInAtProvider()).status == 200)
            let port = try #require(URL(string: harness.clientBase)?.port)
            let host = "localhost:\(port)"
            let json: HTTPFields = [.contentType: "application/json"]
            for origin in ["http://evil.example", "null", "http://localhost:\(port + 1)", "http://localhost"] {
                var headers = json
                headers[.origin] = origin
                let response = try await send(harness, .post, "/api/heroes/", host: host, headers: headers, body: "{}")
                #expect(response.status == .forbidden, "\(origin)")
            }
            #expect(apiCalls(harness).isEmpty)
            var same = json
            same[.origin] = "http://\(host)"
            // A page of ours runs in the browser that signed in, so it sends the session cookie.
            same[.cookie] = "hero_client_session=\(try #require(harness.browser.cookie("hero_client_session", host: "127.0.0.1")))"
            #expect(try await send(harness, .post, "/api/heroes/", host: host, headers: same, body: "{}").status == .created)
            #expect(try await send(harness, .post, "/api/heroes/", host: host, headers: json, body: "{}").status == .created)
            // A cross-site sign-out is refused too, and the tokens stay.
            let logout = try await send(harness, .post, "/auth/logout", host: host, headers: [.origin: "http://evil.example"])
            #expect(logout.status == .forbidden)
            #expect(await harness.services.cache.currentAccount != nil)
        }
    }

    @Test(
        "the upstream path comes from the route and a valid hero id, never from the raw path",
        arguments: ["/////api/heroes/x", "/api/heroes/not-a-uuid", "/api/heroes/..%2Fadmin", "/api/heroes/x/y"]
    )
    func oddPaths(path: String) async throws {
        try await ClientHarness.run { harness in
            #expect(try await harness.browser.open(try await harness.signInAtProvider()).status == 200)
            let port = try #require(URL(string: harness.clientBase)?.port)
            let response = try await send(harness, .get, path, host: "localhost:\(port)")
            #expect(response.status == .notFound, "\(path)")
            #expect(apiCalls(harness).isEmpty, "\(path) reached the API as \(apiCalls(harness))")
        }
    }

    @Test("empty path segments reach the collection itself, forwarded as /api/heroes/", arguments: ["//api/heroes", "/api//heroes/"])
    func emptySegments(path: String) async throws {
        try await ClientHarness.run { harness in
            #expect(try await harness.browser.open(try await harness.signInAtProvider()).status == 200)
            let port = try #require(URL(string: harness.clientBase)?.port)
            #expect(try await send(harness, .get, path, host: "localhost:\(port)").status == .ok)
            #expect(apiCalls(harness).count == 1)
            #expect(apiCalls(harness).allSatisfy { $0.hasPrefix("GET ") && $0.hasSuffix("/api/heroes/") }, "\(apiCalls(harness))")
        }
    }

    @Test("a hero id is forwarded in its canonical form")
    func canonicalID() throws {
        #expect(try HeroesProxy.upstreamPath(id: "00000000-0000-4000-8000-00000000F1A7") == "/heroes/00000000-0000-4000-8000-00000000f1a7")
        #expect(try HeroesProxy.upstreamPath(id: nil) == "/heroes/")
        #expect(throws: (any Error).self) { try HeroesProxy.upstreamPath(id: "x") }
    }

    @Test("with OIDC_ISSUER (any provider) the client id is the provider's: only an empty one is refused")
    func genericClientID() throws {
        func configuration(_ clientID: String, issuer: String?) throws -> ClientConfiguration {
            var environment = ["AZURE_CLIENT_ID": clientID, "AZURE_CLIENT_SECRET": "s", "AZURE_TENANT_ID": "t"]
            environment["OIDC_ISSUER"] = issuer
            return try ClientConfiguration(reader: ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment)))
        }
        #expect(try configuration("hero-client", issuer: "https://idp.example/realms/heroes").clientID == "hero-client")
        #expect(throws: (any Error).self) { try configuration("", issuer: "https://idp.example/realms/heroes") }
        #expect(throws: (any Error).self) { try configuration("hero-client", issuer: nil) }
    }
}
