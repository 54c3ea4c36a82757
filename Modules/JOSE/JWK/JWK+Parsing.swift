import Crypto
import CryptoExtras

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension JWK {
    /// Parses one public JWK from JSON text.
    public init(jsonData: some DataProtocol) throws(JOSEError) {
        let members: [String: JSONValue]
        do {
            members = try JSONParser.parseObject([UInt8](jsonData))
        } catch {
            throw .invalidKey(.notAnObject)
        }
        try self.init(members: members)
    }

    /// Builds a JWK from an already parsed JSON object (e.g. one entry of a JWK Set).
    public init(members: [String: JSONValue]) throws(JOSEError) {
        try self.init(validating: members)
    }

    private init(validating members: [String: JSONValue]) throws(JOSEError) {
        guard let kty = members["kty"]?.stringValue, let keyType = JWKKeyType(rawValue: kty) else {
            throw .invalidKey(.unsupportedKeyType)
        }
        // A verification key set has no business carrying private parts (RFC 7518 §6.2.2, §6.3.2).
        for privateMember in ["d", "p", "q", "dp", "dq", "qi", "oth", "k"] where members[privateMember] != nil {
            throw .invalidKey(.containsPrivateKey)
        }
        let keyID = try Self.optionalString(members, "kid")
        let use = try Self.optionalString(members, "use")
        let algorithm = try Self.optionalString(members, "alg")
        let keyOperations = try Self.keyOperations(members)

        let curve: JWKCurve?
        let publicKey: PublicKey
        var parameters: [String: String] = [:]
        switch keyType {
        case .rsa:
            let (nText, n) = try Self.base64Member(members, "n")
            let (eText, e) = try Self.base64Member(members, "e")
            let modulus = n.drop { $0 == 0 }
            let exponent = e.drop { $0 == 0 }
            guard !modulus.isEmpty, !exponent.isEmpty else { throw .invalidKey(.invalidPublicKey) }
            let bits = (modulus.count - 1) * 8 + (8 - modulus.first!.leadingZeroBitCount)
            // RFC 7518 §3.3: "A key of size 2048 bits or larger MUST be used".
            guard bits >= 2048 else { throw .invalidKey(.rsaKeyTooSmall(bits: bits)) }
            guard let key = try? _RSA.Signing.PublicKey(n: Array(modulus), e: Array(exponent)) else {
                throw .invalidKey(.invalidPublicKey)
            }
            curve = nil
            publicKey = .rsa(key)
            parameters = ["n": nText, "e": eText]
        case .ec:
            guard let crv = members["crv"]?.stringValue, let ecCurve = JWKCurve(rawValue: crv),
                ecCurve != .ed25519
            else { throw .invalidKey(.unsupportedCurve) }
            let (xText, x) = try Self.base64Member(members, "x")
            let (yText, y) = try Self.base64Member(members, "y")
            // RFC 7518 §6.2.1.2/3: coordinates are full length, never shortened.
            guard x.count == ecCurve.coordinateByteCount else { throw .invalidKey(.invalidMember("x")) }
            guard y.count == ecCurve.coordinateByteCount else { throw .invalidKey(.invalidMember("y")) }
            let point = [0x04] + x + y
            // swift-crypto rejects points that are not on the curve.
            do {
                switch ecCurve {
                case .p256: publicKey = .p256(try P256.Signing.PublicKey(x963Representation: point))
                case .p384: publicKey = .p384(try P384.Signing.PublicKey(x963Representation: point))
                default: publicKey = .p521(try P521.Signing.PublicKey(x963Representation: point))
                }
            } catch {
                throw .invalidKey(.invalidPublicKey)
            }
            curve = ecCurve
            parameters = ["crv": crv, "x": xText, "y": yText]
        case .okp:
            guard members["crv"]?.stringValue == JWKCurve.ed25519.rawValue else { throw .invalidKey(.unsupportedCurve) }
            let (xText, x) = try Self.base64Member(members, "x")
            guard x.count == 32, let key = try? Curve25519.Signing.PublicKey(rawRepresentation: x) else {
                throw .invalidKey(.invalidMember("x"))
            }
            curve = .ed25519
            publicKey = .ed25519(key)
            parameters = ["crv": JWKCurve.ed25519.rawValue, "x": xText]
        }
        self.init(
            Storage(
                keyType: keyType,
                curve: curve,
                keyID: keyID,
                use: use,
                keyOperations: keyOperations,
                algorithm: algorithm,
                publicKey: publicKey,
                parameters: parameters
            )
        )
    }

    private static func optionalString(_ members: [String: JSONValue], _ name: String) throws(JOSEError) -> String? {
        guard let value = members[name] else { return nil }
        guard case .string(let string) = value else { throw .invalidKey(.invalidMember(name)) }
        return string
    }

    private static func keyOperations(_ members: [String: JSONValue]) throws(JOSEError) -> [String]? {
        guard let value = members["key_ops"] else { return nil }
        guard case .array(let elements) = value else { throw .invalidKey(.invalidMember("key_ops")) }
        var operations: [String] = []
        for element in elements {
            // RFC 7517 §4.3: strings, and no value may appear twice.
            guard case .string(let operation) = element, !operations.contains(operation) else {
                throw .invalidKey(.invalidMember("key_ops"))
            }
            operations.append(operation)
        }
        return operations
    }

    private static func base64Member(
        _ members: [String: JSONValue],
        _ name: String
    ) throws(JOSEError) -> (text: String, bytes: [UInt8]) {
        guard let value = members[name] else { throw .invalidKey(.missingMember(name)) }
        guard case .string(let text) = value, let bytes = Base64URL.decode(text) else {
            throw .invalidKey(.invalidMember(name))
        }
        return (text, bytes)
    }
}
