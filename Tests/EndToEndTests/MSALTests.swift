import Foundation
import JOSE
import LocalEntra
import OIDCCore
import SystemHarness
import Testing

/// Microsoft's own client libraries, MSAL Python and azure-identity (pinned, in
/// `.build/msal-venv`), against `local-entra serve --tls` with its development CA, each token
/// then used against hero-server, which trusts the CA through `HVALFANGST_CA_FILE`. The cases
/// are functions of `Tests/MSAL/msal_cases.py`; each prints its outcome, asserted here.
/// `make test` installs the libraries and requires the test (HVALFANGST_REQUIRE_MSAL=1); a
/// bare `swift test` without them skips it.
@Suite("MSAL Python and azure-identity against local-entra over HTTPS")
struct MSALTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let python = root.appendingPathComponent(".build/msal-venv/bin/python")
    static let installed = FileManager.default.isExecutableFile(atPath: python.path)
    static let required = ProcessInfo.processInfo.environment["HVALFANGST_REQUIRE_MSAL"] == "1"
    /// A public client (no secret: ROPC, device code, authorization code with PKCE).
    static let publicClientID = "6c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f"
    static let publicRedirectURI = "http://localhost:8400/"
    /// A confidential client whose credential is a certificate, not a secret.
    static let certificateClientID = "0e4d5c6b-7a89-4b1c-9d2e-3f4a5b6c7d8e"

    /// Each case of the script and the outcome it must print.
    static let expected: KeyValuePairs<String, String> = [
        "client_credentials_secret": "token api=200",
        "ropc": "token api=200",
        // MSAL keys accounts on client_info: uid.utid, the user's oid and the tenant.
        "accounts_and_silent_refresh": "account=\(DevelopmentTenant.hero.objectID).\(DevelopmentTenant.tenantID) token api=200",
        "device_code": "token api=200",
        "auth_code_pkce": "token api=200",
        "azure_identity_client_secret": "token api=200",
        "client_credentials_certificate": "token api=200",
        "azure_identity_certificate": "token api=200",
        // The middle tier trades the user's token for it for one to the Heroes API.
        "on_behalf_of": "token api=200",
        "ropc_wrong_password": "error invalid_grant AADSTS50126",
        "ropc_unknown_user": "error invalid_grant AADSTS50034",
    ]

    @Test(
        "client credentials (secret, certificate), ROPC, accounts and silent refresh, device code, auth code with PKCE, on-behalf-of, azure-identity, errors",
        .enabled(if: installed || required, "needs scripts/install-msal-test-tools.sh (make test runs it)")
    )
    func microsoftLibraries() async throws {
        try #require(Self.installed, "MSAL is missing: run scripts/install-msal-test-tools.sh")
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-msal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: data) }

        var registrations = Registrations.development
        registrations.clients.append(
            ClientRegistration(
                clientID: Self.publicClientID,
                name: "MSAL public client",
                secret: nil,
                redirectURIs: [Self.publicRedirectURI],
                permissions: DevelopmentTenant.apiScopes.map { "\(DevelopmentTenant.apiAppIDURI)/\($0)" }
                    + ["\(DevelopmentTenant.middleTierAppIDURI)/\(DevelopmentTenant.middleTierScope)"],
                appRoles: [:]
            )
        )
        // The certificate client: the development client's permissions and app roles, a
        // self-signed certificate instead of the secret; MSAL and azure-identity get its PEM.
        let key = try RSASigningKey(generatingBits: 2048, keyID: nil)
        let certificate = try ClientCredentialKey.selfSignedCertificate(
            for: key,
            commonName: "msal-certificate-client",
            notValidBefore: Date().addingTimeInterval(-60),
            notValidAfter: Date().addingTimeInterval(86400)
        )
        var certificateClient = try #require(registrations.clients.first { $0.clientID == DevelopmentTenant.clientID })
        certificateClient.clientID = Self.certificateClientID
        certificateClient.name = "MSAL certificate client"
        certificateClient.secret = nil
        certificateClient.certificates = [certificate]
        registrations.clients.append(certificateClient)
        let certificateFile = data.appendingPathComponent("client.pem")
        try (certificate + "\n" + ClientCredentialKey.privateKeyPEM(of: key)).write(to: certificateFile, atomically: true, encoding: .utf8)
        let config = data.appendingPathComponent("registrations.json")
        try JSONEncoder().encode(registrations).write(to: config)

        let system = SystemUnderTest(
            binaries: try ChildProcess.builtProduct("hero-server").deletingLastPathComponent(),
            data: data,
            ports: .free,
            authorityArguments: ["--config", config.path, "--device-poll-interval", "1"],
            tls: true
        )
        do {
            try await system.start()
            let settings: [String: String] = [
                "tenant": DevelopmentTenant.tenantID, "api": DevelopmentTenant.apiAppIDURI,
                "confidentialClient": DevelopmentTenant.clientID, "secret": DevelopmentTenant.clientSecret,
                "publicClient": Self.publicClientID, "redirectURI": Self.publicRedirectURI,
                "username": DevelopmentTenant.hero.username, "password": DevelopmentTenant.hero.password,
                "certificateClient": Self.certificateClientID, "certificateFile": certificateFile.path,
                "middleTier": DevelopmentTenant.middleTierClientID, "middleTierSecret": DevelopmentTenant.middleTierSecret,
                "middleTierScope": "\(DevelopmentTenant.middleTierAppIDURI)/\(DevelopmentTenant.middleTierScope)",
            ]
            let script = try ChildProcess(
                Self.python,
                arguments: [
                    Self.root.appendingPathComponent("Tests/MSAL/msal_cases.py").path, await system.authorityURL, await system.serverURL,
                    String(decoding: try JSONSerialization.data(withJSONObject: settings), as: UTF8.self),
                ],
                // requests (under MSAL and azure-identity) trusts this bundle instead of certifi's.
                environment: ["REQUESTS_CA_BUNDLE": try #require(system.caFile).path, "HOME": data.path]
            )
            let status = await script.waitForExit(timeout: .seconds(120))
            // The script prints outcomes only (never a token): "CASE name: outcome".
            let outcomes = Dictionary(
                script.output.split(separator: "\n").compactMap { line -> (String, String)? in
                    guard let match = line.firstMatch(of: /^CASE (\w+): (.*)$/) else { return nil }
                    return (String(match.1), String(match.2))
                },
                uniquingKeysWith: { first, _ in first }
            )
            for (name, outcome) in Self.expected {
                #expect(outcomes[name] == outcome, "\(name): \(outcomes[name] ?? "not run")")
            }
            #expect(Set(outcomes.keys) == Set(Self.expected.map(\.key)), "every case of the script is asserted here")
            #expect(status == 0, "the script's exit status")
        } catch {
            await system.stop()
            throw error
        }
        await system.stop()
    }
}
