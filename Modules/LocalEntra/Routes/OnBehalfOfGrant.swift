import Foundation
import Hummingbird
import JOSE

extension LocalEntra {
    /// On-behalf-of (`grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`,
    /// `requested_token_use=on_behalf_of`; entra-more.md §6): a confidential middle tier
    /// trades the access token a user sent it (`assertion`) for a token to a downstream API
    /// (`scope`), for the same user. Entra's rules: the assertion is ours, unexpired
    /// (AADSTS500133), a user's delegated access token (AADSTS50013; an ID token is
    /// AADSTS240002), for the caller (AADSTS500131); the downstream scopes are known and among
    /// the caller's permissions (AADSTS70011, AADSTS65005), and the user or an administrator
    /// consented to them (AADSTS65001). The grant is the user's, with the caller as client.
    func onBehalfOf(_ form: [String: String], client: AuthenticatedClient, request: Request) async throws -> Grant {
        let middleTier = client.registration
        guard !middleTier.isPublic else { throw EntraError.missingCredential }
        guard let use = form["requested_token_use"] else { throw EntraError.missingParameter("requested_token_use") }
        guard use == "on_behalf_of" else { throw EntraError.unsupportedTokenUse(use) }
        guard let assertion = form["assertion"], !assertion.isEmpty else { throw EntraError.missingParameter("assertion") }
        let scope = form["scope"] ?? ""
        guard !scope.isEmpty else { throw EntraError.missingParameter("scope") }

        let claims = try await userAssertion(assertion, request: request)
        // The caller is the audience: its client id or its App ID URI (v1 tokens carry the URI).
        let audiences = [middleTier.clientID] + (registrations.api(forResource: middleTier.clientID).map { [$0.appIDURI] } ?? [])
        guard claims.audience.contains(where: { audience in audiences.contains { $0.caseInsensitiveCompare(audience) == .orderedSame } })
        else { throw EntraError.assertionAudienceMismatch(audience: claims.audience.first ?? "", clientID: middleTier.clientID) }
        guard let user = claims["oid"]?.stringValue.flatMap(registrations.user(objectID:)), claims["scp"]?.stringValue != nil else {
            throw EntraError.invalidUserAssertion("On-behalf-of needs a user's delegated access token; an app-only token cannot be used.")
        }

        let scopes = try RequestedScopes.parse(scope, registrations: registrations, client: middleTier)
        if scopes.api != nil, !middleTier.adminConsented {
            guard await sessions.hasConsented(user.objectID, clientID: middleTier.clientID, apiScopesOf: scopes) else {
                throw EntraError.consentRequired(clientID: middleTier.clientID, name: middleTier.name)
            }
        }
        return Grant(userObjectID: user.objectID, clientID: middleTier.clientID, scope: scope, nonce: nil)
    }

    /// The incoming token: signed by one of our published keys (RS256), issued by this
    /// tenant (v2 or v1 issuer, `tid`), unexpired, and an access token (not an ID token).
    private func userAssertion(_ assertion: String, request: Request) async throws -> JWTClaims {
        let published = try await keys.publishedKeys(now: now()).map(\.publicJWK)
        let claims: JWTClaims
        do {
            let verified = try JWSVerifier(allowedAlgorithms: [.rs256]).verify(assertion, keys: JWKSet(keys: published))
            claims = try JWTClaims(payload: verified.payload)
        } catch .signatureInvalid, .noMatchingKey, .malformedSignature {
            throw EntraError("invalid_grant", 50013, "Assertion failed signature validation. [Reason - The key was not found.]")
        } catch {
            throw EntraError.invalidUserAssertion("\(error.description).")
        }
        let issuer = issuer(request)
        guard let iss = claims.issuer, [issuer.issuer, issuer.v1Issuer].contains(iss), claims["tid"]?.stringValue == tenantID else {
            throw EntraError.invalidUserAssertion("The token issuer is not this tenant's.")
        }
        guard let expiry = claims.expiration else { throw EntraError.invalidUserAssertion("The assertion has no 'exp' claim.") }
        guard expiry > now() else { throw EntraError.userAssertionExpired(now: now(), expiry: expiry) }
        // Access tokens carry scp (users) or roles (applications); an ID token has neither.
        guard claims["scp"] != nil || claims["roles"] != nil else {
            throw EntraError(
                "invalid_grant",
                240002,
                "The id_token can't be used as urn:ietf:params:oauth:grant-type:jwt-bearer grant."
            )
        }
        return claims
    }
}
