import JOSE

extension JWKSCache {
    /// Verifies `token` with the keys of `snapshot`; when no key matches (the provider may have
    /// rotated its keys since), asks for fresher keys (rate-limited) and tries once more.
    ///
    /// Both the access-token and the ID-token validators verify this way.
    public func verify(_ token: Substring, using verifier: JWSVerifier, keys snapshot: KeySnapshot) async throws(JOSEError) -> VerifiedJWS {
        do {
            return try verifier.verify(token, keys: snapshot.keys)
        } catch .noMatchingKey {
            guard let refreshed = await keysAfterUnknownKey(), refreshed.generation != snapshot.generation else {
                throw .noMatchingKey
            }
            return try verifier.verify(token, keys: refreshed.keys)
        }
    }
}
