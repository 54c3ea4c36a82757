#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What a JWT's claims must satisfy (RFC 7519 §4.1, RFC 8725 §3.8–3.9).
public struct ClaimsPolicy: Sendable {
    /// Issuers accepted, compared exactly (no trailing-slash or case folding).
    public var acceptedIssuers: Set<String>
    /// Audiences accepted; at least one `aud` value must be among them.
    public var acceptedAudiences: Set<String>
    /// Clock skew tolerated on `exp` and `nbf`; 300 s as Microsoft.Identity.Web.
    public var leeway: TimeInterval
    /// Whether a token without `exp` is rejected.
    public var requireExpiration: Bool
    /// How far in the future `iat` may be before the token is rejected.
    public var maximumIssuedAtSkew: TimeInterval

    /// The default clock skew: five minutes.
    public static let defaultLeeway: TimeInterval = 300

    /// Creates a policy; every check is on unless switched off.
    public init(
        acceptedIssuers: Set<String>,
        acceptedAudiences: Set<String>,
        leeway: TimeInterval = ClaimsPolicy.defaultLeeway,
        requireExpiration: Bool = true,
        maximumIssuedAtSkew: TimeInterval = ClaimsPolicy.defaultLeeway
    ) {
        self.acceptedIssuers = acceptedIssuers
        self.acceptedAudiences = acceptedAudiences
        self.leeway = leeway
        self.requireExpiration = requireExpiration
        self.maximumIssuedAtSkew = maximumIssuedAtSkew
    }

    /// Checks `claims` at time `now` (injected so tests and replays are deterministic).
    public func validate(_ claims: JWTClaims, now: Date) throws(JOSEError) {
        // RFC 7519 §4.1.4: reject on or after exp (plus leeway).
        if let expiration = claims.expiration {
            if now >= expiration.addingTimeInterval(leeway) { throw .expired(at: expiration) }
        } else if requireExpiration {
            throw .missingClaim(name: "exp")
        }
        // RFC 7519 §4.1.5: reject before nbf (minus leeway).
        if let notBefore = claims.notBefore, now.addingTimeInterval(leeway) < notBefore {
            throw .notYetValid(until: notBefore)
        }
        // RFC 7519 §4.1.6 leaves iat to policy; a token "issued" in the future is forged or mis-clocked.
        if let issuedAt = claims.issuedAt, issuedAt > now.addingTimeInterval(maximumIssuedAtSkew) {
            throw .issuedInTheFuture(at: issuedAt)
        }
        // RFC 8725 §3.8: the issuer must be exactly one we trust.
        guard let issuer = claims.issuer else { throw .missingClaim(name: "iss") }
        guard acceptedIssuers.contains(issuer) else { throw .issuerNotAccepted }
        // RFC 7519 §4.1.3 / RFC 8725 §3.9: we must be among the audiences.
        guard !claims.audience.isEmpty else { throw .missingClaim(name: "aud") }
        guard claims.audience.contains(where: acceptedAudiences.contains) else { throw .audienceNotAccepted }
    }
}
