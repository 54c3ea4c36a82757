import Foundation
import HTTPKit
import HTTPKitURLSession
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JOSE
import LocalEntra
import NIOCore
import OIDCCore
import Testing

/// local-entra's emulation of App Service's managed-identity endpoint, `/msi/token`.
@Suite("Managed-identity tokens (App Service's /msi/token)")
struct ManagedIdentityTests {
    static let secret = "identity-header-secret"
    static let database = "https://ossrdbms-aad.database.windows.net"
    static let header = HTTPField.Name("X-IDENTITY-HEADER")!

    private func withEndpoint<T>(
        identity: ManagedIdentity? = ManagedIdentity(secret: secret),
        _ test: @Sendable (any TestClientProtocol, LocalEntra) async throws -> T
    ) async throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("local-entra-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let entra = try LocalEntra(configuration: .init(stateFolder: folder, publicURL: authorityURL, managedIdentity: identity))
        let router = Router()
        entra.addRoutes(to: router)
        return try await Application(router: router).test(.router) { client in try await test(client, entra) }
    }

    /// GET /msi/token?`query`, sending `identityHeader` in X-IDENTITY-HEADER (nil: none).
    private func get(_ client: some TestClientProtocol, _ query: String, identityHeader: String? = secret) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let identityHeader { headers[Self.header] = identityHeader }
        return try await client.execute(uri: "/msi/token?\(query)", method: .get, headers: headers)
    }

    @Test("a token for the database: App Service's answer, a v1 app token of the identity, signed by local-entra")
    func token() async throws {
        try await withEndpoint { client, entra in
            let query = "resource=\(Self.database)&api-version=2019-08-01&client_id=\(DevelopmentTenant.managedIdentityClientID)"
            let response = try await get(client, query)
            #expect(response.status == .ok)
            #expect(response.headers[.cacheControl] == "no-store")
            let body = json(response)
            #expect(body["resource"] as? String == Self.database)
            #expect(body["token_type"] as? String == "Bearer")
            #expect(body["client_id"] as? String == DevelopmentTenant.managedIdentityClientID)
            let expiresOn = try #require(
                (body["expires_on"] as? String).flatMap(TimeInterval.init),
                "expires_on is a string of epoch seconds"
            )
            #expect(expiresOn > Date().timeIntervalSince1970 + 3000)
            let token = try #require(body["access_token"] as? String)
            let verified = try JWTValidator(
                verifier: JWSVerifier(allowedAlgorithms: [.rs256]),
                policy: ClaimsPolicy(acceptedIssuers: ["\(authorityURL)/\(tenant)/"], acceptedAudiences: [Self.database])
            ).validate(token, keys: JWKSet(keys: try await entra.keys.publishedKeys().map(\.publicJWK)), now: Date())
            #expect(verified.claims["appid"] == .string(DevelopmentTenant.managedIdentityClientID))
            #expect(verified.claims["oid"] == .string(DevelopmentTenant.managedIdentityObjectID))
            #expect(verified.claims["idtyp"] == "app" && verified.claims["tid"] == .string(tenant) && verified.claims["ver"] == "1.0")
            #expect(verified.claims.expiration?.timeIntervalSince1970 == expiresOn)
        }
    }

    @Test("the identity may be named by client id, object id, or not at all")
    func selectors() async throws {
        try await withEndpoint { client, _ in
            for selector in [
                "", "&client_id=\(DevelopmentTenant.managedIdentityClientID)", "&object_id=\(DevelopmentTenant.managedIdentityObjectID)",
            ] {
                let response = try await get(client, "resource=\(Self.database)&api-version=2019-08-01\(selector)")
                #expect(response.status == .ok, "\(selector)")
            }
        }
    }

    @Test(
        "a missing or wrong X-IDENTITY-HEADER is refused, 401 with statusCode and message, and no token",
        arguments: [nil, "", "wrong-secret", secret + "x"]
    )
    func secretRequired(sent: String?) async throws {
        try await withEndpoint { client, _ in
            let query = "resource=\(Self.database)&api-version=2019-08-01"
            let response = try await get(client, query, identityHeader: sent)
            #expect(response.status == .unauthorized)
            let body = json(response)
            #expect(body["statusCode"] as? Int == 401)
            #expect((body["message"] as? String)?.contains("X-IDENTITY-HEADER") == true)
            #expect(body["access_token"] == nil)
        }
    }

    @Test(
        "bad requests are refused with 400 and a message",
        arguments: [
            ("resource=https://ossrdbms-aad.database.windows.net", "api-version"),
            ("resource=https://ossrdbms-aad.database.windows.net&api-version=2017-09-01", "api-version"),
            ("api-version=2019-08-01", "resource"),
            ("resource=https://ossrdbms-aad.database.windows.net/.default&api-version=2019-08-01", "/.default"),
            ("resource=r&api-version=2019-08-01&client_id=\(DevelopmentTenant.managedIdentityClientID)&mi_res_id=x", "at most one"),
            ("resource=r&api-version=2019-08-01&client_id=00000000-0000-0000-0000-000000000000", "No managed identity"),
        ]
    )
    func badRequests(query: String, mentions: String) async throws {
        try await withEndpoint { client, _ in
            let response = try await get(client, query)
            #expect(response.status == .badRequest)
            #expect((json(response)["message"] as? String)?.contains(mentions) == true)
        }
    }

    @Test("without --identity-header there is no endpoint")
    func offByDefault() async throws {
        try await withEndpoint(identity: nil) { client, _ in
            let response = try await get(client, "resource=\(Self.database)&api-version=2019-08-01")
            #expect(response.status == .notFound)
        }
    }

    @Test("end to end: the credential hero-server uses gets, caches and shares the token over real HTTP")
    func credentialAgainstLiveEndpoint() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("local-entra-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let entra = try LocalEntra(configuration: .init(stateFolder: folder, managedIdentity: ManagedIdentity(secret: Self.secret)))
        let router = Router()
        entra.addRoutes(to: router)
        let application = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await application.test(.live) { client in
            let port = try #require(client.port)
            let endpoint = try #require(URL(string: "http://127.0.0.1:\(port)/msi/token"))
            let credential = ManagedIdentityCredential(
                configuration: try .init(endpoint: endpoint, secret: Self.secret, clientID: DevelopmentTenant.managedIdentityClientID),
                httpClient: URLSessionHTTPClient()
            )
            let tokens = try await withThrowingTaskGroup(of: ManagedIdentityToken.self) { group in
                for _ in 0..<8 { group.addTask { try await credential.token(for: Self.database) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(tokens.map(\.accessToken)).count == 1, "concurrent callers share one token")
            #expect(claims(tokens[0].accessToken)["aud"] == .string(Self.database))
            #expect(!tokens[0].description.contains(tokens[0].accessToken))

            let wrong = ManagedIdentityCredential(
                configuration: try .init(endpoint: endpoint, secret: "not-the-secret", clientID: nil),
                httpClient: URLSessionHTTPClient()
            )
            await #expect {
                try await wrong.token(for: Self.database)
            } throws: { error in
                guard let error = error as? ManagedIdentityError else { return false }
                return error.code == .refused && error.reason.contains("401") && !error.description.contains("not-the-secret")
            }
        }
    }
}
