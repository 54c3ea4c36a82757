import AccessTokenAuth
import HeroAPI
import HeroStorePostgres
import HeroStoreSQLite
import OIDCCore
import TestSupport
import Testing

@testable import HeroServer

/// hero-server's side of `infra/contract.json` (the Terraform's side is infra/tests).
@Suite("hero-server and the Azure deployment agree")
struct InfrastructureContractTests {
    @Test("the API's scopes and app roles are the permissions the routes check")
    func permissions() throws {
        let contract = try InfrastructureContract.load()
        let checked = HeroPermission.allCases.map(\.rawValue)
        #expect(contract.scopes.sorted() == checked.sorted())
        #expect(contract.appRoles.sorted() == checked.sorted())
    }

    @Test("every app setting the web app is given is one hero-server reads")
    func settings() throws {
        let contract = try InfrastructureContract.load()
        let tenant = "11111111-2222-3333-4444-555555555555"
        let api = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
        // For each setting: a value as the Terraform gives it, and how to see it was read.
        let settings: [String: (value: String, wasRead: (ServerConfiguration) -> Bool)] = [
            "HVALFANGST_TENANT_ID": (
                tenant, { $0.policy.issuerMode == .entra(EntraAuthority(host: EntraAuthority.publicCloudHost, tenantID: tenant)) }
            ),
            "HVALFANGST_API_SERVER_CLIENT_ID": (api, { $0.apiClientID == api && $0.policy.audiences.contains("api://\(api)") }),
            "HVALFANGST_DB_PATH": ("/home/data/heroes.sqlite", { $0.databasePath == "/home/data/heroes.sqlite" }),
            "HVALFANGST_DB_JOURNAL_MODE": ("delete", { $0.journalMode == .delete }),
        ]
        #expect(Set(contract.serverSettings) == Set(settings.keys), "a setting in infra/contract.json has no check here, or the reverse")
        let configuration = try configuration(settings.mapValues(\.value))
        #expect(!configuration.isDevelopmentMode)
        for (name, setting) in settings {
            #expect(setting.wasRead(configuration), "\(name) was not read")
        }
    }

    @Test("with PostgreSQL, every extra setting the web app is given is one hero-server reads")
    func postgresSettings() throws {
        let contract = try InfrastructureContract.load()
        let identity = "2a4b6c8d-0e1f-4a3b-9c5d-7e9f1a3b5c7d"
        let url = "postgres://id-heroes@heroes-pg.postgres.database.azure.com:5432/heroes?sslmode=require"
        let settings: [String: (value: String, wasRead: (ServerConfiguration) -> Bool)] = [
            "HVALFANGST_DATABASE_URL": (url, { $0.databaseURL?.database == "heroes" }),
            "HVALFANGST_DATABASE_AUTH": ("entra", { if case .entra = $0.databaseAuthentication { true } else { false } }),
            "HVALFANGST_MANAGED_IDENTITY_CLIENT_ID": (
                identity, { if case .entra(let configured) = $0.databaseAuthentication { configured.clientID == identity } else { false } }
            ),
        ]
        #expect(
            Set(contract.postgresServerSettings) == Set(settings.keys),
            "a setting in infra/contract.json has no check here, or the reverse"
        )
        // App Service sets these two for a web app with a managed identity.
        let platform = ["IDENTITY_ENDPOINT": "http://127.0.0.1:41741/msi/token", "IDENTITY_HEADER": "rotated-secret"]
        let configuration = try configuration(settings.mapValues(\.value).merging(platform) { $1 })
        for (name, setting) in settings {
            #expect(setting.wasRead(configuration), "\(name) was not read")
        }
    }
}
