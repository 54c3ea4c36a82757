import AccessTokenAuth
import Configuration
import Foundation
import HeroStoreSQLite
import OIDCClient

/// Everything hero-server reads from its environment (and `.env`), checked once at start.
///
/// The names are the contract's; those of the Python demo (`HVALFANGST_TENANT_ID`,
/// `HVALFANGST_API_SERVER_CLIENT_ID`) keep working. With neither set, the server is in
/// development mode and trusts local-entra's built-in registrations.
struct ServerConfiguration: Sendable {
    /// local-entra's development tenant and Heroes API app (ARCHITECTURE.md, development defaults).
    static let developmentTenantID = "7c3e1f6a-4d2b-4b8e-9a51-2f0c8d6e9b10"
    static let developmentAPIClientID = "5b1a9c3e-8f2d-4e6a-b7c4-1d9e0f2a3b4c"
    static let developmentAuthorityHost = "http://127.0.0.1:9000"

    var host: String
    var port: Int
    var databasePath: String
    /// `wal` on a local disk (the default); `delete` on a network share such as App Service's `/home`.
    var journalMode: SQLiteHeroRepository.JournalMode
    /// The API's app (client) id; scopes are named `api://{id}/Heroes.Read`...
    var apiClientID: String
    var policy: AccessTokenPolicy
    /// True when no Entra settings were given.
    var isDevelopmentMode: Bool

    /// Reads and checks the settings; throws naming the first variable that is wrong.
    init(reader: ConfigReader) throws(ConfigurationError) {
        let tenant = reader.string(forKey: "HVALFANGST_TENANT_ID")
        let clientID = reader.string(forKey: "HVALFANGST_API_SERVER_CLIENT_ID")
        let issuer = reader.string(forKey: "HVALFANGST_ISSUER")
        isDevelopmentMode = tenant == nil && clientID == nil

        if !isDevelopmentMode, issuer == nil {
            if tenant == nil { throw ConfigurationError("HVALFANGST_TENANT_ID", "is required when HVALFANGST_API_SERVER_CLIENT_ID is set") }
            if clientID == nil {
                throw ConfigurationError("HVALFANGST_API_SERVER_CLIENT_ID", "is required when HVALFANGST_TENANT_ID is set")
            }
        }
        let tenantID = try Self.guid(tenant ?? Self.developmentTenantID, "HVALFANGST_TENANT_ID")
        apiClientID = try Self.guid(clientID ?? Self.developmentAPIClientID, "HVALFANGST_API_SERVER_CLIENT_ID")

        let defaultHost = isDevelopmentMode ? Self.developmentAuthorityHost : AccessTokenPolicy.publicEntraHost
        let authorityHost = try Self.authority(
            reader.string(forKey: "HVALFANGST_AUTHORITY_HOST") ?? defaultHost,
            "HVALFANGST_AUTHORITY_HOST"
        )
        let issuerMode: AccessTokenPolicy.IssuerMode
        if let issuer {
            issuerMode = .exact(issuer: try Self.authority(issuer, "HVALFANGST_ISSUER"))
        } else {
            issuerMode = .entra(authorityHost: authorityHost, tenantID: tenantID)
        }
        let extraAudiences = (reader.string(forKey: "HVALFANGST_API_AUDIENCES") ?? "")
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        policy = AccessTokenPolicy(
            issuerMode: issuerMode,
            audiences: AccessTokenPolicy.audiences(clientID: apiClientID, extra: extraAudiences)
        )

        databasePath = reader.string(forKey: "HVALFANGST_DB_PATH") ?? "data/heroes.sqlite"
        guard !databasePath.isEmpty else { throw ConfigurationError("HVALFANGST_DB_PATH", "must not be empty") }
        let journal = reader.string(forKey: "HVALFANGST_DB_JOURNAL_MODE") ?? "wal"
        guard let journalMode = SQLiteHeroRepository.JournalMode(rawValue: journal.lowercased()) else {
            throw ConfigurationError("HVALFANGST_DB_JOURNAL_MODE", "must be wal or delete, not '\(journal)'")
        }
        self.journalMode = journalMode
        host = reader.string(forKey: "HOST") ?? "127.0.0.1"
        let portText = reader.string(forKey: "PORT") ?? "8080"
        guard let port = Int(portText), (0...65_535).contains(port) else {
            throw ConfigurationError("PORT", "must be a port number from 0 to 65535, not '\(portText)'")
        }
        self.port = port
    }

    /// Where the authority's endpoints are, for the OpenAPI document's OAuth 2.0 flow.
    var authorityEndpoints: (authorize: String, token: String) {
        // Entra's v2 issuer is `{host}/{tenant}/v2.0` and its endpoints `{host}/{tenant}/oauth2/v2.0/...`.
        let issuer = policy.discoveryIssuer
        let base = issuer.hasSuffix("/v2.0") ? String(issuer.dropLast("/v2.0".count)) + "/oauth2/v2.0" : issuer
        return ("\(base)/authorize", "\(base)/token")
    }

    /// One sentence on whom the server trusts, for the start-up log and the index page.
    var authorityDescription: String {
        switch policy.issuerMode {
        case .entra(let host, let tenantID) where isDevelopmentMode:
            "Development mode: trusting local-entra at \(host) (tenant \(tenantID), API \(apiClientID)); "
                + "set HVALFANGST_TENANT_ID and HVALFANGST_API_SERVER_CLIENT_ID to use Entra ID"
        case .entra(let host, let tenantID):
            "Entra ID mode: tenant \(tenantID) at \(host), API \(apiClientID)"
        case .exact(let issuer):
            "Issuer mode: trusting \(issuer), API \(apiClientID)"
        }
    }

    private static func guid(_ value: String, _ name: String) throws(ConfigurationError) -> String {
        guard UUID(uuidString: value) != nil else { throw ConfigurationError(name, "must be a GUID, not '\(value)'") }
        return value.lowercased()
    }

    private static func authority(_ value: String, _ name: String) throws(ConfigurationError) -> String {
        guard let url = URL(string: value) else { throw ConfigurationError(name, "must be a URL, not '\(value)'") }
        if let problem = AuthorityURL.problem(with: url) { throw ConfigurationError(name, problem) }
        return value.hasSuffix("/") ? String(value.dropLast()) : value
    }
}

/// A setting that cannot work; hero-server exits with status 2 and this message.
struct ConfigurationError: Error, CustomStringConvertible {
    let variable: String
    let problem: String

    init(_ variable: String, _ problem: String) {
        self.variable = variable
        self.problem = problem
    }

    var description: String { "\(variable) \(problem)" }
}
