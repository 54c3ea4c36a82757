import AppConfiguration
import Configuration
import Foundation
import HTTPKit
import OIDCCore

/// How hero-server proves itself to PostgreSQL: `HVALFANGST_DATABASE_AUTH`.
///
/// - `password` (the default): the password in `HVALFANGST_DATABASE_URL`, or `PGPASSWORD`.
/// - `entra`: no password anywhere. The web app's managed identity asks App Service's endpoint
///   (`IDENTITY_ENDPOINT`, `IDENTITY_HEADER`) for an Entra token for Azure Database for
///   PostgreSQL, and the token is the password; `HVALFANGST_MANAGED_IDENTITY_CLIENT_ID` picks a
///   user-assigned identity.
enum DatabaseAuthentication: Sendable, Equatable {
    /// A password from the URL or `PGPASSWORD`.
    case password
    /// A managed-identity token as the password.
    case entra(endpoint: URL, clientID: String?)

    /// The resource Azure Database for PostgreSQL accepts tokens for (no `/.default`).
    static let databaseResource = "https://ossrdbms-aad.database.windows.net"

    /// Reads `HVALFANGST_DATABASE_AUTH` and, for `entra`, the managed-identity settings.
    init(reader: ConfigReader) throws(ConfigurationError) {
        switch reader.string(forKey: "HVALFANGST_DATABASE_AUTH")?.lowercased() ?? "password" {
        case "password":
            self = .password
        case "entra":
            guard let endpoint = reader.string(forKey: "IDENTITY_ENDPOINT"), let url = URL(string: endpoint) else {
                throw ConfigurationError(
                    "IDENTITY_ENDPOINT",
                    "is required when HVALFANGST_DATABASE_AUTH=entra (App Service sets it for a web app with a managed identity)"
                )
            }
            guard reader.string(forKey: "IDENTITY_HEADER", isSecret: true)?.isEmpty == false else {
                throw ConfigurationError("IDENTITY_HEADER", "is required when HVALFANGST_DATABASE_AUTH=entra")
            }
            if let problem = AuthorityURL.problem(with: url) { throw ConfigurationError("IDENTITY_ENDPOINT", problem) }
            let clientID = try reader.string(forKey: "HVALFANGST_MANAGED_IDENTITY_CLIENT_ID").map { value throws(ConfigurationError) in
                try SettingValue.guid(value, setting: "HVALFANGST_MANAGED_IDENTITY_CLIENT_ID")
            }
            self = .entra(endpoint: url, clientID: clientID)
        case let other:
            throw ConfigurationError("HVALFANGST_DATABASE_AUTH", "must be password or entra, not '\(other)'")
        }
    }

    /// For `entra`, what gives the database its password: a managed-identity token (cached,
    /// renewed before expiry) asked of App Service with `secret`. Nil for `password`.
    func passwordProvider(secret: String, httpClient: any HTTPClient) throws -> (@Sendable () async throws -> String)? {
        guard case .entra(let endpoint, let clientID) = self else { return nil }
        let credential = ManagedIdentityCredential(
            configuration: try .init(endpoint: endpoint, secret: secret, clientID: clientID),
            httpClient: httpClient
        )
        return { try await credential.token(for: Self.databaseResource).accessToken }
    }

    /// For the start-up log: which way, never a secret.
    var description: String {
        switch self {
        case .password: "password"
        case .entra(let endpoint, let clientID):
            "Entra token of managed identity \(clientID ?? "(system-assigned)") from \(endpoint.absoluteString)"
        }
    }
}
