import Foundation
import HTTPKit
import HTTPTypes
import Logging
import OIDCClient
import OIDCCore

/// What hero-client runs on: the provider's metadata, the sign-in flow, the token cache and
/// the HTTP client, built once from the configuration.
struct ClientServices: Sendable {
    let configuration: ClientConfiguration
    let signIn: SignIn
    let cache: TokenCache
    let tokenEndpoint: TokenEndpoint
    let httpClient: any HTTPClient
    /// The Heroes API's client: the signed-in user's access token on every request.
    let api: AuthorizingHTTPClient
    /// The browsers that signed in here (the proxy serves no other browser).
    let sessions = BrowserSessions()

    /// Fetches the provider's metadata (retrying for a few seconds: the provider may be
    /// starting too) and wires the flow.
    static func make(
        _ configuration: ClientConfiguration,
        httpClient: any HTTPClient,
        logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() },
        discoveryRetry: DiscoveryRetry = .startup
    ) async throws -> ClientServices {
        let metadata = try await ProviderMetadata.fetch(
            issuer: configuration.issuer,
            tenantID: configuration.tenantID,
            httpClient: httpClient,
            retrying: discoveryRetry
        )

        let credentials = ClientCredentials(
            clientID: configuration.clientID,
            clientSecret: configuration.clientSecret,
            certificate: configuration.clientCertificate
        )
        let tokenEndpoint = TokenEndpoint(metadata: metadata, credentials: credentials, httpClient: httpClient)
        let keys = JWKSCache(source: .jwksURI(metadata.jwksURI), httpClient: httpClient, logger: logger)
        let cache = TokenCache(file: configuration.tokenCache, logger: logger, now: now) {
            refreshToken,
            scopes async throws(TokenEndpointError) in
            try await tokenEndpoint.refresh(refreshToken, scopes: scopes)
        }
        let signIn = SignIn(
            metadata: metadata,
            redirectURI: configuration.redirectURI,
            scopes: configuration.scopes,
            tokenEndpoint: tokenEndpoint,
            idTokens: IDTokenValidator(issuer: metadata.issuer, clientID: configuration.clientID, keys: keys, now: now),
            cache: cache,
            logger: logger,
            now: now
        )
        return ClientServices(
            configuration: configuration,
            signIn: signIn,
            cache: cache,
            tokenEndpoint: tokenEndpoint,
            httpClient: httpClient,
            api: AuthorizingHTTPClient(httpClient) { [scopes = configuration.scopes] forceRenewal in
                try await cache.accessToken(scopes: scopes, forceRenewal: forceRenewal)
            }
        )
    }

    /// Sends `request` to the Heroes API with the signed-in user's access token (renewed first
    /// when it is about to expire); a 401 from the API gets one renewal and one retry.
    /// Throws ``TokenCacheError`` without a usable sign-in, ``HTTPClientError`` when the API
    /// cannot be reached.
    func callAPI(_ request: HTTPClientRequest) async throws -> HTTPClientResponse {
        try await api.send(request)
    }

    /// The device-code sign-in for this client's scopes.
    var deviceCodeFlow: DeviceCodeFlow {
        DeviceCodeFlow(tokenEndpoint: tokenEndpoint, scopes: configuration.scopes)
    }

    /// Where a user signs in.
    var loginURL: String {
        "http://\(configuration.host == "0.0.0.0" ? "127.0.0.1" : configuration.host):\(configuration.port)/auth/login"
    }
}
