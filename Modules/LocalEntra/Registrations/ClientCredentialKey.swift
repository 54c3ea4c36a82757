import Crypto
import CryptoExtras
import Foundation
import JOSE
import SwiftASN1
import X509

/// A client's registered certificate credential ("Certificates & secrets" in the portal, a
/// `keyCredentials` entry of the manifest): the public key that verifies its client
/// assertions, and the certificate's thumbprints that assertions name in `x5t` (SHA-1) and
/// `x5t#S256` (SHA-256), both over the certificate's DER (entra-more.md §5).
///
/// Registered as PEM: a `CERTIFICATE` (as the portal takes it), or a bare `PUBLIC KEY`,
/// which has no thumbprint and verifies assertions whose header names no certificate.
public struct ClientCredentialKey: Sendable {
    /// The RSA public key, as a JWK for JOSE's verifier.
    public let publicKey: JWK
    /// SHA-1 of the certificate's DER; nil for a bare public key.
    public let sha1Thumbprint: [UInt8]?
    /// SHA-256 of the certificate's DER; nil for a bare public key.
    public let sha256Thumbprint: [UInt8]?
    /// The certificate's validity; nil for a bare public key.
    public let validity: ClosedRange<Date>?

    /// Parses one PEM block; the error says what is wrong with it.
    public init(pem: String) throws(RegistrationError) {
        let document: PEMDocument
        do {
            document = try PEMDocument(pemString: pem.trimmingCharacters(in: .whitespacesAndNewlines))
        } catch {
            throw RegistrationError("not a PEM block (expected -----BEGIN CERTIFICATE----- or -----BEGIN PUBLIC KEY-----)")
        }
        let rsaKey: _RSA.Signing.PublicKey?
        switch document.discriminator {
        case "CERTIFICATE":
            guard let certificate = try? Certificate(derEncoded: document.derBytes) else {
                throw RegistrationError("the CERTIFICATE is not a valid X.509 certificate")
            }
            rsaKey = _RSA.Signing.PublicKey(certificate.publicKey)
            sha1Thumbprint = Array(Insecure.SHA1.hash(data: document.derBytes))
            sha256Thumbprint = Array(SHA256.hash(data: document.derBytes))
            validity = certificate.notValidBefore...max(certificate.notValidBefore, certificate.notValidAfter)
        case "PUBLIC KEY":
            rsaKey = try? _RSA.Signing.PublicKey(derRepresentation: document.derBytes)
            sha1Thumbprint = nil
            sha256Thumbprint = nil
            validity = nil
        default:
            throw RegistrationError("a \(document.discriminator) block is not a certificate or public key")
        }
        // Entra's certificate credentials are RSA keys (RS256 or PS256 assertions).
        guard let rsaKey else { throw RegistrationError("the key is not an RSA key") }
        do {
            publicKey = try JWK(rsa: rsaKey, keyID: nil, use: "sig")
        } catch {
            throw RegistrationError("the RSA key is shorter than 2048 bits")
        }
    }

    /// Whether an assertion header's thumbprints name this certificate. MSAL writes them as
    /// padded base64url, others unpadded: the decoded bytes are compared.
    func matches(x5t: String?, x5tS256: String?) -> Bool {
        if let x5tS256, let sha256Thumbprint, Self.decode(x5tS256) == sha256Thumbprint { return true }
        if let x5t, let sha1Thumbprint, Self.decode(x5t) == sha1Thumbprint { return true }
        return false
    }

    /// A thumbprint as base64url, with or without padding.
    static func decode(_ thumbprint: String) -> [UInt8]? {
        Base64URL.decode(String(thumbprint.prefix { $0 != "=" }))
    }
}
