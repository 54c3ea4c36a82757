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
                    clientID: client.clientID,
                    redirectURI: form["redirect_uri"],
                    verifier: form["code_verifier"],
                    now: now()
                )
                return try await tokenResponse(for: grant, client: client, request: request, clientInfo: clientInfo)
            case "refresh_token":
                let grant = try await refreshTokens.redeem(form["refresh_token"] ?? "", clientID: client.clientID, now: now())
                return try await tokenResponse(for: grant, client: client, request: request, clientInfo: clientInfo)
            case "client_credentials":
                return try await clientCredentials(scope: form["scope"] ?? "", client: client, request: request)
            case "password":
                let grant = try resourceOwnerPassword(form, client: client)
                return try await tokenResponse(for: grant, client: client, request: request, clientInfo: clientInfo)
            case "urn:ietf:params:oauth:grant-type:device_code":
                let grant = try await devices.poll(deviceCode: form["device_code"] ?? "", clientID: client.clientID, now: now())
                return try await tokenResponse(for: grant, client: client, request: request, clientInfo: clientInfo)
            default:
                throw EntraError.unsupportedGrantType(grantType)
            }
        }
    }

    /// The client, authenticated by `client_secret` in the body or HTTP Basic (not both).
    /// A client registered with a secret must present it; a public client presents none.
    func authenticateClient(_ form: [String: String], request: Request) throws(EntraError) -> ClientRegistration {
        var clientID = form["client_id"]
        var secret = form["client_secret"]
        if let basic = request.headers[.authorization], basic.lowercased().hasPrefix("basic ") {
            guard secret == nil else { throw .invalidRequest("Send the client secret either in the body or with HTTP Basic, not both.") }
            // RFC 6749 §2.3.1: both parts are form-encoded before Base64.
            guard let decoded = Data(base64Encoded: String(basic.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
                let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":"),
                let id = FormEncoding.decodeComponent(text[..<colon]),
                let password = FormEncoding.decodeComponent(text[text.index(after: colon)...])
            else { throw .invalidRequest("The Basic authorization header is malformed.") }
            guard clientID == nil || clientID == id else { throw .invalidRequest("The client_id does not match the Basic credentials.") }
            clientID = id
            secret = password
        }
        guard let clientID, let client = registrations.client(clientID) else { throw .applicationNotFound(clientID ?? "") }
        if let expected = client.secret {
            guard let secret, Secrets.equal(secret, expected) else { throw .invalidClientSecret }
        }
        return client
    }

    /// Tokens for a user's grant: access token, ID token with `openid`, refresh token (rotated:
    /// a new one replaces the one just used) with `offline_access`, and `client_info` when asked.
    func tokenResponse(for grant: Grant, client: ClientRegistration, request: Request, clientInfo: Bool) async throws -> Response {
        guard let user = registrations.user(objectID: grant.userObjectID) else { throw EntraError.invalidGrant }
        let scopes = try RequestedScopes.parse(grant.scope, registrations: registrations)
        let key = try await keys.current()
        let issuer = issuer(request)
        let now = now()
        var body: [String: JSONValue] = ["token_type": "Bearer", "scope": .string(scopes.responseScope)]
        let access = try issuer.accessToken(
            for: .user(user, scopes: scopes.api == nil ? scopes.oidc : scopes.apiScopes),
            api: scopes.api ?? Self.graph,
            client: client,
            key: key,
            now: now
        )
        body["access_token"] = .string(access.token)
        body["expires_in"] = .number(Double(access.expiresIn))
        body["ext_expires_in"] = .number(Double(access.expiresIn))
        if scopes.openID {
            body["id_token"] = .string(try issuer.idToken(for: user, client: client, nonce: grant.nonce, key: key, now: now))
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

    /// Client credentials: only `{App ID URI}/.default`; the client's app roles go in `roles`.
    func clientCredentials(scope: String, client: ClientRegistration, request: Request) async throws -> Response {
        guard client.secret != nil, scope.hasSuffix("/.default"),
            let api = registrations.api(forResource: String(scope.dropLast("/.default".count)))
        else { throw EntraError.invalidScope(scope) }
        let roles = client.appRoles.first { registrations.api(forResource: $0.key) == api }?.value ?? []
        let access = try issuer(request).accessToken(
            for: .application(roles: roles),
            api: api,
            client: client,
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
