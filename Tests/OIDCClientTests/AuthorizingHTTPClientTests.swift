import Foundation
import HTTPKit
import HTTPTypes
import OIDCClient
import Synchronization
import TestSupport
import Testing

/// A token provider that hands out `token-1`, `token-2`, … and records each `forceRenewal`.
private final class Tokens: Sendable {
    private let calls = Mutex<[Bool]>([])
    let failure: (any Error & Sendable)?
    let failOnRenewal: Bool

    init(failure: (any Error & Sendable)? = nil, failOnRenewal: Bool = false) {
        self.failure = failure
        self.failOnRenewal = failOnRenewal
    }

    var forceRenewals: [Bool] { calls.withLock { $0 } }

    func token(forceRenewal: Bool) throws -> String {
        let count = calls.withLock { calls in
            calls.append(forceRenewal)
            return calls.count
        }
        if let failure, !failOnRenewal || forceRenewal { throw failure }
        return "token-\(count)"
    }
}

private struct NoSignIn: Error, Equatable {}

private let url = URL(string: "https://api.example/api/heroes/")!

@Suite("AuthorizingHTTPClient: bearer tokens and one retry after a 401")
struct AuthorizingHTTPClientTests {
    private func client(_ http: ScriptedHTTPClient, _ tokens: Tokens) -> AuthorizingHTTPClient {
        AuthorizingHTTPClient(http) { forceRenewal in try tokens.token(forceRenewal: forceRenewal) }
    }

    @Test("adds the bearer token and keeps the request's method, body and other fields")
    func addsBearer() async throws {
        let http = ScriptedHTTPClient([.json(.created, "{}")])
        let tokens = Tokens()
        var request = HTTPClientRequest(method: .post, url: url, body: Data("{}".utf8))
        request.headerFields[.contentType] = "application/json"
        let response = try await client(http, tokens).send(request)
        #expect(response.status == .created)
        let sent = try #require(http.requests.first)
        #expect(sent.headerFields[.authorization] == "Bearer token-1")
        #expect(sent.headerFields[.contentType] == "application/json" && sent.method == .post && sent.body == Data("{}".utf8))
        #expect(tokens.forceRenewals == [false])
    }

    @Test("a token the caller set is replaced, not doubled")
    func replacesAuthorization() async throws {
        let http = ScriptedHTTPClient([.status(.ok)])
        _ = try await client(http, Tokens()).send(HTTPClientRequest(url: url, headerFields: [.authorization: "Bearer stale"]))
        #expect(http.requests.first?.headerFields[values: .authorization] == ["Bearer token-1"])
    }

    @Test("a 401 renews the token once and retries once with the new one")
    func retryAfter401() async throws {
        let http = ScriptedHTTPClient([.status(.unauthorized), .json(.ok, "[]")])
        let tokens = Tokens()
        let response = try await client(http, tokens).send(HTTPClientRequest(url: url))
        #expect(response.status == .ok)
        #expect(http.requests.map { $0.headerFields[.authorization] } == ["Bearer token-1", "Bearer token-2"])
        #expect(tokens.forceRenewals == [false, true])
    }

    @Test("a second 401 is returned as it is: no third attempt")
    func onlyOneRetry() async throws {
        let http = ScriptedHTTPClient([.status(.unauthorized), .status(.unauthorized), .status(.ok)])
        let tokens = Tokens()
        let response = try await client(http, tokens).send(HTTPClientRequest(url: url))
        #expect(response.status == .unauthorized)
        #expect(http.requests.count == 2 && http.unusedAnswers == 1)
        #expect(tokens.forceRenewals == [false, true])
    }

    @Test("other statuses are returned without a retry", arguments: [200, 403, 404, 500])
    func noRetry(status: Int) async throws {
        let http = ScriptedHTTPClient([.status(.init(code: status)), .status(.ok)])
        let tokens = Tokens()
        let response = try await client(http, tokens).send(HTTPClientRequest(url: url))
        #expect(response.status.code == status)
        #expect(http.requests.count == 1 && tokens.forceRenewals == [false])
    }

    @Test("without a token the provider's error is thrown and nothing is sent")
    func noToken() async throws {
        let http = ScriptedHTTPClient([.status(.ok)])
        await #expect(throws: NoSignIn()) { try await client(http, Tokens(failure: NoSignIn())).send(HTTPClientRequest(url: url)) }
        #expect(http.requests.isEmpty)
    }

    @Test("a renewal that fails after a 401 throws the provider's error")
    func renewalFails() async throws {
        let http = ScriptedHTTPClient([.status(.unauthorized), .status(.ok)])
        let tokens = Tokens(failure: NoSignIn(), failOnRenewal: true)
        await #expect(throws: NoSignIn()) { try await client(http, tokens).send(HTTPClientRequest(url: url)) }
        #expect(http.requests.count == 1)
    }

    @Test("an unreachable API throws HTTPClientError, not retried")
    func unreachable() async throws {
        let http = ScriptedHTTPClient([.unreachable, .status(.ok)])
        let tokens = Tokens()
        let error = await #expect(throws: HTTPClientError.self) { try await client(http, tokens).send(HTTPClientRequest(url: url)) }
        #expect(error?.code == .connectionFailed)
        #expect(tokens.forceRenewals == [false])
    }
}
