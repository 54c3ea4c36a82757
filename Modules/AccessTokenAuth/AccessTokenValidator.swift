import Crypto
import Foundation
import JOSE
import OIDCCore

/// Validates Entra access tokens for a resource server: signature with the authority's
/// current keys, then issuer, tenant, audience and lifetime, and returns who called.
///
/// The signature and claims are JOSE's ``JWTValidator`` over a ``KeySource`` (the authority's
/// ``JWKSCache``); this type adds what is Entra's (the tenant) and a cache of tokens already
/// verified. Every failure is an ``AccessTokenError`` whose description is safe to send back
/// in a `WWW-Authenticate` header; none contains the token.
public struct AccessTokenValidator: Sendable {
    /// The rules tokens must follow.
    public let policy: AccessTokenPolicy
    /// The authority's signing keys.
    public let keys: any KeySource

    private let validator: JWTValidator
    let cache: VerifiedTokenCache
    private let now: @Sendable () -> Date

    /// Creates a validator.
    /// - Parameter now: the clock, replaceable in tests.
    public init(policy: AccessTokenPolicy, keys: any KeySource, now: @escaping @Sendable () -> Date = { Date() }) {
        self.policy = policy
        self.keys = keys
        self.now = now
        self.validator = JWTValidator(
            verifier: JWSVerifier(allowedAlgorithms: policy.algorithms, maximumTokenSize: policy.maximumTokenSize),
            policy: ClaimsPolicy(acceptedIssuers: policy.acceptedIssuers, acceptedAudiences: policy.audiences, leeway: policy.leeway)
        )
        self.cache = VerifiedTokenCache()
    }

    /// The principal of a valid token; throws ``AccessTokenError`` otherwise.
    public func validate(_ token: Substring) async throws(AccessTokenError) -> Principal {
        // Checked before hashing or parsing anything: a bad token must not cost much work.
        guard token.utf8.count <= policy.maximumTokenSize else {
            throw .invalidToken(.tokenTooLarge(limit: policy.maximumTokenSize))
        }
        guard let snapshot = await keys.currentKeys() else { throw .keysUnavailable }
        let now = now()
        let key = VerifiedTokenCache.Key(token: token)
        if let principal = cache.principal(for: key, now: now, thumbprints: snapshot.thumbprints) {
            return principal
        }

        let verified: VerifiedJWT
        do {
            verified = try await validator.validate(token, keys: snapshot, source: keys, now: now)
        } catch {
            throw .invalidToken(error)
        }
        if let tenantID = policy.requiredTenantID {
            guard let tid = verified.claims["tid"]?.stringValue else { throw .missingTenant }
            guard tid == tenantID else { throw .wrongTenant }
        }
        let principal = Principal(claims: verified.claims)
        cache.insert(
            key,
            principal: principal,
            expiration: verified.claims.expiration,
            keyThumbprint: verified.key.thumbprint(),
            now: now
        )
        return principal
    }
}
