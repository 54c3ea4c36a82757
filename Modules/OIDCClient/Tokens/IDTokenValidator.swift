import Foundation
import JOSE
import OIDCCore

/// Validates ID tokens as OpenID Connect Core 1.0 §3.1.3.7 asks, signature included (the
/// token comes over TLS from the token endpoint, so the signature is optional by the letter
/// of step 6; we check it anyway, as a certified relying party would).
///
/// Signature, issuer, audience and lifetime are JOSE's ``JWTValidator`` over the provider's
/// ``KeySource``; this type adds the steps that are OpenID Connect's own (azp, iat, sub, nonce).
public struct IDTokenValidator: Sendable {
    /// The provider's issuer identifier.
    public let issuer: String
    /// Our client id.
    public let clientID: String
    /// The provider's keys.
    public let keys: any KeySource
    /// Clock skew allowed on `exp`, `nbf` and `iat`.
    public let leeway: TimeInterval
    /// The oldest `iat` accepted (step 10): a token fresh from the token endpoint is seconds old.
    public let maximumAge: TimeInterval
    private let validator: JWTValidator
    private let now: @Sendable () -> Date

    /// Creates a validator; `algorithms` are those accepted (step 7: RS256, Entra's only one).
    public init(
        issuer: String,
        clientID: String,
        keys: any KeySource,
        algorithms: Set<JWSAlgorithm> = [.rs256],
        leeway: TimeInterval = 300,
        maximumAge: TimeInterval = 3600,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.issuer = issuer
        self.clientID = clientID
        self.keys = keys
        self.leeway = leeway
        self.maximumAge = maximumAge
        self.now = now
        self.validator = JWTValidator(
            // OIDC Core §10.1: without `kid`, only a provider with a single key of the right type
            // can be trusted to have meant it.
            verifier: JWSVerifier(allowedAlgorithms: algorithms, keySelection: .exactlyOneCandidate),
            // Steps 2, 3 (aud contains us), 9 (exp, required), and nbf/iat-in-future.
            policy: ClaimsPolicy(acceptedIssuers: [issuer], acceptedAudiences: [clientID], leeway: leeway, maximumIssuedAtSkew: leeway)
        )
    }

    /// The claims of `idToken` if it passes every step; `nonce` is the one sent in the
    /// authorization request (nil for a refreshed ID token, which then must carry none or
    /// that same one: the caller passes the original).
    public func validate(_ idToken: String, nonce: String?) async throws(IDTokenError) -> JWTClaims {
        guard let snapshot = await keys.currentKeys() else { throw .keysUnavailable }
        let now = now()
        let claims: JWTClaims
        do {
            claims = try await validator.validate(idToken[...], keys: snapshot, source: keys, now: now).claims
        } catch {
            throw .invalidToken(error)
        }
        // Step 3: no audience we do not trust; steps 4–5: azp, when present or needed, is us.
        if claims.audience.count > 1 {
            guard claims["azp"]?.stringValue == clientID else { throw .severalAudiencesWithoutAuthorizedParty }
            throw .untrustedAudience
        }
        if let azp = claims["azp"], azp.stringValue != clientID { throw .authorizedPartyMismatch }
        // Step 10 and OIDC Core §2: iat and sub are required.
        guard let issuedAt = claims.issuedAt else { throw .missingIssuedAt }
        guard now.timeIntervalSince(issuedAt) <= maximumAge + leeway else { throw .tooOld }
        guard let subject = claims.subject, !subject.isEmpty else { throw .missingSubject }
        // Step 11.
        if let nonce {
            guard let sent = claims["nonce"]?.stringValue else { throw .missingNonce }
            guard sent == nonce else { throw .nonceMismatch }
        }
        return claims
    }
}

/// Why an ID token was refused: one case per cause. The description is safe to show; it never
/// holds the token.
public enum IDTokenError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A JOSE check failed: format, signature, issuer, audience or lifetime.
    case invalidToken(JOSEError)
    /// Several audiences, and `azp` is not this client (step 4).
    case severalAudiencesWithoutAuthorizedParty
    /// Several audiences, one of which this client does not trust (step 3).
    case untrustedAudience
    /// `azp` names another client (step 5).
    case authorizedPartyMismatch
    /// No `iat` (step 10).
    case missingIssuedAt
    /// `iat` is older than the maximum age (step 10).
    case tooOld
    /// No `sub` (OIDC Core §2).
    case missingSubject
    /// The sign-in sent a nonce and the token has none (step 11).
    case missingNonce
    /// The token's nonce is not the one this sign-in sent: a replayed or injected token.
    case nonceMismatch
    /// The provider's keys could not be loaded.
    case keysUnavailable

    public var description: String {
        switch self {
        case .invalidToken(let error): error.description
        case .severalAudiencesWithoutAuthorizedParty: "The ID token has several audiences and its azp is not this client"
        case .untrustedAudience: "The ID token names audiences this client does not trust"
        case .authorizedPartyMismatch: "The ID token's azp is not this client"
        case .missingIssuedAt: "The ID token has no iat claim"
        case .tooOld: "The ID token was issued too long ago"
        case .missingSubject: "The ID token has no sub claim"
        case .missingNonce: "The ID token has no nonce"
        case .nonceMismatch: "The ID token's nonce is not the one this sign-in sent"
        case .keysUnavailable: "The provider's signing keys are not available"
        }
    }
}
