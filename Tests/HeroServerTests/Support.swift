import Configuration
import Foundation
import HTTPTypes
import HeroStoreSQLite
import Hummingbird
import HummingbirdTesting
import JOSE
import Logging
import NIOCore
import NIOFoundationCompat
import TestSupport

@testable import HeroServer

/// The development authority's address, where the server in dev mode looks for keys.
let devAuthorityHost = "http://127.0.0.1:9000"

/// Reads settings from a dictionary, as if it were the environment.
func configuration(_ environment: [String: String] = [:]) throws -> ServerConfiguration {
    try ServerConfiguration(
        reader: ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment)),
        processEnvironment: environment
    )
}

/// hero-server in development mode over a fresh SQLite file, its keys served by a fake
/// local-entra, tested through Hummingbird's router test client.
func withHeroServer<T>(
    logger: Logger = Logger(label: "test"),
    _ test: @Sendable (any TestClientProtocol, FakeAuthority) async throws -> T
) async throws -> T {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hero-server-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let authority = FakeAuthority(host: devAuthorityHost, keys: [TestKeys.primary])
    let repository = try SQLiteHeroRepository.open(path: folder.appendingPathComponent("heroes.sqlite").path)
    let application = buildApplication(
        configuration: try configuration(),
        repository: repository,
        httpClient: authority,
        logger: logger
    )
    return try await application.test(.router) { client in try await test(client, authority) }
}

/// A development-mode access token with these scopes (space-separated; nil for none).
func accessToken(scopes: String? = "Heroes.Read Heroes.Write Heroes.Delete", roles: [String]? = nil) -> String {
    TestTokens.sign(TestTokens.v2Claims(now: Date(), issuerHost: devAuthorityHost)) { claims in
        claims["scp"] = scopes.map { .string($0) }
        claims["roles"] = roles.map { .array($0.map { .string($0) }) }
    }
}

/// Header fields with a bearer token and a JSON content type.
func headers(token: String?, json: Bool = false) -> HTTPFields {
    var fields = HTTPFields()
    if let token { fields[.authorization] = "Bearer \(token)" }
    if json { fields[.contentType] = "application/json" }
    return fields
}

/// A valid hero document.
let gimliJSON = #"{"name": "Gimli", "race": "Dwarf", "class_": "Fighter", "level": 5, "hit_points": 50, "armor_class": 18, "speed": 25}"#

extension TestResponse {
    /// The body parsed as a JSON object.
    var object: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
    }

    /// The body parsed as a JSON array of objects.
    var array: [[String: Any]] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [[String: Any]] ?? []
    }
}
