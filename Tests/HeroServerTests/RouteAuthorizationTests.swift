import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import TestSupport
import Testing

@testable import HeroServer

/// One route of the Heroes API, with the permission it needs and what success looks like.
struct RouteCase: Sendable, CustomTestStringConvertible {
    let method: HTTPRequest.Method
    let path: String
    let permission: String
    let body: String?
    let success: HTTPResponse.Status

    var testDescription: String { "\(method) \(path)" }

    static let existingID = "{existing}"

    static let all: [RouteCase] = [
        RouteCase(method: .post, path: "/api/heroes/", permission: "Heroes.Write", body: gimliJSON, success: .created),
        RouteCase(method: .post, path: "/api/heroes", permission: "Heroes.Write", body: gimliJSON, success: .created),
        RouteCase(method: .get, path: "/api/heroes/", permission: "Heroes.Read", body: nil, success: .ok),
        RouteCase(method: .get, path: "/api/heroes", permission: "Heroes.Read", body: nil, success: .ok),
        RouteCase(method: .get, path: "/api/heroes/\(existingID)", permission: "Heroes.Read", body: nil, success: .ok),
        RouteCase(method: .get, path: "/api/heroes/\(existingID)/", permission: "Heroes.Read", body: nil, success: .ok),
        RouteCase(method: .put, path: "/api/heroes/\(existingID)", permission: "Heroes.Write", body: gimliJSON, success: .ok),
        RouteCase(method: .delete, path: "/api/heroes/\(existingID)", permission: "Heroes.Delete", body: nil, success: .ok),
    ]
}

@Suite("Every /api route demands a valid token with its permission")
struct RouteAuthorizationTests {
    /// Creates a hero and returns the route's path with its id.
    private func path(for route: RouteCase, client: some TestClientProtocol) async throws -> String {
        guard route.path.contains(RouteCase.existingID) else { return route.path }
        let id = try await client.execute(
            uri: "/api/heroes",
            method: .post,
            headers: headers(token: accessToken(), json: true),
            body: ByteBuffer(string: gimliJSON)
        ) { $0.object["id"] as? String }
        return route.path.replacingOccurrences(of: RouteCase.existingID, with: try #require(id))
    }

    private func send(_ route: RouteCase, _ path: String, token: String?, client: some TestClientProtocol) async throws -> TestResponse {
        try await client.execute(
            uri: path,
            method: route.method,
            headers: headers(token: token, json: route.body != nil),
            body: route.body.map { ByteBuffer(string: $0) }
        )
    }

    @Test("no token: 401 with a bare Bearer challenge", arguments: RouteCase.all)
    func noToken(route: RouteCase) async throws {
        try await withHeroServer { client, _ in
            let response = try await send(route, try await path(for: route, client: client), token: nil, client: client)
            #expect(response.status == .unauthorized)
            #expect(response.headers[.wwwAuthenticate] == "Bearer")
            #expect(response.headers[.contentType] == "application/problem+json")
        }
    }

    @Test("a bad token: 401 invalid_token with a description, and the token is not echoed", arguments: RouteCase.all)
    func badToken(route: RouteCase) async throws {
        try await withHeroServer { client, _ in
            let forged = TestTokens.sign(TestTokens.v2Claims(now: Date(), issuerHost: devAuthorityHost), key: TestKeys.attacker)
            let response = try await send(route, try await path(for: route, client: client), token: forged, client: client)
            #expect(response.status == .unauthorized)
            #expect(
                response.headers[.wwwAuthenticate] == #"Bearer error="invalid_token", error_description="The token signature is invalid""#
            )
            let body = String(buffer: response.body)
            #expect(!body.contains(forged) && !body.contains(forged.split(separator: ".")[1]))
        }
    }

    @Test("a token without the route's permission: 403 insufficient_scope naming it", arguments: RouteCase.all)
    func wrongScope(route: RouteCase) async throws {
        try await withHeroServer { client, _ in
            let others = ["Heroes.Read", "Heroes.Write", "Heroes.Delete"].filter { $0 != route.permission }
            let token = accessToken(scopes: others.joined(separator: " "))
            let response = try await send(route, try await path(for: route, client: client), token: token, client: client)
            #expect(response.status == .forbidden)
            #expect(
                response.headers[.wwwAuthenticate]
                    == #"Bearer error="insufficient_scope", error_description="The token does not grant \#(route.permission)", scope="\#(route.permission)""#
            )
        }
    }

    @Test("the right delegated scope succeeds", arguments: RouteCase.all)
    func rightScope(route: RouteCase) async throws {
        try await withHeroServer { client, _ in
            let response = try await send(
                route,
                try await path(for: route, client: client),
                token: accessToken(scopes: route.permission),
                client: client
            )
            #expect(response.status == route.success)
        }
    }

    @Test("the same permission as an app role (app-only token) succeeds", arguments: RouteCase.all)
    func rightRole(route: RouteCase) async throws {
        try await withHeroServer { client, _ in
            let token = accessToken(scopes: nil, roles: [route.permission])
            let response = try await send(route, try await path(for: route, client: client), token: token, client: client)
            #expect(response.status == route.success)
        }
    }
}
