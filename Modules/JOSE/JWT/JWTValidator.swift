#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Verifies a JWT's signature and then its claims: the whole of token validation.
public struct JWTValidator: Sendable {
    /// The signature layer (allowed algorithms, size limit, key selection).
    public var verifier: JWSVerifier
    /// The claims layer (issuers, audiences, times).
    public var policy: ClaimsPolicy
    /// Accepted header `typ` values (case-insensitive, `application/` optional); `nil` accepts any.
    public var acceptedTypes: Set<String>?

    /// Creates a validator from its two layers.
    public init(verifier: JWSVerifier, policy: ClaimsPolicy, acceptedTypes: Set<String>? = nil) {
        self.verifier = verifier
        self.policy = policy
        self.acceptedTypes = acceptedTypes
    }

    /// Verifies and validates a compact JWT at time `now`.
    public func validate(_ token: String, keys: JWKSet, now: Date) throws(JOSEError) -> VerifiedJWT {
        try validated(verifier.verify(token, keys: keys), now: now)
    }

    /// Verifies and validates a compact JWT held in a substring.
    public func validate(_ token: Substring, keys: JWKSet, now: Date) throws(JOSEError) -> VerifiedJWT {
        try validated(verifier.verify(token, keys: keys), now: now)
    }

    /// Verifies and validates a compact JWT with `snapshot`, the keys `source` gave; when no
    /// key matches, asks `source` once for newer keys and tries again.
    ///
    /// Runs on the caller's executor: signature checks from many tasks run in parallel, and
    /// only a refetch waits on the source.
    public func validate(
        _ token: Substring,
        keys snapshot: KeySnapshot,
        source: some KeySource,
        now: Date
    ) async throws(JOSEError) -> VerifiedJWT {
        do {
            return try validate(token, keys: snapshot.keys, now: now)
        } catch .noMatchingKey {
            guard let newer = await source.keys(newerThan: snapshot) else { throw .noMatchingKey }
            return try validate(token, keys: newer.keys, now: now)
        }
    }

    private func validated(_ jws: VerifiedJWS, now: Date) throws(JOSEError) -> VerifiedJWT {
        if let acceptedTypes {
            // RFC 7515 §4.1.9: typ compares case-insensitively and may omit "application/".
            guard let type = jws.header.type.map(Self.normalizedType),
                acceptedTypes.contains(where: { Self.normalizedType($0) == type })
            else { throw .typeNotAccepted }
        }
        // RFC 7519 §7.2 step 10: the payload of a JWT is a JSON object (claims set).
        let claims = try JWTClaims(payload: jws.payload)
        try policy.validate(claims, now: now)
        return VerifiedJWT(header: jws.header, claims: claims, key: jws.key)
    }

    private static func normalizedType(_ type: String) -> String {
        let lowered = type.lowercased()
        return lowered.hasPrefix("application/") ? String(lowered.dropFirst("application/".count)) : lowered
    }
}

/// A JWT whose signature and claims have been validated.
public struct VerifiedJWT: Sendable {
    /// The checked protected header.
    public let header: JWSHeader
    /// The validated claims.
    public let claims: JWTClaims
    /// The trusted key that verified the signature.
    public let key: JWK
}
