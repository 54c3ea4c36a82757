import Foundation
import HTTPKit
import HTTPTypes

/// OpenID Provider metadata (OpenID Connect Discovery 1.0 §3), the members this project uses.
public struct ProviderMetadata: Codable, Hashable, Sendable {
    /// The issuer identifier; tokens' `iss` must equal it.
    public var issuer: String
    /// Where the browser is sent to sign in.
    public var authorizationEndpoint: URL
    /// Where codes and refresh tokens are redeemed.
    public var tokenEndpoint: URL
    /// The signing keys.
    public var jwksURI: URL
    /// The device authorization endpoint (RFC 8628), when offered.
    public var deviceAuthorizationEndpoint: URL?
    /// The RP-initiated logout endpoint, when offered.
    public var endSessionEndpoint: URL?
    /// Signing algorithms of ID tokens.
    public var idTokenSigningAlgorithms: [String]?

    enum CodingKeys: String, CodingKey {
        case issuer
        case authorizationEndpoint = "authorization_endpoint"
        case tokenEndpoint = "token_endpoint"
        case jwksURI = "jwks_uri"
        case deviceAuthorizationEndpoint = "device_authorization_endpoint"
        case endSessionEndpoint = "end_session_endpoint"
        case idTokenSigningAlgorithms = "id_token_signing_alg_values_supported"
    }

    /// Creates metadata.
    public init(
        issuer: String,
        authorizationEndpoint: URL,
        tokenEndpoint: URL,
        jwksURI: URL,
        deviceAuthorizationEndpoint: URL? = nil,
        endSessionEndpoint: URL? = nil,
        idTokenSigningAlgorithms: [String]? = nil
    ) {
        self.issuer = issuer
        self.authorizationEndpoint = authorizationEndpoint
        self.tokenEndpoint = tokenEndpoint
        self.jwksURI = jwksURI
        self.deviceAuthorizationEndpoint = deviceAuthorizationEndpoint
        self.endSessionEndpoint = endSessionEndpoint
        self.idTokenSigningAlgorithms = idTokenSigningAlgorithms
    }

    /// The discovery document's address: `{issuer}/.well-known/openid-configuration`
    /// (Discovery §4.1: the issuer's trailing slash, if any, is removed first).
    public static func discoveryURL(issuer: String) -> URL? {
        URL(string: AuthorityURL.trimmingTrailingSlashes(issuer) + "/.well-known/openid-configuration")
    }

    /// Fetches and checks the metadata of `issuer`.
    ///
    /// The document's `issuer` must equal `issuer` exactly (Discovery §4.3), except that Entra's
    /// multi-tenant documents hold the literal placeholder `{tenantid}`, replaced here by
    /// `tenantID`. Every endpoint must be https, or http on loopback.
    public static func fetch(
        issuer: String,
        tenantID: String? = nil,
        httpClient: some HTTPClient
    ) async throws(OIDCError) -> ProviderMetadata {
        guard let url = discoveryURL(issuer: issuer) else { throw .invalidConfiguration("The issuer '\(issuer)' is not a URL") }
        if let problem = AuthorityURL.problem(with: url) { throw .invalidConfiguration(problem) }
        let body = try await httpClient.document(at: url, what: "the discovery document")
        let metadata: ProviderMetadata
        do {
            metadata = try JSONDecoder().decode(ProviderMetadata.self, from: body)
        } catch {
            throw .invalidDocument("The discovery document at \(url.absoluteString) is not valid provider metadata")
        }
        let advertised = tenantID.map { metadata.issuer.replacingOccurrences(of: "{tenantid}", with: $0) } ?? metadata.issuer
        guard advertised == issuer else {
            throw .invalidDocument("The discovery document names the issuer '\(metadata.issuer)', not '\(issuer)'")
        }
        for endpoint in [metadata.authorizationEndpoint, metadata.tokenEndpoint, metadata.jwksURI] {
            if let problem = AuthorityURL.problem(with: endpoint) { throw .invalidDocument(problem) }
        }
        var checked = metadata
        checked.issuer = advertised
        return checked
    }
}
