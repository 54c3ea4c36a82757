/// The JWS algorithms this module verifies (RFC 7518 §3.1, RFC 8037 §3.1).
///
/// There is deliberately no `none` and no HMAC case: a resource server or relying
/// party verifying with public keys has no use for them (RFC 8725 §3.1, §2.1).
public enum JWSAlgorithm: String, CaseIterable, Hashable, Sendable {
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    case rs256 = "RS256"
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    case rs384 = "RS384"
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    case rs512 = "RS512"
    /// RSASSA-PSS with SHA-256 and MGF1-SHA-256.
    case ps256 = "PS256"
    /// RSASSA-PSS with SHA-384 and MGF1-SHA-384.
    case ps384 = "PS384"
    /// RSASSA-PSS with SHA-512 and MGF1-SHA-512.
    case ps512 = "PS512"
    /// ECDSA on P-256 with SHA-256.
    case es256 = "ES256"
    /// ECDSA on P-384 with SHA-384.
    case es384 = "ES384"
    /// ECDSA on P-521 with SHA-512.
    case es512 = "ES512"
    /// Ed25519 (RFC 8037).
    case edDSA = "EdDSA"

    /// The key family an algorithm needs.
    public var keyType: JWKKeyType {
        switch self {
        case .rs256, .rs384, .rs512, .ps256, .ps384, .ps512: .rsa
        case .es256, .es384, .es512: .ec
        case .edDSA: .okp
        }
    }

    /// The curve an elliptic-curve algorithm is bound to (RFC 7518 §3.4, RFC 8037 §3.1).
    public var curve: JWKCurve? {
        switch self {
        case .es256: .p256
        case .es384: .p384
        case .es512: .p521
        case .edDSA: .ed25519
        default: nil
        }
    }

    /// Every RSA and ECDSA algorithm: a reasonable allow-list for asymmetric verification.
    public static let allAsymmetric: Set<JWSAlgorithm> = Set(allCases)

    /// Parses a header `alg`, distinguishing "none" and "unknown" for precise errors.
    static func parse(headerValue: String) throws(JOSEError) -> JWSAlgorithm {
        // A plain search: algorithm names are small strings, compared without allocating,
        // and this skips the generic string-switch machinery of `init(rawValue:)`.
        if let algorithm = allCases.first(where: { $0.rawValue == headerValue }) { return algorithm }
        // RFC 8725 §3.1: "none" must be refused whatever its capitalisation.
        if headerValue.lowercased() == "none" { throw .unsecuredTokenRejected }
        throw .unsupportedAlgorithm
    }
}

extension JWSAlgorithm {
    /// A set of algorithms as bits, for the checks made on every token (membership in a
    /// `Swift.Set` hashes the name each time).
    struct BitSet: Sendable, Equatable {
        private var bits: UInt16 = 0

        init(_ algorithms: some Sequence<JWSAlgorithm>) {
            for algorithm in algorithms { bits |= Self.bit(algorithm) }
        }

        func contains(_ algorithm: JWSAlgorithm) -> Bool {
            bits & Self.bit(algorithm) != 0
        }

        private static func bit(_ algorithm: JWSAlgorithm) -> UInt16 {
            switch algorithm {
            case .rs256: 1 << 0
            case .rs384: 1 << 1
            case .rs512: 1 << 2
            case .ps256: 1 << 3
            case .ps384: 1 << 4
            case .ps512: 1 << 5
            case .es256: 1 << 6
            case .es384: 1 << 7
            case .es512: 1 << 8
            case .edDSA: 1 << 9
            }
        }
    }
}

/// The `kty` values we can verify with.
public enum JWKKeyType: String, Hashable, Sendable {
    /// RSA (RFC 7518 §6.3).
    case rsa = "RSA"
    /// Elliptic curve (RFC 7518 §6.2).
    case ec = "EC"
    /// Octet key pair (RFC 8037), for Ed25519.
    case okp = "OKP"
}

/// The `crv` values we can verify with.
public enum JWKCurve: String, Hashable, Sendable {
    /// NIST P-256.
    case p256 = "P-256"
    /// NIST P-384.
    case p384 = "P-384"
    /// NIST P-521.
    case p521 = "P-521"
    /// Edwards curve 25519 for signatures.
    case ed25519 = "Ed25519"

    /// Bytes in one coordinate (and in each of R and S of a JWS signature, RFC 7518 §3.4).
    var coordinateByteCount: Int {
        switch self {
        case .p256: 32
        case .p384: 48
        case .p521: 66
        case .ed25519: 32
        }
    }
}
