import Foundation
import JOSE

/// Validates ID tokens as OpenID Connect Core 1.0 §3.1.3.7 asks, signature included (the
/// token comes over TLS from the token endpoint, so the signature is optional by the letter
/// of step 6; we check it anyway, as a certified relying party would).
public struct IDTokenValidator: Sendable {
    /// The provider's issuer identifier.
    public let issuer: String
    /// Our client id.
    public let clientID: String
    /// The provider's keys.
    public let keys: JWKSCache
    /// Accepted signature algorithms (step 7: RS256, Entra's only one).
    public let algorithms: Set<JWSAlgorithm>
    /// Clock skew allowed on `exp`, `nbf` and `iat`.
    public let leeway: TimeInterval
    /// The oldest `iat` accepted (step 10): a token fresh from the token endpoint is seconds old.
    public let maximumAge: TimeInterval
    private let now: @Sendable () -> Date

    /// Creates a validator.
    public init(
        issuer: String,
        clientID: String,
        keys: JWKSCache,
        algorithms: Set<JWSAlgorithm> = [.rs256],
        leeway: TimeInterval = 300,
        maximumAge: TimeInterval = 3600,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.issuer = issuer
        self.clientID = clientID
        self.keys = keys
        self.algorithms = algorithms
        self.leeway = leeway
        self.maximumAge = maximumAge
        self.now = now
    }

    /// The claims of `idToken` if it passes every step; `nonce` is the one sent in the
    /// authorization request (nil for a refreshed ID token, which then must carry none or
    /// that same one: the caller passes the original).
    public func validate(_ idToken: String, nonce: String?) async throws(IDTokenError) -> JWTClaims {
        // OIDC Core §10.1: without `kid`, only a provider with a single key of the right type
        // can be trusted to have meant it.
        let verifier = JWSVerifier(allowedAlgorithms: algorithms, keySelection: .exactlyOneCandidate)
        guard let snapshot = await keys.keys() else { throw .keysUnavailable }
        let verified: VerifiedJWS
        do {
            verified = try await keys.verify(idToken[...], using: verifier, keys: snapshot)
        } catch {
            throw .invalid(error.description)
        }

        let claims: JWTClaims
        let now = now()
        do {
            claims = try JWTClaims(payload: verified.payload)
            // Steps 2, 3 (aud contains us), 9 (exp, required), and nbf/iat-in-future.
            try ClaimsPolicy(acceptedIssuers: [issuer], acceptedAudiences: [clientID], leeway: leeway, maximumIssuedAtSkew: leeway)
                .validate(claims, now: now)
        } catch {
            throw .invalid(error.description)
        }
        // Step 3: no audience we do not trust; steps 4–5: azp, when present or needed, is us.
        if claims.audience.count > 1 {
            guard claims["azp"]?.stringValue == clientID else {
                throw .invalid("The ID token has several audiences and its azp is not this client")
            }
            throw .invalid("The ID token names audiences this client does not trust")
        }
        if let azp = claims["azp"], azp.stringValue != clientID { throw .invalid("The ID token's azp is not this client") }
        // Step 10 and OIDC Core §2: iat and sub are required.
        guard let issuedAt = claims.issuedAt else { throw .invalid("The ID token has no iat claim") }
        guard now.timeIntervalSince(issuedAt) <= maximumAge + leeway else { throw .invalid("The ID token was issued too long ago") }
        guard let subject = claims.subject, !subject.isEmpty else { throw .invalid("The ID token has no sub claim") }
        // Step 11.
        if let nonce {
            guard let sent = claims["nonce"]?.stringValue else { throw .invalid("The ID token has no nonce") }
            guard sent == nonce else { throw .invalid("The ID token's nonce is not the one this sign-in sent") }
        }
        return claims
    }
}

/// Why an ID token was refused. The description is safe to show; it never holds the token.
public enum IDTokenError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A check failed.
    case invalid(String)
    /// The provider's keys could not be loaded.
    case keysUnavailable

    public var description: String {
        switch self {
        case .invalid(let reason): reason
        case .keysUnavailable: "The provider's signing keys are not available"
        }
    }
}
