import Crypto
import Foundation
import OIDCCore
import SwiftASN1
import X509

/// local-entra's HTTPS credentials for `serve --tls`: a development certificate authority and a
/// server certificate it signs, kept in `{state}/tls/` (every file owner-only).
///
/// The CA is made once and reused across restarts, so a client trusts it once (its
/// certificate is `ca.pem`). The server certificate is short-lived and made again whenever it
/// is missing, expires within a day, names other hosts than ``serverNames``, or was not signed
/// by the current CA. Both keys are P-256 ECDSA.
public struct DevelopmentTLS: Sendable {
    /// The CA certificate's subject: what a user sees in a trust store.
    public static let authorityName = "Hvalfangst local-entra development CA"
    /// The names the server certificate holds: `localhost`, `127.0.0.1` and `::1`.
    public static let serverNames: [GeneralName] = [
        .dnsName("localhost"),
        .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])),
        .ipAddress(ASN1OctetString(contentBytes: ArraySlice([UInt8](repeating: 0, count: 15) + [1]))),
    ]
    /// How long the CA is valid: ten years, so a trusted CA keeps working.
    public static let authorityLifetime: TimeInterval = 10 * 365 * 86400
    /// How long a server certificate is valid: 397 days, the longest browsers accept.
    public static let serverLifetime: TimeInterval = 397 * 86400

    /// The folder holding the four files.
    public let folder: URL
    /// The CA certificate (PEM): the file clients trust.
    public var authorityCertificate: URL { folder.appendingPathComponent("ca.pem") }
    /// The CA's private key (PEM, PKCS #8).
    public var authorityKey: URL { folder.appendingPathComponent("ca-key.pem") }
    /// The server certificate (PEM).
    public var serverCertificate: URL { folder.appendingPathComponent("server.pem") }
    /// The server's private key (PEM, PKCS #8).
    public var serverKey: URL { folder.appendingPathComponent("server-key.pem") }

    /// The files of the state folder `stateFolder`; nothing is read or made yet.
    public init(stateFolder: URL) {
        folder = stateFolder.appendingPathComponent("tls")
    }

    /// What ``prepare(now:)`` had to make.
    public struct Outcome: Hashable, Sendable {
        /// A new CA was made (none was there, or it expired): clients must trust it anew.
        public var createdAuthority: Bool
        /// A new server certificate was made.
        public var createdServerCertificate: Bool

        /// Creates an outcome.
        public init(createdAuthority: Bool, createdServerCertificate: Bool) {
            self.createdAuthority = createdAuthority
            self.createdServerCertificate = createdServerCertificate
        }
    }

    /// Whether the CA certificate exists (``prepareAuthority(now:)`` makes it).
    public var hasAuthority: Bool { FileManager.default.fileExists(atPath: authorityCertificate.path) }

    /// Makes the CA when it is missing or expired (not the server certificate); true when it made one.
    @discardableResult
    public func prepareAuthority(now: Date = Date()) throws(DevelopmentTLSError) -> Bool {
        try authority(now: now).2
    }

    /// The CA with its key, made when missing or expired, and whether it is new.
    private func authority(now: Date) throws(DevelopmentTLSError) -> (Certificate, P256.Signing.PrivateKey, Bool) {
        if hasAuthority || FileManager.default.fileExists(atPath: authorityKey.path) {
            let certificate = try read(authorityCertificate, Certificate.init(pemEncoded:))
            let key = try read(authorityKey, P256.Signing.PrivateKey.init(pemRepresentation:))
            guard certificate.publicKey == Certificate.PublicKey(key.publicKey) else {
                throw DevelopmentTLSError(
                    authorityKey.path,
                    "is not the key of \(authorityCertificate.lastPathComponent); delete both to make a new CA"
                )
            }
            if certificate.notValidAfter > now { return (certificate, key, false) }
        }
        let key = P256.Signing.PrivateKey()
        let name = try build {
            try DistinguishedName {
                OrganizationName("Hvalfangst")
                CommonName(Self.authorityName)
            }
        }
        let publicKey = Certificate.PublicKey(key.publicKey)
        let certificate = try build {
            try Certificate(
                version: .v3,
                serialNumber: Certificate.SerialNumber(),
                publicKey: publicKey,
                notValidBefore: now.addingTimeInterval(-300),
                notValidAfter: now.addingTimeInterval(Self.authorityLifetime),
                issuer: name,
                subject: name,
                extensions: try Certificate.Extensions {
                    // RFC 5280 §4.2.1.9 and §4.2.1.3: a CA that signs certificates and nothing else.
                    Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                    Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                    SubjectKeyIdentifier(hash: publicKey)
                },
                issuerPrivateKey: Certificate.PrivateKey(key)
            )
        }
        try write(key.pemRepresentation, to: authorityKey)
        try write(try build { try certificate.serializeAsPEM().pemString }, to: authorityCertificate)
        return (certificate, key, true)
    }

    /// Makes whatever is missing or stale: the CA, then the server certificate.
    @discardableResult
    public func prepare(now: Date = Date()) throws(DevelopmentTLSError) -> Outcome {
        let (authority, authorityKey, createdAuthority) = try self.authority(now: now)
        if !createdAuthority, try isCurrent(signedBy: authority, now: now) {
            return Outcome(createdAuthority: false, createdServerCertificate: false)
        }
        let key = P256.Signing.PrivateKey()
        let publicKey = Certificate.PublicKey(key.publicKey)
        let subject = try build {
            try DistinguishedName {
                OrganizationName("Hvalfangst")
                CommonName("localhost")
            }
        }
        let authorityKeyID = try build { try authority.extensions.subjectKeyIdentifier?.keyIdentifier }
        let certificate = try build {
            try Certificate(
                version: .v3,
                serialNumber: Certificate.SerialNumber(),
                publicKey: publicKey,
                notValidBefore: now.addingTimeInterval(-300),
                notValidAfter: min(now.addingTimeInterval(Self.serverLifetime), authority.notValidAfter),
                issuer: authority.subject,
                subject: subject,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.notCertificateAuthority)
                    Critical(KeyUsage(digitalSignature: true))
                    try ExtendedKeyUsage([.serverAuth])
                    // RFC 6125 §6.4: clients match the host against these names, not the CN.
                    SubjectAlternativeNames(Self.serverNames)
                    SubjectKeyIdentifier(hash: publicKey)
                    AuthorityKeyIdentifier(keyIdentifier: authorityKeyID)
                },
                issuerPrivateKey: Certificate.PrivateKey(authorityKey)
            )
        }
        try write(key.pemRepresentation, to: serverKey)
        try write(try build { try certificate.serializeAsPEM().pemString }, to: serverCertificate)
        return Outcome(createdAuthority: createdAuthority, createdServerCertificate: true)
    }

    /// Whether the server certificate on disk can be served: readable with its key, signed by
    /// `authority`, valid for more than a day, and for exactly ``serverNames``.
    private func isCurrent(signedBy authority: Certificate, now: Date) throws(DevelopmentTLSError) -> Bool {
        guard let certificate = try? Certificate(pemEncoded: String(contentsOf: serverCertificate, encoding: .utf8)),
            let key = try? P256.Signing.PrivateKey(pemRepresentation: String(contentsOf: serverKey, encoding: .utf8))
        else { return false }
        let names = (try? certificate.extensions.subjectAlternativeNames).map { Array($0) } ?? []
        return certificate.publicKey == Certificate.PublicKey(key.publicKey)
            && certificate.issuer == authority.subject
            && authority.publicKey.isValidSignature(certificate.signature, for: certificate)
            && certificate.notValidAfter > now.addingTimeInterval(86400)
            && certificate.notValidBefore <= now
            && names == Self.serverNames
    }

    private func read<Value>(_ file: URL, _ parse: (String) throws -> Value) throws(DevelopmentTLSError) -> Value {
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw DevelopmentTLSError(file.path, "cannot be read; delete the tls folder to make a new CA")
        }
        do {
            return try parse(text)
        } catch {
            throw DevelopmentTLSError(file.path, "is not a PEM document of the expected kind; delete the tls folder to make a new CA")
        }
    }

    private func write(_ text: String, to file: URL) throws(DevelopmentTLSError) {
        do {
            try OwnerOnlyFile.write(Data(text.utf8), to: file)
        } catch {
            throw DevelopmentTLSError(file.path, "cannot be written: \(error.problem)")
        }
    }

    /// Runs a step of certificate building; its errors (which never hold key material) become ours.
    private func build<Value>(_ step: () throws -> Value) throws(DevelopmentTLSError) -> Value {
        do {
            return try step()
        } catch {
            throw DevelopmentTLSError(folder.path, "cannot hold a new certificate: \(error)")
        }
    }
}

/// Why the development CA or server certificate could not be read or made. Names the file,
/// never key material.
public struct DevelopmentTLSError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file or folder.
    public let path: String
    /// What is wrong, as the end of a sentence.
    public let problem: String

    init(_ path: String, _ problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "'\(path)' \(problem)" }
}
