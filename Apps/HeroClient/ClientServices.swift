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

    /// Fetches the provider's metadata (retrying for a few seconds: the provider may be
    /// starting too) and wires the flow.
    static func make(
        _ configuration: ClientConfiguration,
        httpClient: any HTTPClient,
        logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) async throws -> ClientServices {
        var metadata: ProviderMetadata?
        var lastError: OIDCError?
        for attempt in 0..<20 {
            do {
                metadata = try await ProviderMetadata.fetch(
                    issuer: configuration.issuer,
                    tenantID: configuration.tenantID,
                    httpClient: httpClient
                )
                break
            } catch {
                lastError = error
                if case .invalidDocument = error { break }
                if attempt < 19 { try await Task.sleep(for: .milliseconds(500)) }
            }
        }
        guard let metadata else { throw lastError ?? .unreachable(configuration.issuer) }

        let credentials = ClientCredentials(clientID: configuration.clientID, clientSecret: configuration.clientSecret)
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
            httpClient: httpClient
        )
    }

    /// Sends `request` to the Heroes API with the signed-in user's access token (renewed first
    /// when it is about to expire); a 401 from the API gets one renewal and one retry.
    /// Throws ``TokenCacheError`` without a usable sign-in, ``HTTPClientError`` when the API
    /// cannot be reached.
    func callAPI(_ request: HTTPClientRequest) async throws -> HTTPClientResponse {
        func send(forceRenewal: Bool) async throws -> HTTPClientResponse {
            var request = request
            let token = try await cache.accessToken(scopes: configuration.scopes, forceRenewal: forceRenewal)
            request.headerFields[.authorization] = "Bearer \(token)"
            return try await httpClient.send(request)
        }
        let response = try await send(forceRenewal: false)
        guard response.status == .unauthorized else { return response }
        return try await send(forceRenewal: true)
    }

    /// Where a user signs in.
    var loginURL: String {
        "http://\(configuration.host == "0.0.0.0" ? "127.0.0.1" : configuration.host):\(configuration.port)/auth/login"
    }
}
