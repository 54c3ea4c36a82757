import Foundation
import JOSE

extension TokenIssuer {
    /// An app-only v1 access token of a managed identity for `resource` (its `aud`), as Entra
    /// issues them through App Service's endpoint; returns it and when it expires.
    public func managedIdentityToken(
        resource: String,
        clientID: String,
        objectID: String,
        key: RSASigningKey,
        now: Date
    ) throws(JOSEError) -> (token: String, expiresOn: Date) {
        let issuedAt = now.timeIntervalSince1970.rounded(.down)
        let expiresOn = issuedAt + Double(Int.random(in: accessTokenLifetime))
        let claims: [String: JSONValue] = [
            "aud": .string(resource),
            "iss": .string(v1Issuer),
            "iat": .number(issuedAt), "nbf": .number(issuedAt), "exp": .number(expiresOn),
            "aio": .string(Base64URL.random(byteCount: 24)),
            "appid": .string(clientID),
            // 2: the identity authenticated with a certificate, as managed identities do.
            "appidacr": "2",
            "idtyp": "app",
            "oid": .string(objectID),
            "rh": .string(Base64URL.random(byteCount: 24)),
            "sub": .string(objectID),
            "tid": .string(tenantID),
            "uti": .string(Base64URL.random(byteCount: 16)),
            "ver": "1.0",
        ]
        let token = try key.sign(payload: JSONValue.object(claims).serialized(), header: ["x5t": .string(key.keyID ?? "")])
        return (token, Date(timeIntervalSince1970: expiresOn))
    }
}
