import Crypto
import CryptoExtras

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An RSA private key (2048 bits or more) signing with RS256/384/512 or PS256/384/512.
public struct RSASigningKey: JWSSigningKey {
    /// The swift-crypto private key.
    public let privateKey: _RSA.Signing.PrivateKey
    /// The algorithm written to `alg` (RS256 by default, as Entra).
    public let algorithm: JWSAlgorithm
    /// The `kid`.
    public let keyID: String?
    /// The public JWK, built once.
    public let publicJWK: JWK

    /// Generates a new key of `bits` bits (at least 2048, RFC 7518 §3.3).
    public init(generatingBits bits: Int = 2048, keyID: String?, algorithm: JWSAlgorithm = .rs256) throws(JOSEError) {
        guard bits >= 2048, let key = try? _RSA.Signing.PrivateKey(keySize: .init(bitCount: bits)) else {
            throw .signingFailed
        }
        try self.init(privateKey: key, keyID: keyID, algorithm: algorithm)
    }

    /// Loads a PEM key (PKCS#1 or PKCS#8).
    public init(pemRepresentation pem: String, keyID: String?, algorithm: JWSAlgorithm = .rs256) throws(JOSEError) {
        guard let key = try? _RSA.Signing.PrivateKey(pemRepresentation: pem) else { throw .signingFailed }
        try self.init(privateKey: key, keyID: keyID, algorithm: algorithm)
    }

    /// Loads a DER key (PKCS#1 or PKCS#8).
    public init(derRepresentation der: some DataProtocol, keyID: String?, algorithm: JWSAlgorithm = .rs256) throws(JOSEError) {
        guard let key = try? _RSA.Signing.PrivateKey(derRepresentation: der) else { throw .signingFailed }
        try self.init(privateKey: key, keyID: keyID, algorithm: algorithm)
    }

    /// Wraps an existing swift-crypto key.
    public init(privateKey: _RSA.Signing.PrivateKey, keyID: String?, algorithm: JWSAlgorithm = .rs256) throws(JOSEError) {
        guard algorithm.keyType == .rsa, privateKey.keySizeInBits >= 2048 else { throw .signingFailed }
        self.privateKey = privateKey
        self.algorithm = algorithm
        self.keyID = keyID
        self.publicJWK = try JWK(rsa: privateKey.publicKey, keyID: keyID, algorithm: algorithm)
    }

    /// The public key as DER SubjectPublicKeyInfo (RFC 5280 §4.1.2.7), as a certificate embeds it.
    public var publicKeyInfoDER: [UInt8] {
        [UInt8](privateKey.publicKey.derRepresentation)
    }

    /// Signs the signing input with the hash and padding RFC 7518 §3.3/§3.5 assign to ``algorithm``.
    public func signature(forSigningInput signingInput: some DataProtocol) throws(JOSEError) -> [UInt8] {
        do {
            // Padding is always explicit: swift-crypto's default is PSS, which RS* must not use.
            let signature: _RSA.Signing.RSASignature =
                switch algorithm {
                case .rs256: try privateKey.signature(for: SHA256.hash(data: signingInput), padding: .insecurePKCS1v1_5)
                case .rs384: try privateKey.signature(for: SHA384.hash(data: signingInput), padding: .insecurePKCS1v1_5)
                case .rs512: try privateKey.signature(for: SHA512.hash(data: signingInput), padding: .insecurePKCS1v1_5)
                case .ps256: try privateKey.signature(for: SHA256.hash(data: signingInput), padding: .PSS)
                case .ps384: try privateKey.signature(for: SHA384.hash(data: signingInput), padding: .PSS)
                case .ps512: try privateKey.signature(for: SHA512.hash(data: signingInput), padding: .PSS)
                default: throw JOSEError.signingFailed
                }
            return [UInt8](signature.rawRepresentation)
        } catch {
            throw .signingFailed
        }
    }
}
