import AppConfiguration
import Configuration
import Foundation
import JOSE
import LocalEntra
import OIDCClient
import OIDCCore
import SystemHarness
import Testing

@testable import HeroClient

/// hero-client with a certificate instead of a secret (`AZURE_CLIENT_CERTIFICATE_PATH`).
@Suite("hero-client: certificate credential")
struct CertificateCredentialTests {
    /// A PEM file with a fresh certificate and its key, as azure-identity reads one.
    struct CredentialFile {
        let folder: URL
        let path: String
        let certificate: String
        let key: RSASigningKey

        init(keyOnly: Bool = false, certificateOnly: Bool = false) throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("client-cert-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            key = try RSASigningKey(generatingBits: 2048, keyID: nil)
            certificate = try ClientCredentialKey.selfSignedCertificate(
                for: key,
                commonName: "hero-client",
                notValidBefore: Date().addingTimeInterval(-60),
                notValidAfter: Date().addingTimeInterval(86400)
            )
            path = folder.appendingPathComponent("client.pem").path
            let keyPEM = ClientCredentialKey.privateKeyPEM(of: key)
            let text = keyOnly ? keyPEM : certificateOnly ? certificate : certificate + "\n" + keyPEM
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
    }

    static func configuration(_ environment: [String: String]) throws(ConfigurationError) -> ClientConfiguration {
        try ClientConfiguration(reader: ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment)))
    }

    @Test("signs in against local-entra with a registered certificate; the tokens say the client used one (azpacr 2)")
    func signsIn() async throws {
        let file = try CredentialFile()
        defer { try? FileManager.default.removeItem(at: file.folder) }
        var registrations = Registrations.development
        registrations.clients[0].secret = nil
        registrations.clients[0].certificates = [file.certificate]
        let environment = [
            "AZURE_CLIENT_ID": DevelopmentTenant.clientID, "AZURE_TENANT_ID": DevelopmentTenant.tenantID,
            "AZURE_CLIENT_CERTIFICATE_PATH": file.path,
        ]
        try await ClientHarness.run(registrations: registrations, environment: environment) { harness in
            #expect(harness.services.configuration.clientSecret == nil)
            #expect(try await harness.browser.open(try await harness.signInAtProvider()).status == 200)
            let tokens = try #require(await harness.services.cache.cachedTokens(scopes: harness.services.configuration.scopes))
            let payload = try #require(Base64URL.decode(String(tokens.accessToken.split(separator: ".")[1])))
            #expect(try JWTClaims(payload: payload)["azpacr"] == "2")
            // The refresh token is redeemed with a fresh assertion as well.
            let renewed = try await harness.services.tokenEndpoint.refresh(
                try #require(tokens.refreshToken),
                scopes: harness.services.configuration.scopes
            )
            #expect(!renewed.accessToken.isEmpty)
        }
    }

    @Test("each assertion is fresh, short-lived, for the token endpoint, and names the certificate by x5t and x5t#S256")
    func assertionShape() throws {
        let file = try CredentialFile()
        defer { try? FileManager.default.removeItem(at: file.folder) }
        let certificate = try ClientCertificate(pem: try String(contentsOfFile: file.path, encoding: .utf8))
        let registered = try ClientCredentialKey(pem: file.certificate)
        #expect(certificate.sha1Thumbprint == registered.sha1Thumbprint && certificate.sha256Thumbprint == registered.sha256Thumbprint)
        let now = Date()
        let audience = "http://127.0.0.1:9000/\(DevelopmentTenant.tenantID)/oauth2/v2.0/token"
        let first = try certificate.assertion(clientID: DevelopmentTenant.clientID, audience: audience, now: now)
        let second = try certificate.assertion(clientID: DevelopmentTenant.clientID, audience: audience, now: now)
        let verified = try JWSVerifier(allowedAlgorithms: [.rs256]).verify(first, keys: JWKSet(keys: [registered.publicKey]))
        let claims = try JWTClaims(payload: verified.payload)
        #expect(verified.header["x5t"] != nil && verified.header["x5t#S256"] != nil)
        #expect(claims.issuer == DevelopmentTenant.clientID && claims.subject == DevelopmentTenant.clientID)
        #expect(claims.audience == [audience])
        let lifetime = try #require(claims.expiration).timeIntervalSince(now)
        #expect(lifetime > 0 && lifetime <= 600)
        let other = try JWTClaims(
            payload: try JWSVerifier(allowedAlgorithms: [.rs256]).verify(second, keys: JWKSet(keys: [registered.publicKey])).payload
        )
        #expect(claims.jwtID != nil && claims.jwtID != other.jwtID)
    }

    @Test(
        "an unusable certificate setting stops the client, naming AZURE_CLIENT_CERTIFICATE_PATH",
        arguments: ["missing file", "no key", "no certificate", "key of another certificate", "secret too"]
    )
    func refused(case name: String) throws {
        let file = try CredentialFile(keyOnly: name == "no certificate", certificateOnly: name == "no key")
        defer { try? FileManager.default.removeItem(at: file.folder) }
        var path = file.path
        if name == "missing file" { path = file.folder.appendingPathComponent("absent.pem").path }
        if name == "key of another certificate" {
            let other = try CredentialFile()
            defer { try? FileManager.default.removeItem(at: other.folder) }
            try (file.certificate + "\n" + ClientCredentialKey.privateKeyPEM(of: other.key)).write(
                toFile: path,
                atomically: true,
                encoding: .utf8
            )
        }
        var environment = [
            "AZURE_CLIENT_ID": DevelopmentTenant.clientID, "AZURE_TENANT_ID": DevelopmentTenant.tenantID,
            "AZURE_CLIENT_CERTIFICATE_PATH": path,
        ]
        if name == "secret too" { environment["AZURE_CLIENT_SECRET"] = "a-secret" }
        do {
            _ = try Self.configuration(environment)
            Issue.record("\(name): accepted")
        } catch {
            #expect(error.description.contains("AZURE_CLIENT_CERTIFICATE_PATH"), "\(name)")
            #expect(!error.description.contains("MII"), "no key material in the message")
        }
    }
}
