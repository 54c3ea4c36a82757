import Crypto
import Foundation
import JOSE
import OIDCCore

/// Signing keys made once for all tests (RSA key generation is slow).
public enum TestKeys {
    public static let primary = try! RSASigningKey(generatingBits: 2048, keyID: "key-1")
    public static let rotated = try! RSASigningKey(generatingBits: 2048, keyID: "key-2")
    public static let attacker = try! RSASigningKey(generatingBits: 2048, keyID: "key-1")
}

/// Entra-shaped tokens.
public enum TestTokens {
    /// The claims of a v2 delegated access token for the Heroes API, valid at `now`.
    public static func v2Claims(now: Date, issuerHost: String = "https://login.microsoftonline.com") -> [String: JSONValue] {
        let issuedAt = now.timeIntervalSince1970.rounded(.down)
        return [
            "aud": .string(FakeAuthority.apiClientID),
            "iss": .string(EntraAuthority(host: issuerHost, tenantID: FakeAuthority.tenantID).issuer),
            "iat": .number(issuedAt), "nbf": .number(issuedAt), "exp": .number(issuedAt + 3600),
            "azp": .string(FakeAuthority.clientAppID), "azpacr": "1",
            "name": "Demo Hero", "oid": "00000000-0000-0000-0000-0000000000aa",
            "preferred_username": "hero@localentra.dev", "sub": "pairwise-subject",
            "tid": .string(FakeAuthority.tenantID), "ver": "2.0",
            "scp": "Heroes.Read Heroes.Write",
        ]
    }

    /// Signs claims with `key`, after applying `change`.
    public static func sign(
        _ claims: [String: JSONValue],
        key: RSASigningKey = TestKeys.primary,
        header: [String: JSONValue] = [:],
        change: (inout [String: JSONValue]) -> Void = { _ in }
    ) -> String {
        var claims = claims
        change(&claims)
        return try! key.sign(payload: JSONValue.object(claims).serialized(), header: header)
    }

    /// A token assembled by hand from a header and claims, with the given signature bytes.
    public static func raw(header: [String: JSONValue], claims: [String: JSONValue], signature: (Data) -> [UInt8]) -> String {
        let input = Base64URL.encode(JSONValue.object(header).serialized()) + "." + Base64URL.encode(JSONValue.object(claims).serialized())
        return input + "." + Base64URL.encode(signature(Data(input.utf8)))
    }
}
