import Crypto
import Foundation
import JOSE
import OIDCCore

/// Who a token is about: a signed-in user with delegated scopes, or an application alone.
public enum TokenSubject: Hashable, Sendable {
    /// A user, with the delegated scopes granted (short names, e.g. `Heroes.Read`).
    case user(UserAccount, scopes: [String])
    /// An application (client credentials), with its app roles.
    case application(roles: [String])
}

/// Mints Entra-shaped tokens: v2 or v1 access tokens (as the API's registration asks) and
/// v2 ID tokens, with Entra's claim set, signed RS256 by the current key.
public struct TokenIssuer: Sendable {
    /// The authority's base URL, e.g. `http://127.0.0.1:9000`.
    public let authority: String
    /// The tenant.
    public let tenantID: String
    /// Access-token lifetimes to draw from, in seconds (Entra: a random 60 to 90 minutes).
    public let accessTokenLifetime: ClosedRange<Int>

    /// Creates an issuer.
    public init(authority: String, tenantID: String, accessTokenLifetime: ClosedRange<Int> = 3600...5400) {
        self.authority = authority
        self.tenantID = tenantID
        self.accessTokenLifetime = accessTokenLifetime
    }

    /// This authority and tenant, as Entra spells their addresses.
    public var entraAuthority: EntraAuthority { EntraAuthority(host: authority, tenantID: tenantID) }
    /// The v2 issuer, `{authority}/{tenant}/v2.0`.
    public var issuer: String { entraAuthority.issuer }
    /// The v1 issuer. Entra's is `https://sts.windows.net/{tenant}/`; locally the same shape
    /// under our own host, which hero-server accepts for a loopback authority.
    public var v1Issuer: String { "\(entraAuthority.tenantBase)/" }

    /// An access token for `api`, requested by `client`, which authenticated with a secret
    /// (`authenticationLevel` 1), a certificate (2) or nothing (0, a public client); returns
    /// it and its lifetime.
    public func accessToken(
        for subject: TokenSubject,
        api: APIRegistration,
        client: ClientRegistration,
        authenticationLevel: Int = 1,
        key: RSASigningKey,
        now: Date
    ) throws(JOSEError) -> (token: String, expiresIn: Int) {
        let lifetime = Int.random(in: accessTokenLifetime)
        let issuedAt = now.timeIntervalSince1970.rounded(.down)
        let v1 = api.accessTokenAcceptedVersion == 1
        var claims: [String: JSONValue] = [
            // v1 tokens carry the App ID URI, v2 tokens the API's client id (entra.md).
            "aud": .string(v1 ? api.appIDURI : api.clientID),
            "iss": .string(v1 ? v1Issuer : issuer),
            "iat": .number(issuedAt), "nbf": .number(issuedAt), "exp": .number(issuedAt + Double(lifetime)),
            "aio": .string(Base64URL.random(byteCount: 24)),
            "rh": .string(Base64URL.random(byteCount: 24)),
            "tid": .string(tenantID),
            "uti": .string(Base64URL.random(byteCount: 16)),
            "ver": v1 ? "1.0" : "2.0",
        ]
        if v1 {
            claims["appid"] = .string(client.clientID)
            claims["appidacr"] = .string(String(authenticationLevel))
        } else {
            claims["azp"] = .string(client.clientID)
            claims["azpacr"] = .string(String(authenticationLevel))
        }
        switch subject {
        case .user(let user, let scopes):
            claims["name"] = .string(user.displayName)
            claims["oid"] = .string(user.objectID)
            claims["scp"] = .string(scopes.joined(separator: " "))
            // Pairwise: one user has a different `sub` for each API.
            claims["sub"] = .string(Self.pairwiseSubject(user.objectID, api.clientID))
            claims[v1 ? "unique_name" : "preferred_username"] = .string(user.username)
        case .application(let roles):
            let servicePrincipal = Self.servicePrincipalID(client.clientID)
            claims["oid"] = .string(servicePrincipal)
            claims["sub"] = .string(servicePrincipal)
            claims["roles"] = .array(roles.map { .string($0) })
            claims["idtyp"] = "app"
        }
        let token = try key.sign(payload: JSONValue.object(claims).serialized(), header: ["x5t": .string(key.keyID ?? "")])
        return (token, lifetime)
    }

    /// A v2 ID token for `user` signing in to `client`.
    public func idToken(
        for user: UserAccount,
        client: ClientRegistration,
        nonce: String?,
        key: RSASigningKey,
        now: Date
    ) throws(JOSEError) -> String {
        let issuedAt = now.timeIntervalSince1970.rounded(.down)
        var claims: [String: JSONValue] = [
            "aud": .string(client.clientID),
            "iss": .string(issuer),
            "iat": .number(issuedAt), "nbf": .number(issuedAt), "exp": .number(issuedAt + 3600),
            "aio": .string(Base64URL.random(byteCount: 24)),
            "name": .string(user.displayName),
            "oid": .string(user.objectID),
            "preferred_username": .string(user.username),
            "rh": .string(Base64URL.random(byteCount: 24)),
            "sub": .string(Self.pairwiseSubject(user.objectID, client.clientID)),
            "tid": .string(tenantID),
            "uti": .string(Base64URL.random(byteCount: 16)),
            "ver": "2.0",
        ]
        if let nonce { claims["nonce"] = .string(nonce) }
        return try key.sign(payload: JSONValue.object(claims).serialized(), header: ["x5t": .string(key.keyID ?? "")])
    }

    /// Entra's pairwise `sub`: stable for one user and one application, different across them.
    static func pairwiseSubject(_ objectID: String, _ applicationID: String) -> String {
        Base64URL.encode(SHA256.hash(data: Data("\(objectID)|\(applicationID)".utf8)).prefix(32))
    }

    /// A stable object id for a client's service principal, derived from its client id.
    static func servicePrincipalID(_ clientID: String) -> String {
        var bytes = Array(SHA256.hash(data: Data("service-principal|\(clientID)".utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let uuid = UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            )
        )
        return uuid.uuidString.lowercased()
    }

}
