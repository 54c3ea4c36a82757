import Foundation

/// The errors of client authentication, client credentials and on-behalf-of, each with the
/// code Microsoft's table (entra-docs `reference-error-codes.md`) or entra-more.md gives it.
extension EntraError {
    static let missingCredential = EntraError(
        "invalid_client",
        7_000_218,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."
    )
    static let publicClientWithCredential = EntraError(
        "invalid_client",
        700025,
        "Client is public so neither 'client_assertion' nor 'client_secret' should be presented."
    )
    /// RFC 6749 §2.3: one authentication method per request. Entra's answer is not
    /// documented; AADSTS90023 is its generic invalid request.
    static let twoCredentials = EntraError(
        "invalid_request",
        90023,
        "The request presents both a client secret and a client assertion; send only one of them."
    )
    static func missingParameter(_ name: String) -> EntraError {
        EntraError("invalid_request", 900144, "The request body must contain the following parameter: '\(name)'.")
    }
    static func unsupportedAssertionType(_ type: String) -> EntraError {
        EntraError(
            "invalid_request",
            90023,
            "The client_assertion_type '\(type)' is not supported; use 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'."
        )
    }
    /// AADSTS50027 InvalidJwtToken: malformed, a claim missing or wrong, unexpected audience.
    static func invalidClientAssertion(_ reason: String) -> EntraError {
        EntraError("invalid_client", 50027, "Invalid JWT token. \(reason)")
    }
    static func assertionKeyNotFound(thumbprint: String) -> EntraError {
        EntraError(
            "invalid_client",
            700027,
            "Client assertion failed signature validation. [Reason - The key was not found., Thumbprint of key used by client: '\(thumbprint)']"
        )
    }
    static let assertionSignatureInvalid = EntraError(
        "invalid_client",
        700027,
        "Client assertion failed signature validation. [Reason - The provided signature value did not match the expected signature value.]"
    )
    static let assertionSubjectMismatch = EntraError(
        "invalid_client",
        50048,
        "Subject mismatches Issuer claim in the client assertion."
    )
    static func assertionOutsideValidTime(now: Date, validFrom: Date?, expiry: Date) -> EntraError {
        EntraError(
            "invalid_client",
            700024,
            "Client assertion is not within its valid time range. Current time: \(iso(now)), assertion valid from "
                + "\(validFrom.map(iso) ?? "(none)"), expiry time of assertion \(iso(expiry)). Review the documentation at "
                + "https://learn.microsoft.com/entra/identity-platform/certificate-credentials ."
        )
    }
    static func clientCredentialsScope(_ scope: String) -> EntraError {
        EntraError(
            "invalid_scope",
            1_002_012,
            "The provided value for scope \(scope) is not valid. Client credential flows must have a scope value with /.default "
                + "suffixed to the resource identifier (application ID URI)."
        )
    }
    static func resourceNotFound(_ resource: String, tenant: String) -> EntraError {
        EntraError(
            "invalid_resource",
            500011,
            "The resource principal named \(resource) was not found in the tenant named \(tenant). This can happen if the application "
                + "has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have "
                + "sent your authentication request to the wrong tenant."
        )
    }
    static func multipleResources(_ scope: String) -> EntraError {
        EntraError(
            "invalid_scope",
            700022,
            "The provided value for the input parameter scope is not valid because it contains more than one resource. Scope \(scope) is not valid."
        )
    }

    // MARK: On-behalf-of (entra-more.md §6)

    /// AADSTS50013 InvalidAssertion: not signed by us, malformed, or not a user's token.
    static func invalidUserAssertion(_ reason: String) -> EntraError {
        EntraError("invalid_grant", 50013, "Assertion is invalid. \(reason)")
    }
    static func assertionAudienceMismatch(audience: String, clientID: String) -> EntraError {
        EntraError(
            "invalid_grant",
            500131,
            "Assertion audience does not match the Client app presenting the assertion. The audience in the assertion was '\(audience)' "
                + "and the expected audience is '\(clientID)' or one of the Application Uris of this application with App ID "
                + "'\(clientID)'. The downstream client must request a token for the expected audience (the application that made the "
                + "OBO request) and this application should use that token as the assertion."
        )
    }
    static func userAssertionExpired(now: Date, expiry: Date) -> EntraError {
        EntraError(
            "invalid_grant",
            500133,
            "Assertion is not within its valid time range. Ensure that the access token is not expired before using it for user "
                + "assertion, or request a new token. Current time: \(iso(now)), expiry time of assertion \(iso(expiry))."
        )
    }
    static func consentRequired(clientID: String, name: String) -> EntraError {
        EntraError(
            "invalid_grant",
            65001,
            "The user or administrator has not consented to use the application with ID '\(clientID)' named '\(name)'. "
                + "Send an interactive authorization request for this user and resource.",
            suberror: "consent_required"
        )
    }
    static func unsupportedTokenUse(_ value: String) -> EntraError {
        EntraError("invalid_request", 90023, "The requested_token_use '\(value)' is not supported; use 'on_behalf_of'.")
    }

    /// `2026-12-03T20:00:00Z`, as Entra writes times in these messages.
    private static func iso(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
