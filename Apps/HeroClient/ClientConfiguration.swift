import AppConfiguration
import Configuration
import Foundation
import HTTPKit
import HTTPKitNIO
import HTTPKitURLSession
import HTTPServerKit
import OIDCClient
import OIDCCore
import SystemPackage

/// hero-client's settings: the contract's client table, the Python demo's names included,
/// from the environment, `.env_oauth` (as the demo) and `.env`. With no `AZURE_*` settings it
/// uses local-entra's development registration.
struct ClientConfiguration: Sendable {
    var clientID: String
    var clientSecret: String?
    var clientCertificate: ClientCertificate?
    var tenantID: String
    var issuer: String
    var redirectURI: String
    var scopes: [String]
    var apiURL: URL
    var host: String
    var port: Int
    var tokenCache: URL
    var isDevelopmentMode: Bool
    /// `HVALFANGST_CA_FILE`: CAs trusted for outbound HTTPS besides the system's.
    var extraTrustRoots: ExtraTrustRoots?
    /// The proxy of the SwiftNIO client, used with extra CAs; URLSession's libcurl reads the
    /// same variables itself, so without extra CAs this is `.none`.
    var outboundProxy: OutboundProxy
    /// Timeouts and the connection cap of the local API (`HVALFANGST_IDLE_TIMEOUT_SECONDS`...).
    var limits: ServerLimits

    /// Reads and checks the settings; throws naming the first variable that is wrong.
    /// `processEnvironment` holds the proxy variables (`https_proxy`...), which come from the
    /// process's own environment only, as curl reads them.
    init(reader: ConfigReader, processEnvironment: [String: String] = [:]) throws(ConfigurationError) {
        let clientID = reader.string(forKey: "AZURE_CLIENT_ID")
        let secret = reader.string(forKey: "AZURE_CLIENT_SECRET", isSecret: true)
        let tenant = reader.string(forKey: "AZURE_TENANT_ID")
        let certificatePath = reader.string(forKey: "AZURE_CLIENT_CERTIFICATE_PATH")
        isDevelopmentMode = clientID == nil && secret == nil && tenant == nil && certificatePath == nil
        if !isDevelopmentMode {
            guard clientID != nil else { throw ConfigurationError("AZURE_CLIENT_ID", "is required when any AZURE_* setting is given") }
            guard secret == nil || certificatePath == nil else {
                throw ConfigurationError("AZURE_CLIENT_CERTIFICATE_PATH", "and AZURE_CLIENT_SECRET are both set; set only one credential")
            }
            guard secret != nil || certificatePath != nil else {
                throw ConfigurationError(
                    "AZURE_CLIENT_SECRET",
                    "is required when any AZURE_* setting is given (or AZURE_CLIENT_CERTIFICATE_PATH)"
                )
            }
            guard tenant != nil else { throw ConfigurationError("AZURE_TENANT_ID", "is required when any AZURE_* setting is given") }
        }
        self.clientID = clientID ?? DevelopmentTenant.clientID
        self.clientSecret = certificatePath == nil ? secret ?? DevelopmentTenant.clientSecret : nil
        self.clientCertificate = try certificatePath.map(Self.certificate(at:))
        self.tenantID = tenant ?? DevelopmentTenant.tenantID
        if let issuer = reader.string(forKey: "OIDC_ISSUER") {
            // Any OpenID provider: its client ids are its own business, only an empty one is wrong.
            guard !self.clientID.isEmpty else { throw ConfigurationError("AZURE_CLIENT_ID", "must not be empty") }
            self.issuer = try SettingValue.authorityURL(issuer, setting: "OIDC_ISSUER")
        } else {
            // Entra's client ids are GUIDs.
            guard UUID(uuidString: self.clientID) != nil else { throw ConfigurationError("AZURE_CLIENT_ID", "must be a GUID") }
            let host = try SettingValue.authorityURL(
                reader.string(forKey: "AZURE_AUTHORITY_HOST")
                    ?? (isDevelopmentMode ? DevelopmentTenant.authorityHost : EntraAuthority.publicCloudHost),
                setting: "AZURE_AUTHORITY_HOST"
            )
            self.issuer = EntraAuthority(host: host, tenantID: tenantID).issuer
        }

        redirectURI = reader.string(forKey: "REDIRECT_URI") ?? DevelopmentTenant.redirectURI
        guard URL(string: redirectURI)?.host != nil else { throw ConfigurationError("REDIRECT_URI", "must be an absolute URL") }
        scopes = reader.string(forKey: "SCOPES").map { $0.split(separator: " ").map(String.init) } ?? DevelopmentTenant.clientScopes
        guard scopes.contains("openid") else { throw ConfigurationError("SCOPES", "must contain openid") }

        apiURL = try SettingValue.absoluteURL(
            reader.string(forKey: "HVALFANGST_API_URL") ?? "http://127.0.0.1:8080/api",
            setting: "HVALFANGST_API_URL"
        )
        self.host = reader.string(forKey: "HOST") ?? "127.0.0.1"
        port = try SettingValue.port(reader.string(forKey: "PORT") ?? "8000", setting: "PORT")
        tokenCache = URL(fileURLWithPath: reader.string(forKey: "HVALFANGST_TOKEN_CACHE") ?? "data/hero-client/token-cache.json")
        extraTrustRoots = try SettingValue.caFile(reader.string(forKey: "HVALFANGST_CA_FILE"), setting: "HVALFANGST_CA_FILE")
        outboundProxy = extraTrustRoots == nil ? .none : try SettingValue.outboundProxy(environment: processEnvironment)
        limits = try ServerLimits { reader.string(forKey: ConfigKey($0)) }
    }

    /// The client for the authority and the API: URLSession, or with extra CAs the SwiftNIO
    /// client, since URLSession on Linux cannot add a CA. Both go through the environment's proxy.
    func makeHTTPClient() -> any HTTPClient {
        extraTrustRoots.map { NIOHTTPClient(extraTrustRoots: $0, proxy: outboundProxy) } ?? URLSessionHTTPClient()
    }

    /// The certificate credential in the PEM file at `path` (certificate and private key).
    static func certificate(at path: String) throws(ConfigurationError) -> ClientCertificate {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError("AZURE_CLIENT_CERTIFICATE_PATH", "cannot be read: \(path)")
        }
        do {
            return try ClientCertificate(pem: text)
        } catch {
            throw ConfigurationError("AZURE_CLIENT_CERTIFICATE_PATH", "\(path) \(error.description)")
        }
    }

    /// The host names the local API answers to: loopback's, the redirect URI's, and the bind
    /// address when it names one host (not `0.0.0.0` or `::`).
    var servedHostNames: [String] {
        var names = ["localhost", "127.0.0.1", "::1"]
        if let redirectHost = URL(string: redirectURI)?.host { names.append(redirectHost) }
        if !["0.0.0.0", "::", "[::]"].contains(host) { names.append(host) }
        return names
    }

    /// Reads the environment, `.env_oauth` and `.env`, in that order of precedence (the files
    /// as python-dotenv reads them: see ``EnvironmentFile``).
    static func load() async throws -> ClientConfiguration {
        let reader = ConfigReader(providers: [
            EnvironmentVariablesProvider(),
            try EnvironmentFile.provider(path: ".env_oauth"),
            try EnvironmentFile.provider(path: ".env"),
        ])
        return try ClientConfiguration(reader: reader, processEnvironment: ProcessInfo.processInfo.environment)
    }
}
