import CryptoExtras
import Foundation
import JOSE
import SwiftASN1
import X509

extension ClientCredentialKey {
    /// A self-signed certificate for `key`, as PEM: what `openssl req -x509 -newkey rsa:2048`
    /// makes for a development certificate credential (and what the tests register).
    public static func selfSignedCertificate(
        for key: RSASigningKey,
        commonName: String,
        notValidBefore: Date,
        notValidAfter: Date
    ) throws -> String {
        let privateKey = Certificate.PrivateKey(key.privateKey)
        let name = try DistinguishedName { CommonName(commonName) }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: privateKey.publicKey,
            notValidBefore: notValidBefore,
            notValidAfter: notValidAfter,
            issuer: name,
            subject: name,
            signatureAlgorithm: .sha256WithRSAEncryption,
            extensions: Certificate.Extensions(),
            issuerPrivateKey: privateKey
        )
        return try certificate.serializeAsPEM().pemString
    }

    /// The PEM `PUBLIC KEY` (SubjectPublicKeyInfo) of `key`, the other form a credential may take.
    public static func publicKeyPEM(of key: RSASigningKey) -> String {
        key.privateKey.publicKey.pemRepresentation
    }

    /// The PEM `PRIVATE KEY` of `key`, to put beside its certificate in a client's credential file.
    public static func privateKeyPEM(of key: RSASigningKey) -> String {
        key.privateKey.pemRepresentation
    }
}
