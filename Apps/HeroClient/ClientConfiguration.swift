import Configuration
import Foundation
import OIDCClient
import SystemPackage

/// hero-client's settings: the contract's client table, the Python demo's names included,
/// from the environment, `.env_oauth` (as the demo) and `.env`. With no `AZURE_*` settings it
/// uses local-entra's development registration.
struct ClientConfiguration: Sendable {
    static let developmentTenantID = "7c3e1f6a-4d2b-4b8e-9a51-2f0c8d6e9b10"
    static let developmentClientID = "3f2e1d0c-9b8a-4c7d-a6e5-4f3e2d1c0b9a"
    static let developmentSecret = "local-entra-dev-secret"
    static let developmentAPI = "api://5b1a9c3e-8f2d-4e6a-b7c4-1d9e0f2a3b4c"

    var clientID: String
    var clientSecret: String
    var tenantID: String
    var issuer: String
    var redirectURI: String
    var scopes: [String]
    var apiURL: URL
    var host: String
    var port: Int
    var tokenCache: URL
    var isDevelopmentMode: Bool

    /// Reads and checks the settings; throws naming the first variable that is wrong.
    init(reader: ConfigReader) throws(ClientConfigurationError) {
        let clientID = reader.string(forKey: "AZURE_CLIENT_ID")
        let secret = reader.string(forKey: "AZURE_CLIENT_SECRET", isSecret: true)
        let tenant = reader.string(forKey: "AZURE_TENANT_ID")
        isDevelopmentMode = clientID == nil && secret == nil && tenant == nil
        if !isDevelopmentMode {
            for (name, value) in [("AZURE_CLIENT_ID", clientID), ("AZURE_CLIENT_SECRET", secret), ("AZURE_TENANT_ID", tenant)]
            where value == nil {
                throw ClientConfigurationError(name, "is required when any AZURE_* setting is given")
            }
        }
        self.clientID = clientID ?? Self.developmentClientID
        self.clientSecret = secret ?? Self.developmentSecret
        self.tenantID = tenant ?? Self.developmentTenantID
        guard UUID(uuidString: self.clientID) != nil else { throw ClientConfigurationError("AZURE_CLIENT_ID", "must be a GUID") }

        let host =
            reader.string(forKey: "AZURE_AUTHORITY_HOST")
            ?? (isDevelopmentMode ? "http://127.0.0.1:9000" : "https://login.microsoftonline.com")
        let issuer = reader.string(forKey: "OIDC_ISSUER") ?? "\(host.hasSuffix("/") ? String(host.dropLast()) : host)/\(tenantID)/v2.0"
        guard let issuerURL = URL(string: issuer) else { throw ClientConfigurationError("OIDC_ISSUER", "must be a URL") }
        if let problem = AuthorityURL.problem(with: issuerURL) {
            throw ClientConfigurationError(reader.string(forKey: "OIDC_ISSUER") == nil ? "AZURE_AUTHORITY_HOST" : "OIDC_ISSUER", problem)
        }
        self.issuer = issuer

        redirectURI = reader.string(forKey: "REDIRECT_URI") ?? "http://localhost:8000/auth/callback"
        guard URL(string: redirectURI)?.host != nil else { throw ClientConfigurationError("REDIRECT_URI", "must be an absolute URL") }
        scopes =
            (reader.string(forKey: "SCOPES")
            ?? "openid profile offline_access \(Self.developmentAPI)/Heroes.Read \(Self.developmentAPI)/Heroes.Write \(Self.developmentAPI)/Heroes.Delete")
            .split(separator: " ").map(String.init)
        guard scopes.contains("openid") else { throw ClientConfigurationError("SCOPES", "must contain openid") }

        let api = reader.string(forKey: "HVALFANGST_API_URL") ?? "http://127.0.0.1:8080/api"
        guard let apiURL = URL(string: api.hasSuffix("/") ? String(api.dropLast()) : api), apiURL.host != nil else {
            throw ClientConfigurationError("HVALFANGST_API_URL", "must be an absolute URL")
        }
        self.apiURL = apiURL
        self.host = reader.string(forKey: "HOST") ?? "127.0.0.1"
        let portText = reader.string(forKey: "PORT") ?? "8000"
        guard let port = Int(portText), (0...65_535).contains(port) else {
            throw ClientConfigurationError("PORT", "must be a port number from 0 to 65535, not '\(portText)'")
        }
        self.port = port
        tokenCache = URL(fileURLWithPath: reader.string(forKey: "HVALFANGST_TOKEN_CACHE") ?? "data/hero-client/token-cache.json")
    }

    /// Reads the environment, `.env_oauth` and `.env`, in that order of precedence (the files
    /// as python-dotenv reads them: see ``EnvironmentFile``).
    static func load() async throws -> ClientConfiguration {
        let reader = ConfigReader(providers: [
            EnvironmentVariablesProvider(),
            try EnvironmentFile.provider(path: ".env_oauth"),
            try EnvironmentFile.provider(path: ".env"),
        ])
        return try ClientConfiguration(reader: reader)
    }
}

/// A client setting that cannot work: exit status 2 with this message.
struct ClientConfigurationError: Error, CustomStringConvertible {
    let variable: String
    let problem: String

    init(_ variable: String, _ problem: String) {
        self.variable = variable
        self.problem = problem
    }

    var description: String { "\(variable) \(problem)" }
}
