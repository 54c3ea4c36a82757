import Configuration
import Foundation
import LocalEntra
import TestSupport
import Testing

@testable import HeroClient

/// hero-client's (and local-entra's) side of `infra/contract.json`.
@Suite("hero-client and the Azure deployment agree")
struct InfrastructureContractTests {
    @Test("the registered redirect URI is hero-client's default, and local-entra's development one")
    func redirectURI() throws {
        let contract = try InfrastructureContract.load()
        let defaults = try ClientConfiguration(reader: ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: [:])))
        #expect(defaults.redirectURI == contract.redirectURI)
        let developmentClient = try #require(Registrations.development.clients.first)
        #expect(developmentClient.redirectURIs == [contract.redirectURI])
    }

    @Test("local-entra's development API has the deployment's scopes and app roles")
    func developmentAPI() throws {
        let contract = try InfrastructureContract.load()
        let heroes = try #require(Registrations.development.apis.first { $0.name == "Heroes API" })
        #expect(heroes.scopes.sorted() == contract.scopes.sorted())
        #expect(heroes.appRoles.sorted() == contract.appRoles.sorted())
    }

    @Test("every setting infra/write-env-oauth.sh writes is one hero-client reads")
    func settings() throws {
        let contract = try InfrastructureContract.load()
        let client = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
        let tenant = "11111111-2222-3333-4444-555555555555"
        let api = "api://bbbbbbbb-cccc-dddd-eeee-ffffffffffff"
        let scopes = "offline_access openid profile \(api)/Heroes.Read \(api)/Heroes.Write \(api)/Heroes.Delete"
        let settings: [String: (value: String, wasRead: (ClientConfiguration) -> Bool)] = [
            "AZURE_CLIENT_ID": (client, { $0.clientID == client }),
            "AZURE_CLIENT_SECRET": ("a-deployment-secret", { $0.clientSecret == "a-deployment-secret" }),
            "AZURE_TENANT_ID": (tenant, { $0.tenantID == tenant && $0.issuer == "https://login.microsoftonline.com/\(tenant)/v2.0" }),
            "REDIRECT_URI": (contract.redirectURI, { $0.redirectURI == contract.redirectURI }),
            "SCOPES": (scopes, { $0.scopes == scopes.split(separator: " ").map(String.init) }),
            "HVALFANGST_API_URL": (
                "https://hvalfangstlinuxwebapp.azurewebsites.net/api",
                { $0.apiURL.absoluteString == "https://hvalfangstlinuxwebapp.azurewebsites.net/api" }
            ),
        ]
        #expect(Set(contract.clientSettings) == Set(settings.keys), "a setting in infra/contract.json has no check here, or the reverse")
        let configuration = try ClientConfiguration(
            reader: ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: settings.mapValues(\.value)))
        )
        #expect(!configuration.isDevelopmentMode)
        for (name, setting) in settings {
            #expect(setting.wasRead(configuration), "\(name) was not read")
        }
    }
}

@Suite(".env_oauth as the Python demo wrote it")
struct EnvironmentFileTests {
    @Test("quotes, export, comments and blank lines are read as python-dotenv reads them")
    func pythonDotenvForms() {
        let text = """
            # hero-client
            AZURE_CLIENT_ID=aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee
            export AZURE_TENANT_ID = '11111111-2222-3333-4444-555555555555'
            AZURE_CLIENT_SECRET="a~secret \\"with\\" quotes=and#hash"
            SCOPES="openid offline_access api://x/Heroes.Read"

            REDIRECT_URI=http://localhost:8000/auth/callback # the default
            HVALFANGST_API_URL="unterminated
            =no name
            """
        #expect(
            EnvironmentFile.variables(in: text) == [
                "AZURE_CLIENT_ID": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
                "AZURE_TENANT_ID": "11111111-2222-3333-4444-555555555555",
                "AZURE_CLIENT_SECRET": #"a~secret "with" quotes=and#hash"#,
                "SCOPES": "openid offline_access api://x/Heroes.Read",
                "REDIRECT_URI": "http://localhost:8000/auth/callback",
                "HVALFANGST_API_URL": #""unterminated"#,
            ]
        )
    }

    @Test("a demo-style .env_oauth with quoted SCOPES configures the client")
    func quotedScopes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("env-file-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent(".env_oauth")
        try """
        AZURE_CLIENT_ID="aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
        AZURE_CLIENT_SECRET="secret"
        AZURE_TENANT_ID="11111111-2222-3333-4444-555555555555"
        REDIRECT_URI="http://localhost:8000/auth/callback"
        SCOPES="openid offline_access api://x/Heroes.Read"
        """.write(to: file, atomically: true, encoding: .utf8)
        let configuration = try ClientConfiguration(reader: ConfigReader(provider: EnvironmentFile.provider(path: file.path)))
        #expect(configuration.scopes == ["openid", "offline_access", "api://x/Heroes.Read"])
        #expect(configuration.clientID == "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee" && configuration.clientSecret == "secret")
        let missing = try ClientConfiguration(
            reader: ConfigReader(provider: EnvironmentFile.provider(path: folder.appendingPathComponent("none").path))
        )
        #expect(missing.isDevelopmentMode)
    }
}
