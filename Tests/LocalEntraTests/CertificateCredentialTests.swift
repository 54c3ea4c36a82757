import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JOSE
import LocalEntra
import OIDCCore
import TestSupport
import Testing

/// Client authentication with a certificate (`private_key_jwt`), as MSAL Python sends it.
@Suite("local-entra: certificate credentials (client assertions)")
struct CertificateCredentialTests {
    let clientCredentials = [("grant_type", "client_credentials"), ("scope", "\(DevelopmentTenant.apiAppIDURI)/.default")]

    @Test("MSAL's assertion (PS256, padded x5t#S256, decimal exp and iat, no nbf) gets a token, twice with the same jti")
    func msalAssertion() async throws {
        let fixture = try #require(CertificateFixture.shared)
        let clock = ManualClock()
        try await withLocalEntra(registrations: fixture.registrations, clock: clock) { client, _ in
            let assertion = try CertificateFixture.assertion(
                CertificateFixture.msalClaims(now: clock.date),
                key: fixture.certificateKey,
                header: try fixture.header()
            )
            // MSAL reuses one assertion for 540 s: no replay check within its lifetime.
            for _ in 0..<2 {
                let response = try await CertificateFixture.tokenRequest(client, assertion: assertion, clientCredentials)
                #expect(response.status == .ok)
                let access = claims(try #require(json(response)["access_token"] as? String))
                #expect(access["azp"] == .string(CertificateFixture.clientID) && access["azpacr"] == "2")
                #expect(access["roles"] == ["Heroes.Read"])
                clock.advance(by: .seconds(300))
            }
        }
    }

    @Test("RS256 with a padded x5t, a bare registered public key, and no client_id (the assertion's sub names the client)")
    func otherForms() async throws {
        let fixture = try #require(CertificateFixture.shared)
        let clock = ManualClock()
        try await withLocalEntra(registrations: fixture.registrations, clock: clock) { client, _ in
            let claims = CertificateFixture.msalClaims(now: clock.date)
            let rs256 = try CertificateFixture.assertion(
                claims,
                key: fixture.certificateKey,
                algorithm: .rs256,
                header: try fixture.header(sha256: false)
            )
            #expect(try await CertificateFixture.tokenRequest(client, assertion: rs256, clientCredentials).status == .ok)
            let bare = try CertificateFixture.assertion(claims, key: fixture.publicKeyKey, header: [:])
            #expect(try await CertificateFixture.tokenRequest(client, assertion: bare, clientCredentials).status == .ok)
            let unnamed = try CertificateFixture.assertion(claims, key: fixture.certificateKey, header: try fixture.header())
            #expect(try await CertificateFixture.tokenRequest(client, clientID: nil, assertion: unnamed, clientCredentials).status == .ok)
        }
    }

    @Test("a user's grant with a certificate: the password grant's tokens say azpacr 2")
    func userGrant() async throws {
        let fixture = try #require(CertificateFixture.shared)
        let clock = ManualClock()
        try await withLocalEntra(registrations: fixture.registrations, clock: clock) { client, _ in
            let assertion = try CertificateFixture.assertion(
                CertificateFixture.msalClaims(now: clock.date),
                key: fixture.certificateKey,
                header: try fixture.header()
            )
            let response = try await CertificateFixture.tokenRequest(
                client,
                assertion: assertion,
                [
                    ("grant_type", "password"), ("username", DevelopmentTenant.hero.username),
                    ("password", DevelopmentTenant.hero.password),
                    ("scope", "openid offline_access \(DevelopmentTenant.apiAppIDURI)/Heroes.Read"),
                ]
            )
            #expect(response.status == .ok)
            let body = json(response)
            #expect(claims(try #require(body["access_token"] as? String))["azpacr"] == "2")
            // The refresh token is redeemed with a certificate too.
            let refreshed = try await CertificateFixture.tokenRequest(
                client,
                assertion: assertion,
                [("grant_type", "refresh_token"), ("refresh_token", try #require(body["refresh_token"] as? String))]
            )
            #expect(refreshed.status == .ok)
        }
    }

    /// The bad assertions, each with Entra's answer.
    enum Bad: String, CaseIterable, Sendable {
        case unknownThumbprint, wrongKey, expired, notYetValid, noExpiry, otherAudience, issuerNotSubject, otherClient
        case hmac, notAJWT, expiredCertificate, noThumbprintNoBareKey

        var expected: (error: String, code: Int) {
            switch self {
            case .unknownThumbprint, .wrongKey, .expiredCertificate, .noThumbprintNoBareKey: ("invalid_client", 700027)
            case .expired, .notYetValid: ("invalid_client", 700024)
            case .issuerNotSubject: ("invalid_client", 50048)
            case .noExpiry, .otherAudience, .otherClient, .hmac, .notAJWT: ("invalid_client", 50027)
            }
        }
    }

    @Test("a bad assertion is refused with Entra's invalid_client and AADSTS code", arguments: Bad.allCases)
    func badAssertion(_ bad: Bad) async throws {
        let fixture = try #require(CertificateFixture.shared)
        let clock = ManualClock()
        try await withLocalEntra(registrations: fixture.registrations, clock: clock) { client, _ in
            let now = clock.date
            var claims = CertificateFixture.msalClaims(now: now)
            var key = fixture.certificateKey
            var header = try fixture.header()
            var clientID = CertificateFixture.clientID
            switch bad {
            case .unknownThumbprint: header = ["x5t": .string(CertificateFixture.padded(Array(repeating: 7, count: 20)))]
            case .wrongKey: key = fixture.strangerKey
            case .expired: claims["exp"] = .number(now.timeIntervalSince1970 - 400)
            case .notYetValid: claims["nbf"] = .number(now.timeIntervalSince1970 + 400)
            case .noExpiry: claims["exp"] = nil
            case .otherAudience: claims["aud"] = .string("https://login.microsoftonline.com/\(tenant)/oauth2/v2.0/token")
            case .issuerNotSubject: claims["sub"] = .string(DevelopmentTenant.clientID)
            case .otherClient: claims = CertificateFixture.msalClaims(now: now, clientID: DevelopmentTenant.clientID)
            case .expiredCertificate:
                clientID = CertificateFixture.expiredClientID
                claims = CertificateFixture.msalClaims(now: now, clientID: clientID)
                key = fixture.expiredKey
                header = [:]
            case .noThumbprintNoBareKey:
                clientID = CertificateFixture.expiredClientID
                claims = CertificateFixture.msalClaims(now: now, clientID: clientID)
                header = [:]
            case .hmac, .notAJWT: break
            }
            var assertion = try CertificateFixture.assertion(claims, key: key, header: header)
            if bad == .expiredCertificate {
                let certificate = try ClientCredentialKey(pem: fixture.registrations.client(clientID)!.certificates[0])
                assertion = try CertificateFixture.assertion(
                    claims,
                    key: key,
                    header: ["x5t": .string(Base64URL.encode(try #require(certificate.sha1Thumbprint)))]
                )
            }
            if bad == .hmac {
                let parts = assertion.split(separator: ".")
                assertion = Base64URL.encode(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8)) + "." + parts[1] + "." + parts[2]
            }
            if bad == .notAJWT { assertion = "not-a-jwt" }
            let response = try await CertificateFixture.tokenRequest(client, clientID: clientID, assertion: assertion, clientCredentials)
            expectEntraError(response, bad.expected.error, bad.expected.code, status: .unauthorized)
        }
    }

    @Test(
        "credentials sent wrongly are refused as Entra refuses them",
        arguments: [
            ("secret and assertion", "invalid_request", 90023), ("assertion without type", "invalid_request", 900144),
            ("type without assertion", "invalid_request", 900144), ("other assertion type", "invalid_request", 90023),
            ("public client with assertion", "invalid_client", 700025), ("no credential", "invalid_client", 7_000_218),
            ("public client, client credentials", "invalid_client", 7_000_218),
        ]
    )
    func wrongCredentials(case name: String, error: String, code: Int) async throws {
        let fixture = try #require(CertificateFixture.shared)
        let clock = ManualClock()
        try await withLocalEntra(registrations: fixture.registrations, clock: clock) { client, _ in
            let assertion = try CertificateFixture.assertion(
                CertificateFixture.msalClaims(now: clock.date),
                key: fixture.certificateKey,
                header: try fixture.header()
            )
            let response: TestResponse
            switch name {
            case "secret and assertion":
                response = try await CertificateFixture.tokenRequest(
                    client,
                    clientID: heroClient.clientID,
                    assertion: assertion,
                    clientCredentials + [("client_secret", heroClient.secret!)]
                )
            case "assertion without type":
                response = try await CertificateFixture.tokenRequest(client, assertion: assertion, assertionType: nil, clientCredentials)
            case "type without assertion":
                response = try await CertificateFixture.tokenRequest(client, assertion: nil, clientCredentials)
            case "other assertion type":
                response = try await CertificateFixture.tokenRequest(
                    client,
                    assertion: assertion,
                    assertionType: "urn:ietf:params:oauth:client-assertion-type:saml2-bearer",
                    clientCredentials
                )
            case "public client with assertion":
                response = try await CertificateFixture.tokenRequest(
                    client,
                    clientID: CertificateFixture.publicClientID,
                    assertion: assertion,
                    clientCredentials
                )
            case "no credential":
                response = try await CertificateFixture.tokenRequest(client, assertion: nil, assertionType: nil, clientCredentials)
            default:
                response = try await CertificateFixture.tokenRequest(
                    client,
                    clientID: CertificateFixture.publicClientID,
                    assertion: nil,
                    assertionType: nil,
                    clientCredentials
                )
            }
            expectEntraError(response, error, code, status: error == "invalid_client" ? .unauthorized : .badRequest)
        }
    }

    @Test(
        "client credentials scopes are refused as Entra refuses them",
        arguments: [
            ("openid", "invalid_scope", 1_002_012), ("\(DevelopmentTenant.apiAppIDURI)/Heroes.Read", "invalid_scope", 1_002_012),
            ("\(DevelopmentTenant.apiAppIDURI)/.default openid", "invalid_scope", 1_002_012),
            ("https://graph.microsoft.com/.default", "invalid_resource", 500011),
            ("\(DevelopmentTenant.apiAppIDURI)/.default api://\(DevelopmentTenant.secondAPIClientID)/.default", "invalid_scope", 700022),
            ("", "invalid_request", 900144),
        ]
    )
    func clientCredentialsScopes(scope: String, error: String, code: Int) async throws {
        try await withLocalEntra { client, _ in
            let response = try await postForm(
                client,
                "/\(tenant)/oauth2/v2.0/token",
                [
                    ("grant_type", "client_credentials"), ("client_id", heroClient.clientID), ("client_secret", heroClient.secret!),
                    ("scope", scope),
                ]
            )
            expectEntraError(response, error, code)
        }
    }

    @Test("a registrations file with a bad certificate is refused, naming the client and entry")
    func badRegistration() throws {
        var registrations = Registrations.development
        registrations.clients[0].certificates = ["-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"]
        #expect(throws: RegistrationError.self) { try registrations.validate() }
        do {
            try registrations.validate()
        } catch {
            #expect(error.description.contains("clients[\(heroClient.clientID)].certificates[0]"))
        }
    }
}
