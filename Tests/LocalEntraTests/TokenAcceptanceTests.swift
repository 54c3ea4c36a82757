import AccessTokenAuth
import Foundation
import HTTPKit
import HTTPKitURLSession
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JOSE
import LocalEntra
import Logging
import OIDCCore
import TestSupport
import Testing

/// local-entra on a real port, its tokens checked by hero-server's validator through real
/// discovery and JWKS requests.
@Suite("local-entra's tokens are accepted by the resource server's validator")
struct TokenAcceptanceTests {
    private func withLiveAuthority(
        registrations: Registrations = .development,
        _ test: @Sendable (String, LocalEntra) async throws -> Void
    ) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("local-entra-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let entra = try LocalEntra(configuration: .init(registrations: registrations, stateFolder: folder))
        let router = Router()
        entra.addRoutes(to: router)
        let application = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await application.test(.live) { client in
            try await test("http://127.0.0.1:\(try #require(client.port))", entra)
        }
    }

    private func validator(authority: String) -> AccessTokenValidator {
        let policy = AccessTokenPolicy(
            issuerMode: .entra(EntraAuthority(host: authority, tenantID: tenant)),
            audiences: AccessTokenPolicy.audiences(clientID: heroesAPI.clientID)
        )
        let keys = JWKSCache(
            source: .discovery(issuer: policy.discoveryIssuer, tenantID: tenant),
            httpClient: URLSessionHTTPClient(),
            logger: Logger(label: "test")
        )
        return AccessTokenValidator(policy: policy, keys: keys)
    }

    private func clientCredentials(_ authority: String, scope: String) async throws -> String {
        let response = try await URLSessionHTTPClient().send(
            HTTPClientRequest(
                method: .post,
                url: URL(string: "\(authority)/\(tenant)/oauth2/v2.0/token")!,
                headerFields: [.contentType: "application/x-www-form-urlencoded"],
                body: Data(
                    FormEncoding.encode([
                        ("grant_type", "client_credentials"), ("client_id", heroClient.clientID), ("client_secret", heroClient.secret!),
                        ("scope", scope),
                    ]).utf8
                )
            )
        )
        let body = try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any])
        return try #require(body["access_token"] as? String)
    }

    @Test("a v2 app-only token for the Heroes API is accepted; one for the second API is refused")
    func v2() async throws {
        try await withLiveAuthority { authority, _ in
            let validator = validator(authority: authority)
            let principal = try await validator.validate(
                try await clientCredentials(authority, scope: "\(heroesAPI.appIDURI)/.default")[...]
            )
            #expect(principal.roles == ["Heroes.Read", "Heroes.Write"])
            let other = try await clientCredentials(authority, scope: "\(secondAPI.appIDURI)/.default")
            await #expect(throws: AccessTokenError.invalidToken(.audienceNotAccepted)) {
                try await validator.validate(other[...])
            }
        }
    }

    @Test("a v1 token (API registered with accessTokenAcceptedVersion 1) is accepted")
    func v1() async throws {
        var registrations = Registrations.development
        registrations.apis[0].accessTokenAcceptedVersion = 1
        try await withLiveAuthority(registrations: registrations) { authority, _ in
            let token = try await clientCredentials(authority, scope: "\(heroesAPI.appIDURI)/.default")
            #expect(claims(token)["ver"] == "1.0")
            _ = try await validator(authority: authority).validate(token[...])
        }
    }

    @Test("after a key rotation, new tokens and tokens signed before it are both accepted")
    func rotation() async throws {
        try await withLiveAuthority { authority, entra in
            let validator = validator(authority: authority)
            let before = try await clientCredentials(authority, scope: "\(heroesAPI.appIDURI)/.default")
            _ = try await validator.validate(before[...])
            try await entra.keys.rotate()
            let after = try await clientCredentials(authority, scope: "\(heroesAPI.appIDURI)/.default")
            #expect(keyID(after) != keyID(before))
            _ = try await validator.validate(after[...])
            _ = try await validator.validate(before[...])
        }
    }
}

/// The `kid` of a token's header, read without verifying it (to compare keys).
func keyID(_ token: String) -> String? {
    guard let segment = token.split(separator: ".").first, let bytes = Base64URL.decode(String(segment)),
        let header = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
    else { return nil }
    return header["kid"] as? String
}
