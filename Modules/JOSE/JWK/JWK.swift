import Crypto
import CryptoExtras

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A public JSON Web Key (RFC 7517) made ready for verification.
///
/// The swift-crypto public key is built once, when the JWK is parsed (usually at
/// JWKS load time), so verifying a token never re-parses or re-validates the key.
public struct JWK: Sendable {
    /// The key family (`kty`).
    public var keyType: JWKKeyType { storage.keyType }
    /// The curve (`crv`) for EC and OKP keys.
    public var curve: JWKCurve? { storage.curve }
    /// The key identifier (`kid`): an opaque string, only ever compared for equality.
    public var keyID: String? { storage.keyID }
    /// The intended use (`use`), if stated (RFC 7517 §4.2).
    public var use: String? { storage.use }
    /// The permitted operations (`key_ops`), if stated (RFC 7517 §4.3).
    public var keyOperations: [String]? { storage.keyOperations }
    /// The one algorithm this key is meant for (`alg`), if stated (RFC 7517 §4.4).
    public var algorithm: String? { storage.algorithm }
    /// The public key, ready to verify.
    var publicKey: PublicKey { storage.publicKey }
    /// The base64url public parameters as they define the key (n, e / crv, x, y).
    var parameters: [String: String] { storage.parameters }

    /// Everything, in one immutable object: a key is copied on every verification (into
    /// its result), and one reference is cheaper to copy and release than seven.
    private let storage: Storage

    final class Storage: Sendable {
        let keyType: JWKKeyType
        let curve: JWKCurve?
        let keyID: String?
        let use: String?
        let keyOperations: [String]?
        let algorithm: String?
        let publicKey: PublicKey
        let parameters: [String: String]
        /// The RFC 7638 thumbprint, computed once: caches compare keys by it on every request.
        let thumbprint: String
        /// The algorithms `use`, `key_ops` and `alg` allow, worked out once (see ``JWK/permits(_:)``).
        let permittedAlgorithms: JWSAlgorithm.BitSet

        init(
            keyType: JWKKeyType,
            curve: JWKCurve?,
            keyID: String?,
            use: String?,
            keyOperations: [String]?,
            algorithm: String?,
            publicKey: PublicKey,
            parameters: [String: String]
        ) {
            self.keyType = keyType
            self.curve = curve
            self.keyID = keyID
            self.use = use
            self.keyOperations = keyOperations
            self.algorithm = algorithm
            self.publicKey = publicKey
            self.parameters = parameters
            // RFC 7638 §3.2: only the required members, sorted, no whitespace.
            var members: [String: JSONValue] = ["kty": .string(keyType.rawValue)]
            for (name, value) in parameters { members[name] = .string(value) }
            self.thumbprint = Base64URL.encode(SHA256.hash(data: JSONValue.object(members).serialized()))
            self.permittedAlgorithms = JWSAlgorithm.BitSet(
                JWSAlgorithm.allCases.filter { candidate in
                    Self.permits(candidate, keyType: keyType, curve: curve, use: use, keyOperations: keyOperations, algorithm: algorithm)
                }
            )
        }

        /// The rule behind ``JWK/permits(_:)``, applied once per algorithm when the key is made.
        private static func permits(
            _ candidate: JWSAlgorithm,
            keyType: JWKKeyType,
            curve: JWKCurve?,
            use: String?,
            keyOperations: [String]?,
            algorithm: String?
        ) -> Bool {
            guard keyType == candidate.keyType else { return false }
            if let requiredCurve = candidate.curve, curve != requiredCurve { return false }
            // RFC 7517 §4.2: "sig" is the only use that covers verifying signatures.
            if let use, use != "sig" { return false }
            // RFC 7517 §4.3: "verify" is the operation a public key performs here.
            if let keyOperations, !keyOperations.contains("verify") { return false }
            // RFC 7517 §4.4: a key stating its algorithm is not used with another.
            if let algorithm, algorithm != candidate.rawValue { return false }
            return true
        }
    }

    init(_ storage: Storage) {
        self.storage = storage
    }

    /// A swift-crypto public key of one of the supported kinds.
    enum PublicKey: Sendable {
        case rsa(_RSA.Signing.PublicKey)
        case p256(P256.Signing.PublicKey)
        case p384(P384.Signing.PublicKey)
        case p521(P521.Signing.PublicKey)
        case ed25519(Curve25519.Signing.PublicKey)
    }

    /// The RSA modulus size in bits, for RSA keys.
    public var rsaModulusBits: Int? {
        if case .rsa(let key) = publicKey { return key.keySizeInBits }
        return nil
    }

    /// Whether this key may verify a token signed with `algorithm`.
    ///
    /// The key type and curve must match the algorithm (RFC 8725 §3.1: never use a key
    /// with an algorithm it was not made for), and `use`, `key_ops` and `alg`, when
    /// present, must allow signature verification with exactly this algorithm.
    public func permits(_ algorithm: JWSAlgorithm) -> Bool {
        storage.permittedAlgorithms.contains(algorithm)
    }

    /// The RFC 7638 JWK thumbprint (SHA-256, base64url).
    public func thumbprint() -> String {
        storage.thumbprint
    }

    /// The thumbprint as an RFC 9278 URI.
    public func thumbprintURI() -> String {
        "urn:ietf:params:oauth:jwk-thumbprint:sha-256:" + thumbprint()
    }

    /// The public JWK as a JSON object.
    public var jsonValue: JSONValue {
        var members: [String: JSONValue] = ["kty": .string(keyType.rawValue)]
        for (name, value) in parameters { members[name] = .string(value) }
        if let keyID { members["kid"] = .string(keyID) }
        if let use { members["use"] = .string(use) }
        if let keyOperations { members["key_ops"] = .array(keyOperations.map { .string($0) }) }
        if let algorithm { members["alg"] = .string(algorithm) }
        return .object(members)
    }

    /// The public JWK as JSON text.
    public func jsonData() -> Data {
        Data(jsonValue.serialized())
    }
}

extension JWK {
    /// Makes a JWK from a swift-crypto RSA public key (2048 bits or more).
    public init(
        rsa key: _RSA.Signing.PublicKey,
        keyID: String?,
        use: String? = "sig",
        keyOperations: [String]? = nil,
        algorithm: JWSAlgorithm? = nil
    ) throws(JOSEError) {
        guard key.keySizeInBits >= 2048 else { throw .invalidKey(.rsaKeyTooSmall(bits: key.keySizeInBits)) }
        guard let primitives = try? key.getKeyPrimitives() else { throw .invalidKey(.invalidPublicKey) }
        // RFC 7518 §6.3.1: minimal big-endian octets, no leading zero.
        self.init(
            Storage(
                keyType: .rsa,
                curve: nil,
                keyID: keyID,
                use: use,
                keyOperations: keyOperations,
                algorithm: algorithm?.rawValue,
                publicKey: .rsa(key),
                parameters: [
                    "n": Base64URL.encode(primitives.modulus.drop { $0 == 0 }),
                    "e": Base64URL.encode(primitives.publicExponent.drop { $0 == 0 }),
                ]
            )
        )
    }

    /// Makes a JWK from a swift-crypto P-256 public key.
    public init(
        p256 key: P256.Signing.PublicKey,
        keyID: String?,
        use: String? = "sig",
        keyOperations: [String]? = nil,
        algorithm: JWSAlgorithm? = .es256
    ) {
        self.init(
            ecPoint: key.x963Representation,
            curve: .p256,
            publicKey: .p256(key),
            keyID: keyID,
            use: use,
            keyOperations: keyOperations,
            algorithm: algorithm
        )
    }

    /// Makes a JWK from a swift-crypto Ed25519 public key (RFC 8037 §2).
    public init(
        ed25519 key: Curve25519.Signing.PublicKey,
        keyID: String?,
        use: String? = "sig",
        keyOperations: [String]? = nil,
        algorithm: JWSAlgorithm? = .edDSA
    ) {
        self.init(
            Storage(
                keyType: .okp,
                curve: .ed25519,
                keyID: keyID,
                use: use,
                keyOperations: keyOperations,
                algorithm: algorithm?.rawValue,
                publicKey: .ed25519(key),
                parameters: ["crv": JWKCurve.ed25519.rawValue, "x": Base64URL.encode(key.rawRepresentation)]
            )
        )
    }

    private init(
        ecPoint x963: Data,
        curve: JWKCurve,
        publicKey: PublicKey,
        keyID: String?,
        use: String?,
        keyOperations: [String]?,
        algorithm: JWSAlgorithm?
    ) {
        // X9.63 uncompressed form: 0x04 || X || Y, each coordinate full length (RFC 7518 §6.2.1.2).
        let size = curve.coordinateByteCount
        let bytes = [UInt8](x963)
        self.init(
            Storage(
                keyType: .ec,
                curve: curve,
                keyID: keyID,
                use: use,
                keyOperations: keyOperations,
                algorithm: algorithm?.rawValue,
                publicKey: publicKey,
                parameters: [
                    "crv": curve.rawValue,
                    "x": Base64URL.encode(bytes[1..<1 + size]),
                    "y": Base64URL.encode(bytes[1 + size..<1 + 2 * size]),
                ]
            )
        )
    }
}
