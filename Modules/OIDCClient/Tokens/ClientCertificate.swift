import Crypto
import Foundation
import JOSE

/// A certificate credential: the client proves itself with a fresh client assertion per
/// token request (RFC 7523 §2.2; Entra's certificate credentials), signed RS256 with the
/// certificate's private key and naming the certificate by `x5t#S256` and `x5t`.
///
/// Read from one PEM with the certificate and its unencrypted RSA private key (PKCS#8
/// `PRIVATE KEY` or PKCS#1 `RSA PRIVATE KEY`), the file azure-identity's
/// `AZURE_CLIENT_CERTIFICATE_PATH` names.
public struct ClientCertificate: Sendable, Hashable {
    /// SHA-1 of the certificate's DER (`x5t`).
    public let sha1Thumbprint: [UInt8]
    /// SHA-256 of the certificate's DER (`x5t#S256`).
    public let sha256Thumbprint: [UInt8]
    private let key: RSASigningKey

    /// How long an assertion is valid: Entra's documentation advises 5 to 10 minutes.
    public static let assertionLifetime: TimeInterval = 600

    /// Parses the PEM text; the error says what is missing or wrong, never the key.
    public init(pem: String) throws(ClientCertificateError) {
        let blocks = Self.blocks(pem)
        guard let certificate = blocks.first(where: { $0.label == "CERTIFICATE" })?.der else {
            throw ClientCertificateError("has no -----BEGIN CERTIFICATE----- block")
        }
        if blocks.contains(where: { $0.label == "ENCRYPTED PRIVATE KEY" }) {
            throw ClientCertificateError("holds an encrypted private key; decrypt it first (openssl pkey -in FILE)")
        }
        guard let keyBlock = blocks.first(where: { $0.label == "PRIVATE KEY" || $0.label == "RSA PRIVATE KEY" }) else {
            throw ClientCertificateError("has no -----BEGIN PRIVATE KEY----- block")
        }
        guard let key = try? RSASigningKey(derRepresentation: keyBlock.der, keyID: nil, algorithm: .rs256) else {
            throw ClientCertificateError("has a private key that is not an RSA key of 2048 bits or more")
        }
        // The certificate embeds its SubjectPublicKeyInfo verbatim (RFC 5280 §4.1): the key
        // belongs to the certificate when its own SPKI occurs in the certificate's DER.
        let publicKeyInfo = key.publicKeyInfoDER
        guard certificate.count >= publicKeyInfo.count,
            (0...(certificate.count - publicKeyInfo.count)).contains(where: {
                certificate[$0..<($0 + publicKeyInfo.count)].elementsEqual(publicKeyInfo)
            })
        else { throw ClientCertificateError("has a private key that does not belong to its certificate") }
        self.key = key
        self.sha1Thumbprint = Array(Insecure.SHA1.hash(data: certificate))
        self.sha256Thumbprint = Array(SHA256.hash(data: certificate))
    }

    /// A client assertion for one token request: `aud` the token endpoint, `iss` = `sub` =
    /// the client, a random `jti`, and `nbf`/`iat` now, `exp` ten minutes on.
    public func assertion(clientID: String, audience: String, now: Date = Date()) throws(JOSEError) -> String {
        let claims = try JWTClaims(
            issuer: clientID,
            subject: clientID,
            audience: [audience],
            expiration: now.addingTimeInterval(Self.assertionLifetime),
            notBefore: now,
            issuedAt: now,
            jwtID: UUID().uuidString.lowercased()
        )
        return try key.sign(
            claims: claims,
            header: ["x5t#S256": .string(Base64URL.encode(sha256Thumbprint)), "x5t": .string(Base64URL.encode(sha1Thumbprint))]
        )
    }

    /// Two credentials are the same when they are the same certificate.
    public static func == (lhs: ClientCertificate, rhs: ClientCertificate) -> Bool {
        lhs.sha256Thumbprint == rhs.sha256Thumbprint
    }

    /// Hashes the certificate's thumbprint.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(sha256Thumbprint)
    }

    /// The PEM blocks (RFC 7468): label and decoded DER.
    private static func blocks(_ pem: String) -> [(label: String, der: [UInt8])] {
        var result: [(label: String, der: [UInt8])] = []
        var label: String?
        var body = ""
        for line in pem.split(whereSeparator: \.isNewline).map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if line.hasPrefix("-----BEGIN "), line.hasSuffix("-----") {
                label = String(line.dropFirst(11).dropLast(5))
                body = ""
            } else if line.hasPrefix("-----END "), let current = label {
                if let der = Data(base64Encoded: body) { result.append((current, [UInt8](der))) }
                label = nil
            } else if label != nil {
                body += line
            }
        }
        return result
    }
}

/// A certificate file that cannot be used; the message says why, never the key.
public struct ClientCertificateError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong, to follow "the file …".
    public let description: String

    init(_ description: String) { self.description = description }
}
