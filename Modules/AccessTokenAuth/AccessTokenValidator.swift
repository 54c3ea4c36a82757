import Crypto
import Foundation
import HTTPKit
import JOSE
import OIDCClient

/// Validates Entra access tokens for a resource server: signature with the authority's
/// current keys, then issuer, tenant, audience and lifetime, and returns who called.
///
/// Every failure is an ``AccessTokenError`` whose description is safe to send back in a
/// `WWW-Authenticate` header; none contains the token.
public struct AccessTokenValidator: Sendable {
    /// The rules tokens must follow.
    public let policy: AccessTokenPolicy
    /// The authority's signing keys.
    public let keys: JWKSCache

    private let verifier: JWSVerifier
    private let claimsPolicy: ClaimsPolicy
    let cache: VerifiedTokenCache
    private let now: @Sendable () -> Date

    /// Creates a validator.
    /// - Parameter now: the clock, replaceable in tests.
    public init(policy: AccessTokenPolicy, keys: JWKSCache, now: @escaping @Sendable () -> Date = { Date() }) {
        self.policy = policy
        self.keys = keys
        self.now = now
        self.verifier = JWSVerifier(allowedAlgorithms: policy.algorithms, maximumTokenSize: policy.maximumTokenSize)
        self.claimsPolicy = ClaimsPolicy(
            acceptedIssuers: policy.acceptedIssuers,
            acceptedAudiences: policy.audiences,
            leeway: policy.leeway
        )
        self.cache = VerifiedTokenCache()
    }

    /// The principal of a valid token; throws ``AccessTokenError`` otherwise.
    public func validate(_ token: Substring) async throws(AccessTokenError) -> Principal {
        // Checked before hashing or parsing anything: a bad token must not cost much work.
        guard token.utf8.count <= policy.maximumTokenSize else {
            throw .invalidToken(JOSEError.tokenTooLarge(limit: policy.maximumTokenSize).description)
        }
        guard let snapshot = await keys.keys() else { throw .keysUnavailable }
        let now = now()
        let digest = SHA256.hash(data: Array(token.utf8))
        if let principal = await cache.principal(for: digest, now: now, thumbprints: snapshot.thumbprints) {
            return principal
        }

        let verified: VerifiedJWS
        do {
            verified = try await keys.verify(token, using: verifier, keys: snapshot)
        } catch {
            throw .invalidToken(error.description)
        }

        let (principal, expiration) = try checkClaims(of: verified, now: now)
        await cache.insert(digest, principal: principal, expiration: expiration, keyThumbprint: verified.key.thumbprint(), now: now)
        return principal
    }

    /// Issuer, audience, lifetime and tenant.
    private func checkClaims(of verified: VerifiedJWS, now: Date) throws(AccessTokenError) -> (value: Principal, expiration: Date?) {
        let claims: JWTClaims
        do {
            claims = try JWTClaims(payload: verified.payload)
            try claimsPolicy.validate(claims, now: now)
        } catch {
            throw .invalidToken(error.description)
        }
        if let tenantID = policy.requiredTenantID {
            guard let tid = claims["tid"]?.stringValue else { throw .invalidToken("The token has no tid claim") }
            guard tid == tenantID else { throw .invalidToken("The token was issued for another tenant") }
        }
        return (Principal(claims: claims), claims.expiration)
    }
}
