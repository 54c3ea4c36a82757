import AccessTokenAuth
import AppConfiguration
import Configuration
import Foundation
import HTTPKit
import HTTPKitNIO
import HTTPServerKit
import HeroStorePostgres
import HeroStoreSQLite
import OIDCCore

/// Everything hero-server reads from its environment (and `.env`), checked once at start.
///
/// The names are the contract's; those of the Python demo (`HVALFANGST_TENANT_ID`,
/// `HVALFANGST_API_SERVER_CLIENT_ID`) keep working. With neither set, the server is in
/// development mode and trusts local-entra's built-in registrations.
struct ServerConfiguration: Sendable {
    var host: String
    var port: Int
    var databasePath: String
    /// `wal` on a local disk (the default); `delete` on a network share such as App Service's `/home`.
    var journalMode: SQLiteHeroRepository.JournalMode
    /// PostgreSQL instead of SQLite, when `HVALFANGST_DATABASE_URL` is set.
    var databaseURL: PostgresURL?
    /// `PGPASSWORD`: the password when the URL holds none. Never logged.
    var databasePassword: String?
    /// How PostgreSQL is signed in to: a password, or the managed identity's Entra token.
    var databaseAuthentication: DatabaseAuthentication
    /// The API's app (client) id; scopes are named `api://{id}/Heroes.Read`...
    var apiClientID: String
    var policy: AccessTokenPolicy
    /// True when no Entra settings were given.
    var isDevelopmentMode: Bool
    /// The commit the binary was built from, as the container image records it (`HVALFANGST_COMMIT`).
    var commit: String?
    /// `HVALFANGST_CA_FILE`: CAs trusted for outbound HTTPS besides the system's (local-entra's
    /// development CA behind `serve --tls`).
    var extraTrustRoots: ExtraTrustRoots?
    /// The proxy for outbound calls: `https_proxy`, `no_proxy`... as curl reads them.
    var outboundProxy: OutboundProxy
    /// Timeouts and the connection cap (`HVALFANGST_IDLE_TIMEOUT_SECONDS`...).
    var limits: ServerLimits
    /// How long fetched signing keys stay trusted while refreshes fail
    /// (`HVALFANGST_JWKS_MAX_STALENESS_SECONDS`): then requests get 503 and `/readyz` fails.
    var keysMaximumStaleness: Duration

    /// Reads and checks the settings; throws naming the first variable that is wrong.
    /// `processEnvironment` holds the proxy variables, read from the process's own environment
    /// only (not from options or `.env`), as curl does.
    init(reader: ConfigReader, processEnvironment: [String: String] = [:]) throws(ConfigurationError) {
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
        let tenantID = try SettingValue.guid(tenant ?? DevelopmentTenant.tenantID, setting: "HVALFANGST_TENANT_ID")
        apiClientID = try SettingValue.guid(clientID ?? DevelopmentTenant.apiClientID, setting: "HVALFANGST_API_SERVER_CLIENT_ID")

        let defaultHost = isDevelopmentMode ? DevelopmentTenant.authorityHost : EntraAuthority.publicCloudHost
        let authorityHost = try SettingValue.authorityURL(
            reader.string(forKey: "HVALFANGST_AUTHORITY_HOST") ?? defaultHost,
            setting: "HVALFANGST_AUTHORITY_HOST"
        )
        let issuerMode: AccessTokenPolicy.IssuerMode
        if let issuer {
            issuerMode = .exact(issuer: try SettingValue.authorityURL(issuer, setting: "HVALFANGST_ISSUER"))
        } else {
            issuerMode = .entra(EntraAuthority(host: authorityHost, tenantID: tenantID))
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
        if let url = reader.string(forKey: "HVALFANGST_DATABASE_URL", isSecret: true), !url.isEmpty {
            do {
                databaseURL = try PostgresURL(url)
            } catch {
                throw ConfigurationError("HVALFANGST_DATABASE_URL", error.description)
            }
        }
        databasePassword = reader.string(forKey: "PGPASSWORD", isSecret: true)
        databaseAuthentication = try DatabaseAuthentication(reader: reader)
        host = reader.string(forKey: "HOST") ?? "127.0.0.1"
        // Development mode trusts whatever answers on 127.0.0.1:9000: fine on a laptop, not on
        // a server reachable from a network (a container with HOST=0.0.0.0 and no settings).
        if isDevelopmentMode, !AuthorityURL.isLoopback(host),
            reader.string(forKey: "HVALFANGST_ALLOW_DEVELOPMENT_MODE_ON_NETWORK")?.lowercased() != "true"
        {
            throw ConfigurationError(
                "HVALFANGST_TENANT_ID",
                "and HVALFANGST_API_SERVER_CLIENT_ID are required when binding to \(host), a non-loopback address: "
                    + "without them the server is in development mode and trusts local-entra's test keys. "
                    + "Set HVALFANGST_ALLOW_DEVELOPMENT_MODE_ON_NETWORK=true to do that anyway."
            )
        }
        port = try SettingValue.port(reader.string(forKey: "PORT") ?? "8080", setting: "PORT")
        commit = reader.string(forKey: "HVALFANGST_COMMIT").flatMap { $0.isEmpty ? nil : $0 }
        extraTrustRoots = try SettingValue.caFile(reader.string(forKey: "HVALFANGST_CA_FILE"), setting: "HVALFANGST_CA_FILE")
        outboundProxy = try SettingValue.outboundProxy(environment: processEnvironment)
        limits = try ServerLimits { reader.string(forKey: ConfigKey($0)) }
        // From one minute (shorter would fail at a routine refresh hiccup) to a week.
        keysMaximumStaleness = .seconds(
            try SettingValue.count(
                reader.string(forKey: "HVALFANGST_JWKS_MAX_STALENESS_SECONDS") ?? "86400",
                setting: "HVALFANGST_JWKS_MAX_STALENESS_SECONDS",
                range: 60...604_800
            )
        )
    }

    /// The client for outbound calls (discovery, keys, managed identity): SwiftNIO's, not
    /// URLSession, whose libcurl and its libraries would add 9 MB to the server's memory.
    func makeHTTPClient() -> any HTTPClient {
        NIOHTTPClient(extraTrustRoots: extraTrustRoots, proxy: outboundProxy)
    }

    /// Where the authority's endpoints are, for the OpenAPI document's OAuth 2.0 flow: Entra's
    /// for an Entra authority or an issuer of Entra's shape, else beneath the issuer.
    var authorityEndpoints: (authorize: String, token: String) {
        let entra: EntraAuthority? =
            switch policy.issuerMode {
            case .entra(let authority): authority
            case .exact(let issuer): EntraAuthority(issuer: issuer)
            }
        guard let entra else { return ("\(policy.discoveryIssuer)/authorize", "\(policy.discoveryIssuer)/token") }
        return (entra.authorizationEndpoint.absoluteString, entra.tokenEndpoint.absoluteString)
    }

    /// One sentence on whom the server trusts, for the start-up log and the index page.
    var authorityDescription: String {
        switch policy.issuerMode {
        case .entra(let authority) where isDevelopmentMode:
            "Development mode: trusting local-entra at \(authority.host) (tenant \(authority.tenantID), API \(apiClientID)); "
                + "set HVALFANGST_TENANT_ID and HVALFANGST_API_SERVER_CLIENT_ID to use Entra ID"
        case .entra(let authority):
            "Entra ID mode: tenant \(authority.tenantID) at \(authority.host), API \(apiClientID)"
        case .exact(let issuer):
            "Issuer mode: trusting \(issuer), API \(apiClientID)"
        }
    }
}
