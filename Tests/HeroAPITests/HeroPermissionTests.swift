import Foundation
import HTTPTypes
import HeroAPI
import HeroDomain
import HummingbirdTesting
import NIOCore
import Testing

/// One route of the Heroes API, the permission it demands, and what success looks like.
struct Route: Sendable, CustomTestStringConvertible {
    let method: HTTPRequest.Method
    /// The path; `{id}` stands for an existing hero's id.
    let path: String
    let permission: HeroPermission
    let success: HTTPResponse.Status

    var testDescription: String { "\(method) \(path)" }

    /// Every route, with and without the trailing slash.
    static let all: [Route] = [
        Route(method: .post, path: "/api/heroes", permission: .write, success: .created),
        Route(method: .post, path: "/api/heroes/", permission: .write, success: .created),
        Route(method: .get, path: "/api/heroes", permission: .read, success: .ok),
        Route(method: .get, path: "/api/heroes/", permission: .read, success: .ok),
        Route(method: .get, path: "/api/heroes/{id}", permission: .read, success: .ok),
        Route(method: .get, path: "/api/heroes/{id}/", permission: .read, success: .ok),
        Route(method: .put, path: "/api/heroes/{id}", permission: .write, success: .ok),
        Route(method: .put, path: "/api/heroes/{id}/", permission: .write, success: .ok),
        Route(method: .delete, path: "/api/heroes/{id}", permission: .delete, success: .ok),
        Route(method: .delete, path: "/api/heroes/{id}/", permission: .delete, success: .ok),
    ]

    /// Sends the route's request about `hero`, with a valid body where it takes one.
    func send(_ client: some TestClientProtocol, about hero: Hero) async throws -> TestResponse {
        let takesBody = method == .post || method == .put
        return try await client.execute(
            uri: path.replacingOccurrences(of: "{id}", with: hero.id.description),
            method: method,
            headers: jsonHeaders,
            body: takesBody ? ByteBuffer(string: gimliJSON) : nil
        )
    }
}

@Suite("Heroes API: each route demands its permission before it does anything")
struct HeroPermissionTests {
    @Test("the route table matches HeroRoute.all, the source of the OpenAPI document")
    func table() {
        let documented = Set(HeroRoute.all.map { "\($0.method) \($0.path) \($0.permission.rawValue)" })
        let tested = Set(
            Route.all.map { route in
                let path = route.path.hasSuffix("/") ? String(route.path.dropLast()) : route.path
                return "\(route.method) \(path) \(route.permission.rawValue)"
            }
        )
        #expect(tested == documented)
    }

    @Test("with exactly its permission the route succeeds", arguments: Route.all)
    func granted(route: Route) async throws {
        try await withHeroAPI(granting: [route.permission]) { client, repository in
            let hero = try await repository.create(gimli)
            #expect(try await route.send(client, about: hero).status == route.success)
        }
    }

    @Test("with every other permission: 403 insufficient_scope naming it, and the store is untouched", arguments: Route.all)
    func missing(route: Route) async throws {
        let others = Set(HeroPermission.allCases).subtracting([route.permission])
        try await withHeroAPI(granting: others) { client, repository in
            let hero = try await repository.create(gimli)
            let response = try await route.send(client, about: hero)
            #expect(response.status == .forbidden)
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(
                response.headers[.wwwAuthenticate]
                    == #"Bearer error="insufficient_scope", error_description="The caller lacks \#(route.permission.rawValue)", scope="\#(route.permission.rawValue)""#
            )
            #expect(try response.decode(Problem.self).detail == "The caller lacks \(route.permission.rawValue)")
            #expect(try await repository.list(.first) == [hero])
        }
    }

    @Test("without credentials: 401 with a bare Bearer challenge, before the body or id is looked at", arguments: Route.all)
    func anonymous(route: Route) async throws {
        try await withHeroAPI(granting: nil) { client, repository in
            let hero = try await repository.create(gimli)
            let response = try await route.send(client, about: hero)
            #expect(response.status == .unauthorized)
            #expect(response.headers[.wwwAuthenticate] == "Bearer")
            #expect(try await repository.list(.first) == [hero])
        }
    }

    @Test("a missing permission is refused before the id is parsed or the body read")
    func permissionFirst() async throws {
        try await withHeroAPI(granting: [.read]) { client, _ in
            let response = try await client.execute(
                uri: "/api/heroes/not-a-uuid",
                method: .put,
                headers: [.contentType: "text/plain"],
                body: ByteBuffer(string: "not json")
            )
            #expect(response.status == .forbidden)
        }
    }
}
