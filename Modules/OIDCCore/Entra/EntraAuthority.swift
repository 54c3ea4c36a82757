import Foundation

/// A Microsoft Entra ID authority: a cloud host and a tenant, and every address derived from
/// them. The one place that knows Entra's URL shapes, used by hero-server, hero-client,
/// local-entra and the tests.
///
/// ```swift
/// let authority = EntraAuthority(host: "https://login.microsoftonline.com", tenantID: tenant)
/// authority.issuer          // https://login.microsoftonline.com/{tenant}/v2.0
/// authority.v1Issuer        // https://sts.windows.net/{tenant}/
/// authority.tokenEndpoint   // https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token
/// ```
public struct EntraAuthority: Hashable, Sendable {
    /// The public cloud's host.
    public static let publicCloudHost = "https://login.microsoftonline.com"
    /// The host of the public cloud's v1 issuer (`https://sts.windows.net/{tenant}/`).
    public static let publicCloudV1IssuerHost = "https://sts.windows.net"

    /// The authority host, without a trailing slash: `https://login.microsoftonline.com`.
    public let host: String
    /// The tenant id (or `common`, `organizations`, `consumers` for multi-tenant sign-in).
    public let tenantID: String

    /// Creates an authority; trailing slashes of `host` are dropped.
    public init(host: String, tenantID: String) {
        self.host = AuthorityURL.trimmingTrailingSlashes(host)
        self.tenantID = tenantID
    }

    /// `{host}/{tenant}`: the base of every tenant endpoint.
    public var tenantBase: String { "\(host)/\(tenantID)" }

    /// The v2.0 issuer, `{host}/{tenant}/v2.0`: what v2 tokens carry in `iss`.
    public var issuer: String { "\(tenantBase)/v2.0" }

    /// The v1.0 issuer that v1 access tokens carry: `https://sts.windows.net/{tenant}/` in the
    /// public cloud, `{host}/{tenant}/` for a development authority on loopback (local-entra
    /// issues both), nil for other hosts, whose v1 issuer this value cannot know.
    public var v1Issuer: String? {
        if host == Self.publicCloudHost { return "\(Self.publicCloudV1IssuerHost)/\(tenantID)/" }
        if let name = URL(string: host)?.host, AuthorityURL.isLoopback(name) { return "\(tenantBase)/" }
        return nil
    }

    /// Every issuer a token of this tenant may carry: the v2 issuer and, when known, the v1 one.
    public var acceptedIssuers: Set<String> {
        var issuers: Set<String> = [issuer]
        if let v1Issuer { issuers.insert(v1Issuer) }
        return issuers
    }

    /// The OpenID Connect discovery document, `{issuer}/.well-known/openid-configuration`.
    public var discoveryURL: URL { url("\(issuer)/.well-known/openid-configuration") }
    /// The authorization endpoint, `{host}/{tenant}/oauth2/v2.0/authorize`.
    public var authorizationEndpoint: URL { url("\(tenantBase)/oauth2/v2.0/authorize") }
    /// The token endpoint, `{host}/{tenant}/oauth2/v2.0/token`.
    public var tokenEndpoint: URL { url("\(tenantBase)/oauth2/v2.0/token") }
    /// The device authorization endpoint (RFC 8628), `{host}/{tenant}/oauth2/v2.0/devicecode`.
    public var deviceAuthorizationEndpoint: URL { url("\(tenantBase)/oauth2/v2.0/devicecode") }
    /// The RP-initiated logout endpoint, `{host}/{tenant}/oauth2/v2.0/logout`.
    public var endSessionEndpoint: URL { url("\(tenantBase)/oauth2/v2.0/logout") }
    /// The signing keys, `{host}/{tenant}/discovery/v2.0/keys`.
    public var jwksURI: URL { url("\(tenantBase)/discovery/v2.0/keys") }

    /// The authority whose v2 issuer is `issuer`, when it has Entra's shape
    /// (`{host}/{tenant}/v2.0`); nil for any other issuer.
    public init?(issuer: String) {
        guard issuer.hasSuffix("/v2.0"), let slash = issuer.dropLast("/v2.0".count).lastIndex(of: "/") else { return nil }
        let host = String(issuer[..<slash])
        let tenant = String(issuer[issuer.index(after: slash)..<issuer.index(issuer.endIndex, offsetBy: -"/v2.0".count)])
        guard !tenant.isEmpty, URL(string: host)?.host != nil else { return nil }
        self.init(host: host, tenantID: tenant)
    }

    private func url(_ text: String) -> URL {
        // Built from a host that parsed as a URL and a path of URL-safe characters.
        guard let url = URL(string: text) else { preconditionFailure("Not a URL: \(text)") }
        return url
    }
}
