import Foundation
import HTTPKit
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JOSE
import LocalEntra
import OIDCCore
import TestSupport
import Testing

/// On-behalf-of: the built-in middle tier trades the user's token for it for a Heroes API token.
@Suite("local-entra: on-behalf-of")
struct OnBehalfOfTests {
    static let middleTierScope = "\(DevelopmentTenant.middleTierAppIDURI)/\(DevelopmentTenant.middleTierScope)"
    static let downstream = "\(DevelopmentTenant.apiAppIDURI)/Heroes.Read"

    /// The demo user's access token for the middle tier (what a front end would send it),
    /// from the password grant of the middle tier itself.
    func userToken(_ client: some TestClientProtocol, scope: String = middleTierScope) async throws -> String {
        let response = try await postForm(
            client,
            "/\(tenant)/oauth2/v2.0/token",
            [
                ("grant_type", "password"), ("client_id", DevelopmentTenant.middleTierClientID),
                ("client_secret", DevelopmentTenant.middleTierSecret), ("username", DevelopmentTenant.hero.username),
                ("password", DevelopmentTenant.hero.password), ("scope", "openid \(scope)"),
            ]
        )
        #expect(response.status == .ok)
        return try #require(json(response)[scope.hasPrefix("openid") ? "id_token" : "access_token"] as? String)
    }

    /// An on-behalf-of request as MSAL Python sends it (scope decorated with openid profile
    /// offline_access, client_info=1, claims left out when empty).
    func onBehalfOf(
        _ client: some TestClientProtocol,
        assertion: String?,
        scope: String = "\(downstream) openid profile offline_access",
        clientID: String = DevelopmentTenant.middleTierClientID,
        secret: String? = DevelopmentTenant.middleTierSecret,
        tokenUse: String? = "on_behalf_of"
    ) async throws -> TestResponse {
        var fields = [
            ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("client_id", clientID), ("scope", scope), ("client_info", "1"),
        ]
        if let secret { fields.append(("client_secret", secret)) }
        if let assertion { fields.append(("assertion", assertion)) }
        if let tokenUse { fields.append(("requested_token_use", tokenUse)) }
        return try await postForm(client, "/\(tenant)/oauth2/v2.0/token", fields)
    }

    @Test("the downstream token is the same user's, for the Heroes API, with the middle tier as azp, and refreshes")
    func exchanges() async throws {
        try await withLocalEntra { client, _ in
            let incoming = try await userToken(client)
            let response = try await onBehalfOf(client, assertion: incoming)
            #expect(response.status == .ok)
            let body = json(response)
            let access = claims(try #require(body["access_token"] as? String))
            let original = claims(incoming)
            #expect(access["aud"] == .string(DevelopmentTenant.apiClientID))
            #expect(access["oid"] == original["oid"] && access["tid"] == original["tid"])
            #expect(access["sub"] != original["sub"], "sub is pairwise per API")
            #expect(access["azp"] == .string(DevelopmentTenant.middleTierClientID) && access["scp"] == "Heroes.Read")
            #expect(body["client_info"] is String && body["id_token"] is String)
            let refreshed = try await postForm(
                client,
                "/\(tenant)/oauth2/v2.0/token",
                [
                    ("grant_type", "refresh_token"), ("client_id", DevelopmentTenant.middleTierClientID),
                    ("client_secret", DevelopmentTenant.middleTierSecret),
                    ("refresh_token", try #require(body["refresh_token"] as? String)),
                ]
            )
            #expect(refreshed.status == .ok)
        }
    }

    @Test("a middle tier with a certificate may exchange too")
    func withCertificate() async throws {
        let fixture = try #require(CertificateFixture.shared)
        var registrations = fixture.registrations
        let index = try #require(registrations.clients.firstIndex { $0.clientID == DevelopmentTenant.middleTierClientID })
        registrations.clients[index].secret = nil
        registrations.clients[index].certificates = [fixture.certificatePEM]
        let configured = registrations
        let clock = ManualClock()
        try await withLocalEntra(registrations: registrations, clock: clock) { client, entra in
            let incoming = try await TokenIssuer(authority: authorityURL, tenantID: tenant).accessToken(
                for: .user(
                    try #require(configured.user(named: DevelopmentTenant.hero.username)),
                    scopes: [DevelopmentTenant.middleTierScope]
                ),
                api: try #require(configured.api(forResource: DevelopmentTenant.middleTierClientID)),
                client: heroClient,
                key: try await entra.keys.current(),
                now: clock.date
            ).token
            let assertion = try CertificateFixture.assertion(
                CertificateFixture.msalClaims(now: clock.date, clientID: DevelopmentTenant.middleTierClientID),
                key: fixture.certificateKey,
                header: try fixture.header()
            )
            let response = try await postForm(
                client,
                "/\(tenant)/oauth2/v2.0/token",
                [
                    ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("client_id", DevelopmentTenant.middleTierClientID),
                    ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"), ("client_assertion", assertion),
                    ("assertion", incoming), ("requested_token_use", "on_behalf_of"), ("scope", Self.downstream),
                ]
            )
            #expect(response.status == .ok)
            #expect(claims(try #require(json(response)["access_token"] as? String))["azpacr"] == "2")
        }
    }

    @Test("without admin consent the user must have consented to the middle tier: AADSTS65001, then allowed after consent")
    func consent() async throws {
        var registrations = Registrations.development
        let index = try #require(registrations.clients.firstIndex { $0.clientID == DevelopmentTenant.middleTierClientID })
        registrations.clients[index].adminConsented = false
        registrations.clients[index].redirectURIs = ["http://localhost:5000/callback"]
        try await withLocalEntra(registrations: registrations) { client, _ in
            let incoming = try await userToken(client)
            let refused = try await onBehalfOf(client, assertion: incoming)
            expectEntraError(refused, "invalid_grant", 65001)
            #expect(json(refused)["suberror"] as? String == "consent_required")
            // The user consents to the middle tier's use of the Heroes API on the consent page.
            _ = try await signIn(
                client,
                uri: authorizeURI {
                    $0["client_id"] = DevelopmentTenant.middleTierClientID
                    $0["redirect_uri"] = "http://localhost:5000/callback"
                    $0["scope"] = "openid \(Self.downstream)"
                }
            )
            #expect(try await onBehalfOf(client, assertion: incoming).status == .ok)
        }
    }

    @Test(
        "a bad request is refused with Entra's error",
        arguments: [
            ("assertion for another API", "invalid_grant", 500131), ("app-only assertion", "invalid_grant", 50013),
            ("ID token as assertion", "invalid_grant", 240002), ("expired assertion", "invalid_grant", 500133),
            ("forged assertion", "invalid_grant", 50013), ("not a JWT", "invalid_grant", 50013),
            ("unknown downstream scope", "invalid_scope", 70011), ("scope not among the permissions", "invalid_scope", 65005),
            ("no requested_token_use", "invalid_request", 900144), ("other requested_token_use", "invalid_request", 90023),
            ("no assertion", "invalid_request", 900144), ("no scope", "invalid_request", 900144),
            ("wrong secret", "invalid_client", 7_000_215),
        ]
    )
    func refused(case name: String, error: String, code: Int) async throws {
        let clock = ManualClock()
        try await withLocalEntra(clock: clock) { client, _ in
            let incoming = try await userToken(client)
            let response: TestResponse
            switch name {
            case "assertion for another API":
                response = try await onBehalfOf(client, assertion: try await userToken(client, scope: Self.downstream))
            case "app-only assertion":
                let appOnly = try await postForm(
                    client,
                    "/\(tenant)/oauth2/v2.0/token",
                    [
                        ("grant_type", "client_credentials"), ("client_id", DevelopmentTenant.middleTierClientID),
                        ("client_secret", DevelopmentTenant.middleTierSecret),
                        ("scope", "\(DevelopmentTenant.middleTierAppIDURI)/.default"),
                    ]
                )
                response = try await onBehalfOf(client, assertion: try #require(json(appOnly)["access_token"] as? String))
            case "ID token as assertion":
                response = try await onBehalfOf(client, assertion: try await userToken(client, scope: "openid"))
            case "expired assertion":
                clock.advance(by: .seconds(2 * 3600))
                response = try await onBehalfOf(client, assertion: incoming)
            case "forged assertion":
                let forger = try RSASigningKey(generatingBits: 2048, keyID: nil)
                let parts = incoming.split(separator: ".")
                let forged = try forger.sign(payload: try #require(Base64URL.decode(String(parts[1]))), header: [:])
                response = try await onBehalfOf(client, assertion: forged)
            case "not a JWT": response = try await onBehalfOf(client, assertion: "not-a-jwt")
            case "unknown downstream scope":
                response = try await onBehalfOf(client, assertion: incoming, scope: "\(DevelopmentTenant.apiAppIDURI)/Heroes.Fly")
            case "scope not among the permissions":
                response = try await onBehalfOf(
                    client,
                    assertion: incoming,
                    scope: "api://\(DevelopmentTenant.secondAPIClientID)/Things.Read"
                )
            case "no requested_token_use": response = try await onBehalfOf(client, assertion: incoming, tokenUse: nil)
            case "other requested_token_use": response = try await onBehalfOf(client, assertion: incoming, tokenUse: "exchange")
            case "no assertion": response = try await onBehalfOf(client, assertion: nil)
            case "no scope": response = try await onBehalfOf(client, assertion: incoming, scope: "")
            default: response = try await onBehalfOf(client, assertion: incoming, secret: "wrong")
            }
            expectEntraError(response, error, code, status: error == "invalid_client" ? .unauthorized : .badRequest)
        }
    }
}
