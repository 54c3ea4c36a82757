import AppConfiguration
import Configuration
import Foundation
import HTTPKit
import HTTPKitNIO
import HeroStorePostgres
import Hummingbird
import HummingbirdTesting
import JOSE
import LocalEntra
import Logging
import OIDCCore
import PostgresTestSupport
import Synchronization
import Testing

@testable import HeroServer

@Suite("How hero-server authenticates to PostgreSQL")
struct DatabaseAuthenticationTests {
    func authentication(_ environment: [String: String]) throws -> DatabaseAuthentication {
        try DatabaseAuthentication(reader: ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment)))
    }

    @Test("password unless told otherwise")
    func defaultIsPassword() throws {
        #expect(try authentication([:]) == .password)
        #expect(try authentication(["HVALFANGST_DATABASE_AUTH": "PASSWORD"]) == .password)
    }

    @Test("entra: App Service's endpoint and the user-assigned identity's client id")
    func entra() throws {
        let settings = try authentication([
            "HVALFANGST_DATABASE_AUTH": "entra", "IDENTITY_ENDPOINT": "http://127.0.0.1:41741/msi/token",
            "IDENTITY_HEADER": "rotated-value",
            "HVALFANGST_MANAGED_IDENTITY_CLIENT_ID": "2A4B6C8D-0E1F-4A3B-9C5D-7E9F1A3B5C7D",
        ])
        let expected = try ManagedIdentityCredential.Configuration(
            endpoint: URL(string: "http://127.0.0.1:41741/msi/token")!,
            secret: "rotated-value",
            clientID: "2a4b6c8d-0e1f-4a3b-9c5d-7e9f1a3b5c7d"
        )
        #expect(settings == .entra(expected))
        #expect(!settings.description.contains("rotated-value"), "the start-up log never shows IDENTITY_HEADER")
    }

    @Test(
        "a setting that cannot work names itself",
        arguments: [
            (["HVALFANGST_DATABASE_AUTH": "kerberos"], "HVALFANGST_DATABASE_AUTH"),
            (["HVALFANGST_DATABASE_AUTH": "entra", "IDENTITY_HEADER": "s"], "IDENTITY_ENDPOINT"),
            (["HVALFANGST_DATABASE_AUTH": "entra", "IDENTITY_ENDPOINT": "http://127.0.0.1:1/msi/token"], "IDENTITY_HEADER"),
            (
                ["HVALFANGST_DATABASE_AUTH": "entra", "IDENTITY_ENDPOINT": "http://10.0.0.1/msi/token", "IDENTITY_HEADER": "s"],
                "IDENTITY_ENDPOINT"
            ),
            (
                [
                    "HVALFANGST_DATABASE_AUTH": "entra", "IDENTITY_ENDPOINT": "http://127.0.0.1:1/msi/token", "IDENTITY_HEADER": "s",
                    "HVALFANGST_MANAGED_IDENTITY_CLIENT_ID": "mine",
                ],
                "HVALFANGST_MANAGED_IDENTITY_CLIENT_ID"
            ),
        ]
    )
    func invalid(environment: [String: String], setting: String) {
        #expect {
            try authentication(environment)
        } throws: { error in
            (error as? ConfigurationError)?.setting == setting
        }
    }

    @Test("entra's passwords are local-entra's managed-identity tokens for the database, over real HTTP")
    func passwordsFromLocalEntra() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("local-entra-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let entra = try LocalEntra(configuration: .init(stateFolder: folder, managedIdentity: ManagedIdentity(secret: "header-secret")))
        let router = Router()
        entra.addRoutes(to: router)
        let application = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await application.test(.live) { client in
            let port = try #require(client.port)
            let environment = [
                "HVALFANGST_DATABASE_AUTH": "entra", "IDENTITY_ENDPOINT": "http://127.0.0.1:\(port)/msi/token",
                "IDENTITY_HEADER": "header-secret", "HVALFANGST_MANAGED_IDENTITY_CLIENT_ID": DevelopmentTenant.managedIdentityClientID,
            ]
            let reader = ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment))
            let provider = try #require(
                try DatabaseAuthentication(reader: reader).passwordProvider(httpClient: NIOHTTPClient())
            )
            let password = try await provider().value
            let payload = try #require(Base64URL.decode(String(password.split(separator: ".")[1])))
            let claims = try JWTClaims(payload: payload)
            #expect(claims.audience == [DatabaseAuthentication.databaseResource])
            #expect(claims["appid"] == .string(DevelopmentTenant.managedIdentityClientID))
            #expect(try await provider().value == password, "the token is cached, not fetched per connection")
        }
    }

    @Test("with entra, hero-server opens PostgreSQL with the identity's token for the database as the password")
    func storeOpensWithToken() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("local-entra-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let entra = try LocalEntra(configuration: .init(stateFolder: folder, managedIdentity: ManagedIdentity(secret: "header-secret")))
        let router = Router()
        entra.addRoutes(to: router)
        let server = try await PostgresTestServer.shared()
        let database = try await server.createDatabase()
        let application = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await application.test(.live) { client in
            let port = try #require(client.port)
            let settings = try configuration([
                "HVALFANGST_DATABASE_URL": server.url(database: database), "HVALFANGST_DATABASE_AUTH": "entra",
                "IDENTITY_ENDPOINT": "http://127.0.0.1:\(port)/msi/token", "IDENTITY_HEADER": "header-secret",
            ])
            let http = RecordingClient()
            let store = try await HeroStore.open(configuration: settings, httpClient: http, logger: Logger(label: "test"))
            guard case .postgres = store else {
                Issue.record("HVALFANGST_DATABASE_URL did not select PostgreSQL")
                return
            }
            let asked = http.urls.filter { $0.contains("/msi/token") }
            #expect(asked.count == 1)
            #expect(asked.first?.contains("resource=https%3A%2F%2Fossrdbms-aad.database.windows.net") == true, "\(asked)")
        }
    }
}

/// Forwards to hero-server's own client (SwiftNIO's) and records each URL.
final class RecordingClient: HTTPClient {
    private let seen = Mutex<[String]>([])
    private let client = NIOHTTPClient()
    var urls: [String] { seen.withLock { $0 } }

    func send(_ request: HTTPClientRequest) async throws(HTTPClientError) -> HTTPClientResponse {
        seen.withLock { $0.append(request.url.absoluteString) }
        return try await client.send(request)
    }
}
