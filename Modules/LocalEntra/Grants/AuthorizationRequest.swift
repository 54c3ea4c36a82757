import Foundation
import OIDCCore

/// The scopes of a request, parsed against the registrations: OpenID Connect scopes, and
/// the delegated scopes of at most one API (Entra issues one access token per resource).
public struct RequestedScopes: Hashable, Sendable {
    /// `openid` was asked: an ID token is issued.
    public var openID: Bool
    /// `offline_access` was asked: a refresh token is issued.
    public var offlineAccess: Bool
    /// The OpenID Connect scopes asked (`openid`, `profile`, `email`, `offline_access`).
    public var oidc: [String]
    /// The API the access token is for; nil means Microsoft Graph, as in Entra.
    public var api: APIRegistration?
    /// The API's delegated scopes asked (short names), or all of them for `/.default`.
    public var apiScopes: [String]

    static let oidcScopes: Set<String> = ["openid", "profile", "email", "offline_access"]

    /// Parses a space-separated `scope` parameter; throws AADSTS70011 for an unknown scope.
    public static func parse(_ scope: String, registrations: Registrations) throws(EntraError) -> RequestedScopes {
        try parse(scope, registrations: registrations, client: nil)
    }

    /// Parses `scope` as requested by `client`, which must have each API scope among its
    /// permissions (AADSTS65005). `/.default` means all the permissions it has for the API.
    public static func parse(
        _ scope: String,
        registrations: Registrations,
        client: ClientRegistration?
    ) throws(EntraError) -> RequestedScopes {
        var parsed = RequestedScopes(openID: false, offlineAccess: false, oidc: [], api: nil, apiScopes: [])
        for item in scope.split(separator: " ").map(String.init) {
            if oidcScopes.contains(item.lowercased()) {
                parsed.oidc.append(item.lowercased())
                continue
            }
            guard let slash = item.lastIndex(of: "/"), let api = registrations.api(forResource: String(item[..<slash])) else {
                throw .invalidScope(scope)
            }
            // One resource per request: a second API is AADSTS700022 (Microsoft's table).
            if let current = parsed.api, current != api { throw .multipleResources(scope) }
            parsed.api = api
            let name = String(item[item.index(after: slash)...])
            if name == ".default" {
                parsed.apiScopes = api.scopes.filter { client?.mayRequest($0, of: api) ?? true }
            } else if let known = api.scopes.first(where: { $0.caseInsensitiveCompare(name) == .orderedSame }) {
                if let client, !client.mayRequest(known, of: api) { throw .scopeNotConfigured(client.clientID, known) }
                if !parsed.apiScopes.contains(known) { parsed.apiScopes.append(known) }
            } else {
                throw .invalidScope(scope)
            }
        }
        guard !parsed.oidc.isEmpty || parsed.api != nil else { throw .invalidScope(scope) }
        parsed.openID = parsed.oidc.contains("openid")
        parsed.offlineAccess = parsed.oidc.contains("offline_access")
        return parsed
    }

    /// The full names of the API scopes granted (`api://<id>/Heroes.Read`).
    public var apiScopeNames: [String] {
        api.map { api in apiScopes.map { "\(api.appIDURI)/\($0)" } } ?? []
    }

    /// The granted scopes as a `scope` string that parses back to these scopes (kept in grants).
    public var grantedScope: String {
        (oidc + apiScopeNames).joined(separator: " ")
    }

    /// The `scope` of the token response: the full API scope names (Graph's `User.Read` when
    /// no API was asked, as Entra), then the OIDC ones.
    public var responseScope: String {
        ((api == nil ? ["User.Read"] : apiScopeNames) + oidc).joined(separator: " ")
    }

    /// What the consent page lists.
    public var permissions: [String] {
        var list: [String] = []
        if openID { list.append("Sign you in") }
        if oidc.contains("profile") || oidc.contains("email") { list.append("View your basic profile") }
        if offlineAccess { list.append("Maintain access to data you have given it access to") }
        if let api { list += apiScopes.map { "\(api.name): \($0)" } }
        return list
    }
}

/// A checked `/authorize` request, waiting for the user to sign in and consent.
public struct AuthorizationRequest: Hashable, Sendable {
    /// The client.
    public var client: ClientRegistration
    /// The registered redirect URI it named.
    public var redirectURI: String
    /// What it asked for.
    public var scopes: RequestedScopes
    /// Echoed back with the code.
    public var state: String?
    /// Copied into the ID token.
    public var nonce: String?
    /// PKCE (RFC 7636): the challenge and its method, `S256` or `plain`.
    public var codeChallenge: String?
    /// `S256` or `plain`.
    public var codeChallengeMethod: String
    /// `login`, `none`, `consent`, `select_account`, or nil.
    public var prompt: String?
    /// Prefills the username field.
    public var loginHint: String?
}
