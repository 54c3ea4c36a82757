#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A private key that produces compact JWS tokens (used by the local token issuer).
public protocol JWSSigningKey: Sendable {
    /// The algorithm every signature of this key uses; it is written to `alg`.
    var algorithm: JWSAlgorithm { get }
    /// The `kid` written to each header and to the public JWK.
    var keyID: String? { get }
    /// The public half, as a JWK with `kid`, `use: "sig"` and `alg`.
    var publicJWK: JWK { get }
    /// Signs the JWS signing input (ASCII `header.payload`) and returns the JWS signature octets.
    func signature(forSigningInput signingInput: some DataProtocol) throws(JOSEError) -> [UInt8]
}

extension JWSSigningKey {
    /// Signs `payload` as a compact JWS; `alg` and `kid` come from the key, `typ` from `type`.
    public func sign(
        payload: some DataProtocol,
        header: [String: JSONValue] = [:],
        type: String? = "JWT"
    ) throws(JOSEError) -> String {
        var members = header
        // The key decides the algorithm: a caller-supplied header cannot make it lie.
        members["alg"] = .string(algorithm.rawValue)
        if let keyID { members["kid"] = .string(keyID) }
        if let type { members["typ"] = .string(type) }
        var signingInput = Array(Base64URL.encode(JSONValue.object(members).serialized()).utf8)
        signingInput.append(UInt8(ascii: "."))
        signingInput.append(contentsOf: Base64URL.encode(payload).utf8)
        let signature = try self.signature(forSigningInput: signingInput)
        return String(decoding: signingInput, as: UTF8.self) + "." + Base64URL.encode(signature)
    }

    /// Signs a claims set as a JWT (RFC 7519 §7.1).
    public func sign(
        claims: JWTClaims,
        header: [String: JSONValue] = [:],
        type: String? = "JWT"
    ) throws(JOSEError) -> String {
        try sign(payload: claims.json, header: header, type: type)
    }

    /// The public key wrapped in a one-key JWK Set, ready to publish.
    public var publicJWKSet: JWKSet {
        JWKSet(keys: [publicJWK])
    }
}

extension JWKSet {
    /// A JWK Set of the public halves of signing keys (e.g. a local issuer's `jwks_uri`).
    public init(publicKeysOf signingKeys: [any JWSSigningKey]) {
        self.init(keys: signingKeys.map(\.publicJWK))
    }
}
