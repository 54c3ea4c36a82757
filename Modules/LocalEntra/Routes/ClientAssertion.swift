import Foundation
import JOSE

/// Checks a certificate credential's `client_assertion` (RFC 7523 §3; entra-more.md §5) as
/// leniently as Entra: RS256 or PS256, the registered certificate chosen by `x5t#S256` or
/// `x5t` (padded or not), `iss` = `sub` = the client, `aud` the token endpoint, `exp`
/// required and `nbf` optional, with 5 minutes of clock skew. No lifetime cap and no `jti`
/// replay check: MSAL reuses one assertion for 540 s, and Entra caps nothing.
struct ClientAssertion {
    /// The client's registered keys.
    let keys: [ClientCredentialKey]
    /// The client the request names.
    let clientID: String
    /// The accepted `aud` values.
    let audiences: [String]

    /// Entra's usual tolerance for clocks.
    static let clockSkew: TimeInterval = 300
    /// The algorithms of Entra's certificate credentials.
    static let verifier = JWSVerifier(allowedAlgorithms: [.rs256, .ps256])

    /// Verifies `assertion`; the error is Entra's for what is wrong.
    func verify(_ assertion: String, now: Date) throws(EntraError) {
        let header = Self.segment(assertion, 0)
        let x5t = header?["x5t"] as? String
        let x5tS256 = header?["x5t#S256"] as? String
        guard header != nil else { throw .invalidClientAssertion("The client assertion is not a signed JWT.") }
        // A header naming a certificate picks it; a header naming none may use a bare public key.
        let candidates =
            x5t == nil && x5tS256 == nil
            ? keys.filter { $0.sha1Thumbprint == nil } : keys.filter { $0.matches(x5t: x5t, x5tS256: x5tS256) }
        guard !candidates.isEmpty else {
            let named = (x5t ?? x5tS256).flatMap(ClientCredentialKey.decode)
            throw .assertionKeyNotFound(thumbprint: named.map(Self.hex) ?? "none")
        }
        var verified: (claims: JWTClaims, key: ClientCredentialKey)?
        var failure = EntraError.assertionSignatureInvalid
        for key in candidates where verified == nil {
            do {
                let jws = try Self.verifier.verify(assertion, keys: JWKSet(keys: [key.publicKey]))
                verified = (try JWTClaims(payload: jws.payload), key)
            } catch .signatureInvalid, .malformedSignature, .noMatchingKey {
                continue
            } catch {
                failure = .invalidClientAssertion("\(error.description).")
            }
        }
        guard let (claims, key) = verified else { throw failure }
        if let validity = key.validity, !validity.contains(now) {
            throw EntraError("invalid_client", 700027, "Client assertion failed signature validation. [Reason - The key used is expired.]")
        }
        try check(claims, now: now)
    }

    /// The claims: who, for whom, when.
    private func check(_ claims: JWTClaims, now: Date) throws(EntraError) {
        guard let issuer = claims.issuer, let subject = claims.subject else {
            throw .invalidClientAssertion("The client assertion must contain the 'iss' and 'sub' claims.")
        }
        guard issuer == subject else { throw .assertionSubjectMismatch }
        guard issuer.caseInsensitiveCompare(clientID) == .orderedSame else {
            throw .invalidClientAssertion("The client assertion's issuer '\(issuer)' is not the client_id '\(clientID)'.")
        }
        guard claims.audience.contains(where: { audience in audiences.contains { $0.caseInsensitiveCompare(audience) == .orderedSame } })
        else {
            throw .invalidClientAssertion(
                "The client assertion's audience '\(claims.audience.joined(separator: " "))' is not the token endpoint '\(audiences[0])'."
            )
        }
        guard let expiry = claims.expiration else { throw .invalidClientAssertion("The client assertion must contain the 'exp' claim.") }
        let early = claims.notBefore.map { $0.timeIntervalSince(now) > Self.clockSkew } ?? false
        guard expiry.timeIntervalSince(now) > -Self.clockSkew, !early else {
            throw .assertionOutsideValidTime(now: now, validFrom: claims.notBefore, expiry: expiry)
        }
    }

    /// The `sub` of an assertion, unverified: it names the client when `client_id` is left out.
    static func unverifiedSubject(_ assertion: String) -> String? {
        segment(assertion, 1)?["sub"] as? String
    }

    /// A JSON object segment of a compact JWS, unverified (only to choose a key or a client).
    private static func segment(_ token: String, _ index: Int) -> [String: Any]? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let bytes = Base64URL.decode(String(parts[index])) else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
    }

    /// A thumbprint as Entra shows it: upper-case hex.
    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02X", $0) }.joined()
    }
}
