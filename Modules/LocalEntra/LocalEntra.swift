import Foundation
import Hummingbird
import JOSE

/// The development authorization server: registrations, signing keys and grant stores, and
/// the routes that serve them under Entra's v2.0 paths.
///
/// For development and tests only: passwords are plain text and nothing is rate-limited.
public struct LocalEntra: Sendable {
    /// Settings of one authority.
    public struct Configuration: Sendable {
        /// Who exists.
        public var registrations: Registrations
        /// Where keys and refresh tokens are kept.
        public var stateFolder: URL
        /// The authority's base URL (`http://127.0.0.1:9000`); nil to take it from each
        /// request's Host header (tests on a random port).
        public var publicURL: String?
        /// Access-token lifetimes in seconds, drawn at random (Entra: 60 to 90 minutes).
        public var accessTokenLifetime: ClosedRange<Int>
        /// Refresh-token lifetime.
        public var refreshTokenLifetime: TimeInterval
        /// How long a rotated-out key stays published.
        public var keyGracePeriod: TimeInterval
        /// Seconds between device-code polls.
        public var devicePollInterval: Int
        /// The managed identity `/msi/token` serves; nil leaves that endpoint out.
        public var managedIdentity: ManagedIdentity?
        /// Served over HTTPS (`serve --tls`): a base taken from the Host header is `https://`.
        public var servesHTTPS: Bool

        /// Creates settings; the defaults are Entra's.
        public init(
            registrations: Registrations = .development,
            stateFolder: URL,
            publicURL: String? = nil,
            accessTokenLifetime: ClosedRange<Int> = 3600...5400,
            refreshTokenLifetime: TimeInterval = 24 * 3600,
            keyGracePeriod: TimeInterval = 2 * 3600,
            devicePollInterval: Int = 5,
            managedIdentity: ManagedIdentity? = nil,
            servesHTTPS: Bool = false
        ) {
            self.registrations = registrations
            self.stateFolder = stateFolder
            self.publicURL = publicURL
            self.accessTokenLifetime = accessTokenLifetime
            self.refreshTokenLifetime = refreshTokenLifetime
            self.keyGracePeriod = keyGracePeriod
            self.devicePollInterval = devicePollInterval
            self.managedIdentity = managedIdentity
            self.servesHTTPS = servesHTTPS
        }
    }

    /// The settings.
    public let configuration: Configuration
    /// The signing keys.
    public let keys: SigningKeyStore
    let codes = AuthorizationCodeStore()
    let refreshTokens: RefreshTokenStore
    let sessions = SessionStore()
    let devices: DeviceCodeStore
    /// Each client's certificate credentials, parsed once, by lower-cased client id.
    let clientKeys: [String: [ClientCredentialKey]]
    let now: @Sendable () -> Date

    /// Opens the state folder (creating keys on first use).
    public init(configuration: Configuration, now: @escaping @Sendable () -> Date = { Date() }) throws {
        self.configuration = configuration
        self.keys = try SigningKeyStore(stateFolder: configuration.stateFolder, gracePeriod: configuration.keyGracePeriod)
        self.refreshTokens = try RefreshTokenStore(stateFolder: configuration.stateFolder, lifetime: configuration.refreshTokenLifetime)
        self.devices = DeviceCodeStore(interval: configuration.devicePollInterval)
        var clientKeys: [String: [ClientCredentialKey]] = [:]
        for client in configuration.registrations.clients {
            clientKeys[client.clientID.lowercased()] = try client.certificates.map { pem throws(RegistrationError) in
                try ClientCredentialKey(pem: pem)
            }
        }
        self.clientKeys = clientKeys
        self.now = now
    }

    var registrations: Registrations { configuration.registrations }
    var tenantID: String { registrations.tenantID }

    /// The authority's base URL for a request.
    func authority(_ request: Request) -> String {
        configuration.publicURL ?? "\(configuration.servesHTTPS ? "https" : "http")://\(request.head.authority ?? "127.0.0.1:9000")"
    }

    /// The token issuer for a request.
    func issuer(_ request: Request) -> TokenIssuer {
        TokenIssuer(authority: authority(request), tenantID: tenantID, accessTokenLifetime: configuration.accessTokenLifetime)
    }

    /// Adds every route: discovery, keys, authorize, token, device code, device login, and the
    /// managed-identity endpoint when configured.
    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        addDiscoveryRoutes(to: router)
        addAuthorizeRoutes(to: router)
        addTokenRoutes(to: router)
        addDeviceRoutes(to: router)
        addUserRealmRoutes(to: router)
        if let identity = configuration.managedIdentity { addManagedIdentityRoutes(to: router, identity: identity) }
        router.get { _, _ in Pages.response(Pages.home(tenantID: tenantID)) }
    }

    /// Checks the `{tenant}` path parameter (Entra: AADSTS90002).
    func checkTenant(_ context: some RequestContext) throws(EntraError) {
        let tenant = context.parameters.get("tenant") ?? ""
        guard tenant.caseInsensitiveCompare(tenantID) == .orderedSame else { throw .tenantNotFound(tenant) }
    }
}
