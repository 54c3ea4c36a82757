/// Why a JSON Web Key (or an entry of a JWK Set) was refused.
public enum JWKProblem: Hashable, Sendable {
    /// The document is not a JWK Set: a JSON object with a `keys` array (RFC 7517 §5).
    case notAKeySet
    /// The JWK is not a JSON object, or is not valid JSON.
    case notAnObject
    /// `kty` is missing or not one we verify with (e.g. `oct`: we have no HMAC).
    case unsupportedKeyType
    /// `crv` is missing or not P-256, P-384, P-521 (EC) or Ed25519 (OKP).
    case unsupportedCurve
    /// A required member is missing (RFC 7518 §6).
    case missingMember(String)
    /// A member has the wrong type or encoding.
    case invalidMember(String)
    /// The RSA modulus is shorter than 2048 bits (RFC 7518 §3.3).
    case rsaKeyTooSmall(bits: Int)
    /// swift-crypto refused the key (e.g. the EC point is not on the curve).
    case invalidPublicKey
    /// The JWK carries private key material; a verification key set must not.
    case containsPrivateKey
}

extension JWKProblem: CustomStringConvertible {
    /// A message without key material.
    public var description: String {
        switch self {
        case .notAKeySet: "not a JWK Set"
        case .notAnObject: "not a JSON object"
        case .unsupportedKeyType: "unsupported key type"
        case .unsupportedCurve: "unsupported curve"
        case .missingMember(let name): "missing member \(name)"
        case .invalidMember(let name): "invalid member \(name)"
        case .rsaKeyTooSmall(let bits): "RSA key of \(bits) bits is smaller than 2048 bits"
        case .invalidPublicKey: "invalid public key"
        case .containsPrivateKey: "contains private key material"
        }
    }
}
