import Foundation
import NIOSSL

/// Certificate authorities trusted for outbound HTTPS in addition to the system's, read from a
/// PEM file (`HVALFANGST_CA_FILE`): local-entra's development CA, or a company's own.
///
/// URLSession on Linux cannot add one: FoundationNetworking points libcurl's `CAINFO` at the
/// system bundle and reads no setting of its own (`URLSessionCertificateAuthorityInfoFile`
/// only on Android, and it would replace the bundle); so a client with extra roots is a
/// ``NIOHTTPClient``, whose TLS trusts the system roots and these.
public struct ExtraTrustRoots: Sendable {
    /// The file the roots came from.
    public let path: String
    /// The certificates, at least one.
    public let certificates: [NIOSSLCertificate]

    /// Reads every certificate of the PEM file at `path`; throws when it cannot be read or holds none.
    public init(pemFile path: String) throws(ExtraTrustRootsError) {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw ExtraTrustRootsError(path: path, problem: "cannot be read (missing, or not readable by this user)")
        }
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMFile(path)
        } catch {
            throw ExtraTrustRootsError(path: path, problem: "is not a PEM file of certificates")
        }
        guard !certificates.isEmpty else { throw ExtraTrustRootsError(path: path, problem: "holds no PEM certificate") }
        self.path = path
        self.certificates = certificates
    }

    /// A client TLS configuration that trusts the system roots and these.
    public var tlsConfiguration: TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        // `trustRoots` stays `.default` (the system's): these are added, never a replacement.
        configuration.additionalTrustRoots = [.certificates(certificates)]
        return configuration
    }
}

/// Why a CA file cannot be used. Names the file, never its content.
public struct ExtraTrustRootsError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file.
    public let path: String
    /// What is wrong, as the end of a sentence.
    public let problem: String

    public var description: String { "'\(path)' \(problem)" }
}
