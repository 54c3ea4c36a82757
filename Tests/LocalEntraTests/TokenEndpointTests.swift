import Foundation
import HTTPTypes
import HummingbirdTesting
import JOSE
import LocalEntra
import NIOCore
import TestSupport
import Testing

@Suite("local-entra: the token endpoint")
struct TokenEndpointTests {
    @Test("a code redeems for an access token, an ID token with the nonce, and a refresh token")
    func authorizationCode() async throws {
        try await withLocalEntra { client, _ in
            let response = try await redeem(client, code: try await code(client))
            #expect(response.status == .ok)
            #expect(response.headers[.cacheControl] == "no-store")
            let body = json(response)
            #expect(body["token_type"] as? String == "Bearer")
            #expect((body["expires_in"] as? Int).map { (3600...5400).contains($0) } == true)
            let scope = try #require(body["scope"] as? String)
            #expect(scope.contains("\(heroesAPI.appIDURI)/Heroes.Read") && scope.contains("\(heroesAPI.appIDURI)/Heroes.Write"))
            #expect(body["refresh_token"] is String)

            let access = claims(try #require(body["access_token"] as? String))
            #expect(access["aud"] == .string(heroesAPI.clientID))
            #expect(access["iss"] == .string("\(authorityURL)/\(tenant)/v2.0"))
            #expect(access["scp"] == "Heroes.Read Heroes.Write")
            #expect(access["azp"] == .string(heroClient.clientID))
            #expect(access["name"] == "Demo Hero" && access["preferred_username"] == "hero@localentra.dev")
            #expect(access["ver"] == "2.0" && access["tid"] == .string(tenant))
            for claim in ["iat", "nbf", "exp", "aio", "azpacr", "oid", "rh", "sub", "uti"] {
                #expect(access[claim] != nil, "\(claim)")
            }

            let id = claims(try #require(body["id_token"] as? String))
            #expect(id["aud"] == .string(heroClient.clientID))
            #expect(id["nonce"] == "nonce-456")
            #expect(id["sub"] != access["sub"], "sub is pairwise: it differs per application")
            #expect(id["oid"] == access["oid"])
        }
    }

    @Test("the client secret may come with HTTP Basic; a wrong one is AADSTS7000215 with 401")
    func clientAuthentication() async throws {
        try await withLocalEntra { client, _ in
            let basic = Data("\(heroClient.clientID):\(heroClient.secret!)".utf8).base64EncodedString()
            let ok = try await postForm(
                client,
                "/\(tenant)/oauth2/v2.0/token",
                [
                    ("grant_type", "authorization_code"), ("code", try await code(client)), ("redirect_uri", redirectURI),
                    ("code_verifier", pkceVerifier),
                ],
                headers: [.authorization: "Basic \(basic)"]
            )
            #expect(ok.status == .ok)

            let wrong = try await postForm(
                client,
                "/\(tenant)/oauth2/v2.0/token",
                [
                    ("grant_type", "authorization_code"), ("client_id", heroClient.clientID), ("client_secret", "nope"),
                    ("code", try await code(client)), ("redirect_uri", redirectURI), ("code_verifier", pkceVerifier),
                ]
            )
            expectEntraError(wrong, "invalid_client", 7_000_215, status: .unauthorized)

            // The secret twice (Basic and body) is one credential too many: AADSTS90023 InvalidRequest.
            let twice = try await postForm(
                client,
                "/\(tenant)/oauth2/v2.0/token",
                [("grant_type", "client_credentials"), ("client_secret", heroClient.secret!), ("scope", "\(heroesAPI.appIDURI)/.default")],
                headers: [.authorization: "Basic \(basic)"]
            )
            expectEntraError(twice, "invalid_request", 90023)
        }
    }

    @Test("a code is single-use (AADSTS54005)")
    func singleUse() async throws {
        try await withLocalEntra { client, _ in
            let code = try await code(client)
            #expect(try await redeem(client, code: code).status == .ok)
            expectEntraError(try await redeem(client, code: code), "invalid_grant", 54005)
        }
    }

    @Test("a code expires after 10 minutes (AADSTS70008)")
    func expiry() async throws {
        let clock = ManualClock()
        try await withLocalEntra(clock: clock) { client, _ in
            let code = try await code(client)
            clock.advance(by: .seconds(601))
            expectEntraError(try await redeem(client, code: code), "invalid_grant", 70008)
        }
    }

    @Test("the redirect URI must match the authorization request's (AADSTS50011)")
    func redirectURIMustMatch() async throws {
        try await withLocalEntra { client, _ in
            let code = try await code(client)
            let response = try await postForm(
                client,
                "/\(tenant)/oauth2/v2.0/token",
                [
                    ("grant_type", "authorization_code"), ("client_id", heroClient.clientID), ("client_secret", heroClient.secret!),
                    ("code", code), ("redirect_uri", "http://localhost:8000/other"), ("code_verifier", pkceVerifier),
                ]
            )
            expectEntraError(response, "invalid_request", 50011)
        }
    }

    @Test("PKCE: a wrong or missing verifier is AADSTS501481; plain challenges work too")
    func pkce() async throws {
        try await withLocalEntra { client, _ in
            expectEntraError(
                try await redeem(client, code: try await code(client), verifier: String(repeating: "a", count: 43)),
                "invalid_grant",
                501481
            )
            let plain = String(repeating: "p", count: 50)
            let plainCode = try await code(
                client,
                uri: authorizeURI {
                    $0["code_challenge"] = plain
                    $0["code_challenge_method"] = "plain"
                }
            )
            #expect(try await redeem(client, code: plainCode, verifier: plain).status == .ok)
        }
    }

    @Test("refresh tokens rotate: the new one works, the used one no longer does, and only hashes are stored")
    func refreshRotation() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("local-entra-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try await withLocalEntra(stateFolder: folder) { client, _ in
            let first = try #require(json(try await redeem(client, code: try await code(client)))["refresh_token"] as? String)
            func refresh(_ token: String) async throws -> TestResponse {
                try await postForm(
                    client,
                    "/\(tenant)/oauth2/v2.0/token",
                    [
                        ("grant_type", "refresh_token"), ("client_id", heroClient.clientID), ("client_secret", heroClient.secret!),
                        ("refresh_token", token),
                    ]
                )
            }
            let renewed = try await refresh(first)
            #expect(renewed.status == .ok)
            let second = try #require(json(renewed)["refresh_token"] as? String)
            #expect(second != first)
            #expect(json(renewed)["access_token"] is String)
            expectEntraError(try await refresh(first), "invalid_grant", 9_002_313)
            #expect(try await refresh(second).status == .ok)

            let stored = try String(contentsOf: folder.appendingPathComponent("refresh-tokens.json"), encoding: .utf8)
            #expect(!stored.contains(first) && !stored.contains(second))
        }
    }

    @Test("refresh tokens expire")
    func refreshExpiry() async throws {
        let clock = ManualClock()
        try await withLocalEntra(clock: clock) { client, _ in
            let token = try #require(json(try await redeem(client, code: try await code(client)))["refresh_token"] as? String)
            clock.advance(by: .seconds(24 * 3600 + 1))
            let response = try await postForm(
                client,
                "/\(tenant)/oauth2/v2.0/token",
                [
                    ("grant_type", "refresh_token"), ("client_id", heroClient.clientID), ("client_secret", heroClient.secret!),
                    ("refresh_token", token),
                ]
            )
            expectEntraError(response, "invalid_grant", 70008)
        }
    }

    @Test("client credentials: api://<id>/.default gives the client's app roles; other scopes are refused")
    func clientCredentials() async throws {
        try await withLocalEntra { client, _ in
            func request(_ scope: String) async throws -> TestResponse {
                try await postForm(
                    client,
                    "/\(tenant)/oauth2/v2.0/token",
                    [
                        ("grant_type", "client_credentials"), ("client_id", heroClient.clientID), ("client_secret", heroClient.secret!),
                        ("scope", scope),
                    ]
                )
            }
            let response = try await request("\(heroesAPI.appIDURI)/.default")
            #expect(response.status == .ok)
            let body = json(response)
            #expect(body["refresh_token"] == nil && body["id_token"] == nil)
            let access = claims(try #require(body["access_token"] as? String))
            #expect(access["roles"] == ["Heroes.Read", "Heroes.Write"])
            #expect(access["scp"] == nil && access["idtyp"] == "app")
            #expect(access["aud"] == .string(heroesAPI.clientID))

            expectEntraError(try await request("\(heroesAPI.appIDURI)/Heroes.Read"), "invalid_scope", 1_002_012)
            let second = claims(try #require(json(try await request("\(secondAPI.appIDURI)/.default"))["access_token"] as? String))
            #expect(second["aud"] == .string(secondAPI.clientID))
        }
    }

    @Test("an unknown grant type is refused")
    func unknownGrant() async throws {
        try await withLocalEntra { client, _ in
            let response = try await postForm(
                client,
                "/\(tenant)/oauth2/v2.0/token",
                [
                    ("grant_type", "urn:ietf:params:oauth:grant-type:saml2-bearer"), ("client_id", heroClient.clientID),
                    ("client_secret", heroClient.secret!),
                ]
            )
            expectEntraError(response, "unsupported_grant_type", 70003)
        }
    }

    @Test("an API registered for v1 tokens gets them: v1 issuer, api:// audience, appid")
    func v1Tokens() async throws {
        var registrations = Registrations.development
        registrations.apis[0].accessTokenAcceptedVersion = 1
        try await withLocalEntra(registrations: registrations) { client, _ in
            let body = json(try await redeem(client, code: try await code(client)))
            let access = claims(try #require(body["access_token"] as? String))
            #expect(access["ver"] == "1.0")
            #expect(access["iss"] == .string("\(authorityURL)/\(tenant)/"))
            #expect(access["aud"] == .string(heroesAPI.appIDURI))
            #expect(access["appid"] == .string(heroClient.clientID) && access["azp"] == nil)
            #expect(access["unique_name"] == "hero@localentra.dev")
        }
    }
}
