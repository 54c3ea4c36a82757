import Foundation
import JOSE
import OIDCCore

/// What an access token must be for this API: who may issue it, for which audience, signed how.
public struct AccessTokenPolicy: Sendable {
    /// How the issuer is checked.
    public enum IssuerMode: Hashable, Sendable {
        /// Microsoft Entra ID: the tenant's v2 issuer and its v1 issuer (see
        /// ``EntraAuthority/acceptedIssuers``) are accepted, and `tid` must equal the tenant: the
        /// same keys sign for every tenant, so only `iss` and `tid` prove which one issued it.
        case entra(EntraAuthority)
        /// Any OpenID provider: `iss` must equal this issuer exactly.
        case exact(issuer: String)
    }

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
        case .entra(let authority): authority.issuer
        case .exact(let issuer): issuer
        }
    }

    /// The tenant `tid` must equal, in Entra mode.
    public var requiredTenantID: String? {
        if case .entra(let authority) = issuerMode { return authority.tenantID }
        return nil
    }

    /// Every accepted `iss` value.
    public var acceptedIssuers: Set<String> {
        switch issuerMode {
        case .exact(let issuer): [issuer]
        case .entra(let authority): authority.acceptedIssuers
        }
    }
}
