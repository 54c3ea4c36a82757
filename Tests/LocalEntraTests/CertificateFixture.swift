import Foundation
import HummingbirdTesting
import JOSE
import LocalEntra
import OIDCCore
import TestSupport
import Testing

/// Keys and registrations for the certificate-credential and on-behalf-of tests: a client
/// with a registered certificate and a registered bare public key, one whose certificate has
/// expired, and a public client. RSA keys are slow to make, so they are made once.
struct CertificateFixture: Sendable {
    static let shared: CertificateFixture? = try? CertificateFixture()

    static let clientID = "c0ffee00-0000-4000-8000-000000000001"
    static let expiredClientID = "c0ffee00-0000-4000-8000-000000000002"
    static let publicClientID = "c0ffee00-0000-4000-8000-000000000003"

    /// The key of the registered certificate.
    let certificateKey: RSASigningKey
    /// A key registered as a bare PEM public key.
    let publicKeyKey: RSASigningKey
    /// A key nobody registered.
    let strangerKey: RSASigningKey
    /// The key of the expired certificate.
    let expiredKey: RSASigningKey
    /// The registered certificate's PEM.
    let certificatePEM: String
    let registrations: Registrations

    init() throws {
        certificateKey = try RSASigningKey(generatingBits: 2048, keyID: nil)
        publicKeyKey = try RSASigningKey(generatingBits: 2048, keyID: nil)
        strangerKey = try RSASigningKey(generatingBits: 2048, keyID: nil)
        expiredKey = try RSASigningKey(generatingBits: 2048, keyID: nil)
        let now = Date()
        certificatePEM = try ClientCredentialKey.selfSignedCertificate(
            for: certificateKey,
            commonName: "certificate client",
            notValidBefore: now.addingTimeInterval(-3600),
            notValidAfter: now.addingTimeInterval(365 * 86400)
        )
        let expiredPEM = try ClientCredentialKey.selfSignedCertificate(
            for: expiredKey,
            commonName: "expired",
            notValidBefore: now.addingTimeInterval(-7200),
            notValidAfter: now.addingTimeInterval(-3600)
        )
        let heroesScopes = DevelopmentTenant.apiScopes.map { "\(DevelopmentTenant.apiAppIDURI)/\($0)" }
        var registrations = Registrations.development
        registrations.clients += [
            ClientRegistration(
                clientID: Self.clientID,
                name: "Certificate Client",
                secret: nil,
                certificates: [certificatePEM, ClientCredentialKey.publicKeyPEM(of: publicKeyKey)],
                redirectURIs: [],
                permissions: heroesScopes,
                appRoles: [DevelopmentTenant.apiAppIDURI: ["Heroes.Read"]]
            ),
            ClientRegistration(
                clientID: Self.expiredClientID,
                name: "Expired Certificate Client",
                secret: nil,
                certificates: [expiredPEM],
                redirectURIs: [],
                permissions: heroesScopes,
                appRoles: [:]
            ),
            ClientRegistration(
                clientID: Self.publicClientID,
                name: "Public Client",
                secret: nil,
                redirectURIs: ["http://localhost:3000"],
                permissions: heroesScopes,
                appRoles: [:]
            ),
        ]
        self.registrations = registrations
    }

    /// The token endpoint, the audience of a client assertion.
    static let tokenEndpoint = "\(authorityURL)/\(tenant)/oauth2/v2.0/token"

    /// The claims MSAL Python writes (oauth2cli/assertion.py): no `nbf`, `exp` and `iat` as
    /// decimals, a random `jti`.
    static func msalClaims(now: Date, clientID: String = clientID) -> [String: JSONValue] {
        let time = now.timeIntervalSince1970 + 0.125
        return [
            "aud": .string(tokenEndpoint), "iss": .string(clientID), "sub": .string(clientID),
            "exp": .number(time + 600), "iat": .number(time), "jti": .string(UUID().uuidString.lowercased()),
        ]
    }

    /// A client assertion signed by `key` with `algorithm`, `header` added (`alg`, `typ` set).
    static func assertion(
        _ claims: [String: JSONValue],
        key: RSASigningKey,
        algorithm: JWSAlgorithm = .ps256,
        header: [String: JSONValue]
    ) throws -> String {
        let signer = try RSASigningKey(privateKey: key.privateKey, keyID: nil, algorithm: algorithm)
        return try signer.sign(payload: JSONValue.object(claims).serialized(), header: header)
    }

    /// Padded base64url, as MSAL writes thumbprints.
    static func padded(_ bytes: [UInt8]) -> String {
        let text = Base64URL.encode(bytes)
        return text + String(repeating: "=", count: (4 - text.count % 4) % 4)
    }

    /// MSAL's header for a certificate: `x5t#S256` (PS256) or `x5t` (RS256), padded.
    func header(sha256: Bool = true) throws -> [String: JSONValue] {
        let key = try ClientCredentialKey(pem: certificatePEM)
        return sha256
            ? ["x5t#S256": .string(Self.padded(try #require(key.sha256Thumbprint)))]
            : ["x5t": .string(Self.padded(try #require(key.sha1Thumbprint)))]
    }

    /// A token request authenticated by `assertion` (and any `extra` fields).
    static func tokenRequest(
        _ client: some TestClientProtocol,
        clientID: String? = clientID,
        assertion: String?,
        assertionType: String? = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        _ fields: [(String, String)]
    ) async throws -> TestResponse {
        var form = fields
        if let clientID { form.append(("client_id", clientID)) }
        if let assertionType { form.append(("client_assertion_type", assertionType)) }
        if let assertion { form.append(("client_assertion", assertion)) }
        return try await postForm(client, "/\(tenant)/oauth2/v2.0/token", form)
    }
}
