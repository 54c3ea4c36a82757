import Crypto

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A P-256 private key signing with ES256.
public struct ES256SigningKey: JWSSigningKey {
    /// The swift-crypto private key.
    public let privateKey: P256.Signing.PrivateKey
    /// The `kid`.
    public let keyID: String?
    /// The public JWK, built once.
    public let publicJWK: JWK

    /// Always ES256.
    public var algorithm: JWSAlgorithm { .es256 }

    /// Generates a new key.
    public init(keyID: String?) {
        self.init(privateKey: P256.Signing.PrivateKey(), keyID: keyID)
    }

    /// Loads a PEM key (SEC1 or PKCS#8).
    public init(pemRepresentation pem: String, keyID: String?) throws(JOSEError) {
        guard let key = try? P256.Signing.PrivateKey(pemRepresentation: pem) else { throw .signingFailed }
        self.init(privateKey: key, keyID: keyID)
    }

    /// Loads the raw 32-byte private scalar (the JWK `d`).
    public init(rawRepresentation raw: some ContiguousBytes, keyID: String?) throws(JOSEError) {
        guard let key = try? P256.Signing.PrivateKey(rawRepresentation: raw) else { throw .signingFailed }
        self.init(privateKey: key, keyID: keyID)
    }

    /// Wraps an existing swift-crypto key.
    public init(privateKey: P256.Signing.PrivateKey, keyID: String?) {
        self.privateKey = privateKey
        self.keyID = keyID
        self.publicJWK = JWK(p256: privateKey.publicKey, keyID: keyID, algorithm: .es256)
    }

    /// Signs and returns R || S, 64 octets (RFC 7518 §3.4), not DER.
    public func signature(forSigningInput signingInput: some DataProtocol) throws(JOSEError) -> [UInt8] {
        guard let signature = try? privateKey.signature(for: SHA256.hash(data: signingInput)) else {
            throw .signingFailed
        }
        return [UInt8](signature.rawRepresentation)
    }
}
