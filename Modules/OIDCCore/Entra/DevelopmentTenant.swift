/// local-entra's built-in registrations: fixed, documented values (ARCHITECTURE.md,
/// "Development defaults") so that the three processes work together with no settings.
///
/// This is their one home: local-entra registers them, hero-server and hero-client default to
/// them, and the tests and `hero-demo` use them. Development only; never valid against a real
/// tenant.
public enum DevelopmentTenant {
    /// The tenant id.
    public static let tenantID = "7c3e1f6a-4d2b-4b8e-9a51-2f0c8d6e9b10"
    /// The address local-entra serves on by default.
    public static let authorityHost = "http://127.0.0.1:9000"
    /// The authority hero-server and hero-client trust in development mode.
    public static let authority = EntraAuthority(host: authorityHost, tenantID: tenantID)

    /// The Heroes API's app (client) id.
    public static let apiClientID = "5b1a9c3e-8f2d-4e6a-b7c4-1d9e0f2a3b4c"
    /// The Heroes API's App ID URI, the prefix of its scopes.
    public static let apiAppIDURI = "api://\(apiClientID)"
    /// The Heroes API's delegated scopes (and app roles).
    public static let apiScopes = ["Heroes.Read", "Heroes.Write", "Heroes.Delete"]
    /// A second API, for audience tests: a token for it must not open the Heroes API.
    public static let secondAPIClientID = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a"

    /// hero-client's app (client) id.
    public static let clientID = "3f2e1d0c-9b8a-4c7d-a6e5-4f3e2d1c0b9a"
    /// hero-client's secret.
    public static let clientSecret = "local-entra-dev-secret"
    /// hero-client's redirect URI.
    public static let redirectURI = "http://localhost:8000/auth/callback"
    /// The app roles hero-client holds on the Heroes API (client-credentials tokens).
    public static let clientAppRoles = ["Heroes.Read", "Heroes.Write"]

    /// The middle tier for on-behalf-of: one registration that is an API (scope
    /// `access_as_user`) and a confidential client allowed the Heroes API's scopes, with
    /// admin consent, so it can trade a user's token for it for a Heroes API token.
    public static let middleTierClientID = "6c5b4a39-2817-4f6e-8d5c-4b3a29180f7e"
    /// The middle tier's App ID URI.
    public static let middleTierAppIDURI = "api://\(middleTierClientID)"
    /// The middle tier's secret.
    public static let middleTierSecret = "local-entra-middle-tier-secret"
    /// The middle tier's delegated scope (what a front end asks to call it).
    public static let middleTierScope = "access_as_user"

    /// The client id of the development managed identity, whose tokens local-entra's App
    /// Service emulation (`/msi/token`) issues.
    public static let managedIdentityClientID = "2a4b6c8d-0e1f-4a3b-9c5d-7e9f1a3b5c7d"
    /// The object (principal) id of the development managed identity: its tokens' `oid`.
    public static let managedIdentityObjectID = "6e8f0a2c-4b1d-4c3e-8f5a-7b9d1e3f5a7c"

    /// A development user.
    public struct User: Hashable, Sendable {
        /// The sign-in name.
        public let username: String
        /// The password.
        public let password: String
        /// The display name (`name` claim).
        public let displayName: String
        /// The object id (`oid` claim).
        public let objectID: String
    }

    /// The demo user, who signs in in the demo and most tests.
    public static let hero = User(
        username: "hero@localentra.dev",
        password: "hero-password",
        displayName: "Demo Hero",
        objectID: "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"
    )
    /// A second user, for tests that need two.
    public static let sidekick = User(
        username: "sidekick@localentra.dev",
        password: "sidekick-password",
        displayName: "Sidekick",
        objectID: "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e"
    )

    /// The scopes hero-client asks for by default: sign-in, refresh, and the three API scopes.
    public static var clientScopes: [String] {
        ["openid", "profile", "offline_access"] + apiScopes.map { "\(apiAppIDURI)/\($0)" }
    }
}
