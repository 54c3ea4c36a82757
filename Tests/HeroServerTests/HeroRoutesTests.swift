import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import TestSupport
import Testing

@testable import HeroServer

/// What hero-server adds around the Heroes API routes (whose own behaviour HeroAPITests
/// covers): the 404 and 405 answers of its router, and the Authorization header's rules.
@Suite("hero-server around the Heroes API: routing and the Authorization header")
struct HeroRoutesTests {
    let token = accessToken()

    @Test("the app's context writes hero bodies in the seed's wire format: sorted keys, null for absent optionals")
    func wireFormat() async throws {
        try await withHeroServer { client, _ in
            let body = try await client.execute(
                uri: "/api/heroes/",
                method: .post,
                headers: headers(token: token, json: true),
                body: ByteBuffer(string: gimliJSON)
            ) { response in
                #expect(response.status == .created)
                #expect(response.headers[.contentType] == "application/json")
                return String(buffer: response.body)
            }
            let id = try #require(body.firstMatch(of: /"id":"([0-9a-f-]{36})"/)?.1)
            #expect(
                body
                    == #"{"alignment":null,"armor_class":18,"background":null,"bonds":null,"class_":"Fighter","flaws":null,"#
                    + #""hit_points":50,"id":"\#(id)","ideals":null,"level":5,"name":"Gimli","personality_traits":null,"#
                    + #""race":"Dwarf","speed":25}"#
            )
        }
    }

    @Test("unknown routes are 404 and wrong methods 405 with Allow, as problem+json")
    func routing() async throws {
        try await withHeroServer { client, _ in
            try await client.execute(uri: "/api/villains", method: .get, headers: headers(token: token)) {
                #expect($0.status == .notFound)
                #expect($0.headers[.contentType] == "application/problem+json")
            }
            try await client.execute(uri: "/api/heroes/", method: .patch, headers: headers(token: token)) {
                #expect($0.status == .methodNotAllowed)
                #expect($0.headers[.allow] == "POST, GET")
            }
            try await client.execute(uri: "/api/heroes/\(UUID())", method: .post) {
                #expect($0.status == .methodNotAllowed)
                #expect($0.headers[.allow] == "GET, PUT, DELETE")
                #expect($0.headers[.contentType] == "application/problem+json")
            }
        }
    }

    @Test("Authorization: two headers are 400; a token in the query string is ignored (401)")
    func authorizationHeader() async throws {
        try await withHeroServer { client, _ in
            var twice = HTTPFields()
            twice.append(HTTPField(name: .authorization, value: "Bearer \(token)"))
            twice.append(HTTPField(name: .authorization, value: "Bearer \(token)"))
            try await client.execute(uri: "/api/heroes/", method: .get, headers: twice) {
                #expect($0.status == .badRequest)
                #expect($0.headers[.wwwAuthenticate]?.hasPrefix(#"Bearer error="invalid_request""#) == true)
            }
            try await client.execute(uri: "/api/heroes/?access_token=\(token)", method: .get) {
                #expect($0.status == .unauthorized)
            }
            try await client.execute(
                uri: "/api/heroes/",
                method: .get,
                headers: [.authorization: "Bearer " + String(repeating: "a", count: 20_000)]
            ) {
                #expect($0.status == .unauthorized)
                #expect(
                    $0.headers[.wwwAuthenticate]
                        == #"Bearer error="invalid_token", error_description="The token is larger than 16384 bytes""#
                )
            }
        }
    }
}
