import AppConfiguration
import Configuration
import Foundation
import HTTPKit
import HeroStorePostgres
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
    /// A managed-identity token as the password, asked of App Service's endpoint.
    case entra(ManagedIdentityCredential.Configuration)

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
            guard let secret = reader.string(forKey: "IDENTITY_HEADER", isSecret: true), !secret.isEmpty else {
                throw ConfigurationError("IDENTITY_HEADER", "is required when HVALFANGST_DATABASE_AUTH=entra")
            }
            let clientID = try reader.string(forKey: "HVALFANGST_MANAGED_IDENTITY_CLIENT_ID").map { value throws(ConfigurationError) in
                try SettingValue.guid(value, setting: "HVALFANGST_MANAGED_IDENTITY_CLIENT_ID")
            }
            do {
                self = .entra(try .init(endpoint: url, secret: secret, clientID: clientID))
            } catch {
                throw ConfigurationError("IDENTITY_ENDPOINT", error.description)
            }
        case let other:
            throw ConfigurationError("HVALFANGST_DATABASE_AUTH", "must be password or entra, not '\(other)'")
        }
    }

    /// For `entra`, what gives the database its password: a managed-identity token (cached,
    /// renewed before expiry) with its expiry, so the store renews its pool in time. Nil for
    /// `password`.
    func passwordProvider(httpClient: any HTTPClient) -> (@Sendable () async throws -> DatabasePassword)? {
        guard case .entra(let identity) = self else { return nil }
        let credential = ManagedIdentityCredential(configuration: identity, httpClient: httpClient)
        return {
            let token = try await credential.token(for: Self.databaseResource)
            return DatabasePassword(token.accessToken, expiresAt: token.expiresOn)
        }
    }

    /// For the start-up log: which way, never a secret.
    var description: String {
        switch self {
        case .password: "password"
        case .entra(let identity): "Entra token of \(identity)"
        }
    }
}
