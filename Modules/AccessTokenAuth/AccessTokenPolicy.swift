import Foundation
import JOSE
import OIDCClient

/// What an access token must be for this API: who may issue it, for which audience, signed how.
public struct AccessTokenPolicy: Sendable {
    /// How the issuer is checked.
    public enum IssuerMode: Hashable, Sendable {
        /// Microsoft Entra ID: the tenant's v2 issuer `{host}/{tenant}/v2.0` and its v1 issuer
        /// (`https://sts.windows.net/{tenant}/` for the public cloud, `{host}/{tenant}/` for a
        /// local authority on loopback) are accepted, and `tid` must equal the tenant: the same
        /// keys sign for every tenant, so only `iss` and `tid` prove which one issued the token.
        case entra(authorityHost: String, tenantID: String)
        /// Any OpenID provider: `iss` must equal this issuer exactly.
        case exact(issuer: String)
    }

    /// The public Entra ID host.
    public static let publicEntraHost = "https://login.microsoftonline.com"

    /// How the issuer is checked.
    public var issuerMode: IssuerMode
    /// Accepted `aud` values.
    public var audiences: Set<String>
    /// Clock skew tolerated on `exp` and `nbf`.
    public var leeway: TimeInterval
    /// Accepted signing algorithms.
    public var algorithms: Set<JWSAlgorithm>
    /// Longest token accepted, in bytes.
    public var maximumTokenSize: Int

    /// Creates a policy.
    public init(
        issuerMode: IssuerMode,
        audiences: Set<String>,
        leeway: TimeInterval = ClaimsPolicy.defaultLeeway,
        algorithms: Set<JWSAlgorithm> = [.rs256],
        maximumTokenSize: Int = JWSVerifier.defaultMaximumTokenSize
    ) {
        self.issuerMode = issuerMode
        self.audiences = audiences
        self.leeway = leeway
        self.algorithms = algorithms
        self.maximumTokenSize = maximumTokenSize
    }

    /// The audiences of an Entra API: its client id, `api://` + the client id (what v1 tokens
    /// carry), and any extra ones.
    public static func audiences(clientID: String, extra: some Sequence<String> = []) -> Set<String> {
        Set([clientID, "api://\(clientID)"]).union(extra)
    }

    /// The issuer whose discovery document names the signing keys.
    public var discoveryIssuer: String {
        switch issuerMode {
        case .entra(let host, let tenantID): "\(Self.trimmed(host))/\(tenantID)/v2.0"
        case .exact(let issuer): issuer
        }
    }

    /// The tenant `tid` must equal, in Entra mode.
    public var requiredTenantID: String? {
        if case .entra(_, let tenantID) = issuerMode { return tenantID }
        return nil
    }

    /// Every accepted `iss` value.
    public var acceptedIssuers: Set<String> {
        switch issuerMode {
        case .exact(let issuer):
            return [issuer]
        case .entra(let host, let tenantID):
            let host = Self.trimmed(host)
            var issuers: Set<String> = ["\(host)/\(tenantID)/v2.0"]
            if host == Self.publicEntraHost {
                issuers.insert("https://sts.windows.net/\(tenantID)/")
            } else if let url = URL(string: host), let name = url.host, AuthorityURL.isLoopback(name) {
                issuers.insert("\(host)/\(tenantID)/")
            }
            return issuers
        }
    }

    private static func trimmed(_ host: String) -> String {
        host.hasSuffix("/") ? String(host.dropLast()) : host
    }
}
