import Crypto
import CryptoExtras

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The outcome of checking one signature with one key.
enum SignatureCheck {
    case valid
    case invalid
    /// The signature cannot be of this algorithm and key (length or form).
    case malformed
    /// An ECDSA signature with r = 0 or s = 0 (CVE-2022-21449).
    case zeroScalar
}

extension JWK.PublicKey {
    /// Checks `signature` over `signingInput` with this key, for an algorithm the key permits.
    ///
    /// Every primitive is swift-crypto's; this function only picks the hash and padding
    /// that RFC 7518 §3 assigns to each `alg`.
    func check(
        _ signature: UnsafeRawBufferPointer,
        signingInput: UnsafeRawBufferPointer,
        algorithm: JWSAlgorithm
    ) -> SignatureCheck {
        switch (self, algorithm) {
        case (.rsa(let key), .rs256):
            rsa(key, signature, SHA256.hash(data: signingInput), .insecurePKCS1v1_5)
        case (.rsa(let key), .rs384):
            rsa(key, signature, SHA384.hash(data: signingInput), .insecurePKCS1v1_5)
        case (.rsa(let key), .rs512):
            rsa(key, signature, SHA512.hash(data: signingInput), .insecurePKCS1v1_5)
        // RFC 7518 §3.5: MGF1 with the same hash, salt as long as the hash (swift-crypto's PSS).
        case (.rsa(let key), .ps256):
            rsa(key, signature, SHA256.hash(data: signingInput), .PSS)
        case (.rsa(let key), .ps384):
            rsa(key, signature, SHA384.hash(data: signingInput), .PSS)
        case (.rsa(let key), .ps512):
            rsa(key, signature, SHA512.hash(data: signingInput), .PSS)
        case (.p256(let key), .es256):
            ecdsa(signature, size: 32) {
                guard let parsed = try? P256.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
                return key.isValidSignature(parsed, for: SHA256.hash(data: signingInput))
            }
        case (.p384(let key), .es384):
            ecdsa(signature, size: 48) {
                guard let parsed = try? P384.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
                return key.isValidSignature(parsed, for: SHA384.hash(data: signingInput))
            }
        case (.p521(let key), .es512):
            ecdsa(signature, size: 66) {
                guard let parsed = try? P521.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
                return key.isValidSignature(parsed, for: SHA512.hash(data: signingInput))
            }
        case (.ed25519(let key), .edDSA):
            // RFC 8032 §5.1.7: a signature is exactly 64 octets.
            signature.count == 64 ? (key.isValidSignature(signature, for: signingInput) ? .valid : .invalid) : .malformed
        default:
            // Unreachable after JWK.permits; refusing is the safe answer.
            .invalid
        }
    }

    private func rsa(
        _ key: _RSA.Signing.PublicKey,
        _ signature: UnsafeRawBufferPointer,
        _ digest: some Digest,
        _ padding: _RSA.Signing.Padding
    ) -> SignatureCheck {
        // RFC 8017 §8.2.2 step 1: the signature is exactly as long as the modulus.
        guard signature.count == (key.keySizeInBits + 7) / 8 else { return .malformed }
        let rsaSignature = _RSA.Signing.RSASignature(rawRepresentation: signature)
        return key.isValidSignature(rsaSignature, for: digest, padding: padding) ? .valid : .invalid
    }

    private func ecdsa(_ signature: UnsafeRawBufferPointer, size: Int, verify: () -> Bool) -> SignatureCheck {
        // RFC 7518 §3.4: the JWS form is R || S, each exactly `size` octets; DER is not accepted.
        guard signature.count == 2 * size else { return .malformed }
        // CVE-2022-21449: r = 0 or s = 0 must never verify, whatever the library does.
        let r = signature[0..<size]
        let s = signature[size...]
        if r.allSatisfy({ $0 == 0 }) || s.allSatisfy({ $0 == 0 }) { return .zeroScalar }
        return verify() ? .valid : .invalid
    }
}
