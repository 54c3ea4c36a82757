import Foundation
import HTTPKit
import HTTPTypes
import Hummingbird
import JOSE

extension LocalEntra {
    func addTokenRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.post(":tenant/oauth2/v2.0/token") { request, context in
            try checkTenant(context)
            let form = try await FormBody.read(request, context: context)
            let client = try authenticateClient(form, request: request)
            let grantType = form["grant_type"] ?? ""
            // MSAL sends client_info=1 and keys its accounts on the answer's client_info.
            let clientInfo = form["client_info"] == "1"
            switch grantType {
            case "authorization_code":
                let grant = try await codes.redeem(
                    form["code"] ?? "",
                    clientID: client.registration.clientID,
                    redirectURI: form["redirect_uri"],
                    verifier: form["code_verifier"],
                    now: now()
                )
                return try await tokenResponse(for: grant, client: client, request: request, clientInfo: clientInfo)
            case "refresh_token":
                let grant = try await refreshTokens.redeem(
                    form["refresh_token"] ?? "",
                    clientID: client.registration.clientID,
                    now: now()
                )
                return try await tokenResponse(for: grant, client: client, request: request, clientInfo: clientInfo)
            case "client_credentials":
                return try await clientCredentials(scope: form["scope"] ?? "", client: client, request: request)
            case "password":
                let grant = try resourceOwnerPassword(form, client: client.registration)
                return try await tokenResponse(for: grant, client: client, request: request, clientInfo: clientInfo)
            case "urn:ietf:params:oauth:grant-type:device_code":
                let grant = try await devices.poll(
                    deviceCode: form["device_code"] ?? "",
                    clientID: client.registration.clientID,
                    now: now()
                )
                return try await tokenResponse(for: grant, client: client, request: request, clientInfo: clientInfo)
            case "urn:ietf:params:oauth:grant-type:jwt-bearer":
                let grant = try await onBehalfOf(form, client: client, request: request)
                return try await tokenResponse(for: grant, client: client, request: request, clientInfo: clientInfo)
            default:
                throw EntraError.unsupportedGrantType(grantType)
            }
        }
    }

    /// Tokens for a user's grant: access token, ID token with `openid`, refresh token (rotated:
    /// a new one replaces the one just used) with `offline_access`, and `client_info` when asked.
    func tokenResponse(for grant: Grant, client: AuthenticatedClient, request: Request, clientInfo: Bool) async throws -> Response {
        guard let user = registrations.user(objectID: grant.userObjectID) else { throw EntraError.invalidGrant }
        let scopes = try RequestedScopes.parse(grant.scope, registrations: registrations)
        let key = try await keys.current()
        let issuer = issuer(request)
        let now = now()
        var body: [String: JSONValue] = ["token_type": "Bearer", "scope": .string(scopes.responseScope)]
        let access = try issuer.accessToken(
            for: .user(user, scopes: scopes.api == nil ? scopes.oidc : scopes.apiScopes),
            api: scopes.api ?? Self.graph,
            client: client.registration,
            authenticationLevel: client.authenticationLevel,
            key: key,
            now: now
        )
        body["access_token"] = .string(access.token)
        body["expires_in"] = .number(Double(access.expiresIn))
        body["ext_expires_in"] = .number(Double(access.expiresIn))
        if scopes.openID {
            body["id_token"] = .string(try issuer.idToken(for: user, client: client.registration, nonce: grant.nonce, key: key, now: now))
        }
        if scopes.offlineAccess {
            body["refresh_token"] = .string(
                try await refreshTokens.issue(
                    Grant(userObjectID: grant.userObjectID, clientID: grant.clientID, scope: grant.scope, nonce: nil),
                    now: now
                )
            )
        }
        if clientInfo { body["client_info"] = .string(Self.clientInfo(user: user, tenantID: tenantID)) }
        return Self.tokenJSON(body)
    }

    /// Entra's `client_info`: base64url (unpadded) of `{"uid": <user oid>, "utid": <tenant id>}`,
    /// from which MSAL makes the account's home id `<uid>.<utid>`.
    static func clientInfo(user: UserAccount, tenantID: String) -> String {
        Base64URL.encode(JSONValue.object(["uid": .string(user.objectID), "utid": .string(tenantID)]).serialized())
    }

    /// Client credentials (confidential clients only): the scope is one `{App ID URI}/.default`
    /// (anything else AADSTS1002012, entra-more.md §7; an unknown resource AADSTS500011, two
    /// resources AADSTS700022); the client's app roles for that API go in `roles`.
    func clientCredentials(scope: String, client: AuthenticatedClient, request: Request) async throws -> Response {
        guard !client.registration.isPublic else { throw EntraError.missingCredential }
        let items = scope.split(separator: " ").map(String.init)
        guard !items.isEmpty else { throw EntraError.missingParameter("scope") }
        guard items.allSatisfy({ $0.hasSuffix("/.default") }) else { throw EntraError.clientCredentialsScope(scope) }
        var apis: [APIRegistration] = []
        for item in items {
            let resource = String(item.dropLast("/.default".count))
            guard let api = registrations.api(forResource: resource) else { throw EntraError.resourceNotFound(resource, tenant: tenantID) }
            if !apis.contains(api) { apis.append(api) }
        }
        guard apis.count == 1, let api = apis.first else { throw EntraError.multipleResources(scope) }
        let roles = client.registration.appRoles.first { registrations.api(forResource: $0.key) == api }?.value ?? []
        let access = try issuer(request).accessToken(
            for: .application(roles: roles),
            api: api,
            client: client.registration,
            authenticationLevel: client.authenticationLevel,
            key: try await keys.current(),
            now: now()
        )
        return Self.tokenJSON([
            "token_type": "Bearer", "expires_in": .number(Double(access.expiresIn)), "ext_expires_in": .number(Double(access.expiresIn)),
            "access_token": .string(access.token),
        ])
    }

    static func tokenJSON(_ body: [String: JSONValue]) -> Response {
        var response = json(Data(JSONValue.object(body).serialized()))
        response.headers[.cacheControl] = "no-store"
        response.headers[HTTPField.Name("Pragma")!] = "no-cache"
        return response
    }

    /// Microsoft Graph, the resource of a token requested with OpenID scopes only (as Entra).
    static let graph = APIRegistration(
        clientID: "00000003-0000-0000-c000-000000000000",
        name: "Microsoft Graph",
        appIDURI: "https://graph.microsoft.com",
        scopes: ["User.Read"],
        appRoles: []
    )
}
