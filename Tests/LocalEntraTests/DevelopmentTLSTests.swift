import Foundation
import LocalEntra
import SwiftASN1
import Testing
import X509

@Suite("serve --tls: the development CA and server certificate")
struct DevelopmentTLSTests {
    private func withState(_ test: (DevelopmentTLS) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try await test(DevelopmentTLS(stateFolder: folder))
    }

    private func certificate(_ file: URL) throws -> Certificate {
        try Certificate(pemEncoded: String(contentsOf: file, encoding: .utf8))
    }

    private func mode(_ file: URL) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int)
    }

    @Test("the CA is a CA that signs certificates only, named clearly, valid for ten years")
    func authority() async throws {
        try await withState { tls in
            let now = Date()
            #expect(try tls.prepare(now: now) == .init(createdAuthority: true, createdServerCertificate: true))
            let ca = try certificate(tls.authorityCertificate)
            #expect(ca.subject == ca.issuer)
            #expect(ca.subject.description.contains(DevelopmentTLS.authorityName))
            let constraints = try #require(try ca.extensions.basicConstraints)
            #expect(constraints == .isCertificateAuthority(maxPathLength: 0))
            #expect(try ca.extensions.keyUsage == KeyUsage(keyCertSign: true, cRLSign: true))
            #expect(ca.extensions[oid: .X509ExtensionID.basicConstraints]?.critical == true)
            #expect(ca.extensions[oid: .X509ExtensionID.keyUsage]?.critical == true)
            #expect(ca.notValidAfter.timeIntervalSince(now) > 9 * 365 * 86400)
            #expect(ca.publicKey.isValidSignature(ca.signature, for: ca), "self-signed")
        }
    }

    @Test("the server certificate names localhost, 127.0.0.1 and ::1, is for server auth, and verifies against the CA")
    func serverCertificate() async throws {
        try await withState { tls in
            let now = Date()
            try tls.prepare(now: now)
            let ca = try certificate(tls.authorityCertificate)
            let server = try certificate(tls.serverCertificate)
            let names = try #require(try server.extensions.subjectAlternativeNames)
            #expect(Array(names) == DevelopmentTLS.serverNames)
            #expect(names.contains(.ipAddress(ASN1OctetString(contentBytes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]))))
            #expect(try server.extensions.extendedKeyUsage?.contains(.serverAuth) == true)
            #expect(try server.extensions.basicConstraints == .notCertificateAuthority)
            // Certificates hold whole seconds.
            #expect(server.notValidAfter.timeIntervalSince(now) <= DevelopmentTLS.serverLifetime + 1)
            #expect(server.notValidAfter.timeIntervalSince(now) > 300 * 86400)

            for (hostname, ip) in [("localhost", nil), (nil, "127.0.0.1"), (nil, "::1")] as [(String?, String?)] {
                var verifier = Verifier(rootCertificates: CertificateStore([ca])) {
                    RFC5280Policy(validationTime: now)
                    ServerIdentityPolicy(serverHostname: hostname, serverIP: ip)
                }
                let result = await verifier.validate(leafCertificate: server, intermediates: CertificateStore())
                guard case .validCertificate = result else {
                    Issue.record("the chain does not verify for \(hostname ?? ip ?? "")")
                    continue
                }
            }
            var other = Verifier(rootCertificates: CertificateStore([ca])) {
                RFC5280Policy(validationTime: now)
                ServerIdentityPolicy(serverHostname: "example.com", serverIP: nil)
            }
            guard case .couldNotValidate = await other.validate(leafCertificate: server, intermediates: CertificateStore()) else {
                Issue.record("a name the certificate does not hold was accepted")
                return
            }
        }
    }

    @Test("keys and certificates are owner-only (0600) in an owner-only folder")
    func fileModes() async throws {
        try await withState { tls in
            try tls.prepare()
            for file in [tls.authorityKey, tls.authorityCertificate, tls.serverKey, tls.serverCertificate] {
                #expect(try mode(file) == 0o600, "\(file.lastPathComponent)")
            }
            #expect(try mode(tls.folder) == 0o700)
        }
    }

    @Test("a restart reuses the CA and the server certificate; an expiring certificate is renewed under the same CA")
    func reuse() async throws {
        try await withState { tls in
            let now = Date()
            try tls.prepare(now: now)
            let ca = try Data(contentsOf: tls.authorityCertificate)
            let server = try Data(contentsOf: tls.serverCertificate)

            #expect(try tls.prepare(now: now.addingTimeInterval(60)) == .init(createdAuthority: false, createdServerCertificate: false))
            #expect(try Data(contentsOf: tls.authorityCertificate) == ca)
            #expect(try Data(contentsOf: tls.serverCertificate) == server)

            // A year and a month later the server certificate is nearly expired: renewed, the CA kept.
            let later = now.addingTimeInterval(DevelopmentTLS.serverLifetime - 3600)
            #expect(try tls.prepare(now: later) == .init(createdAuthority: false, createdServerCertificate: true))
            #expect(try Data(contentsOf: tls.authorityCertificate) == ca)
            let renewed = try certificate(tls.serverCertificate)
            #expect(renewed.notValidAfter > later.addingTimeInterval(86400))
            #expect(try certificate(tls.authorityCertificate).publicKey.isValidSignature(renewed.signature, for: renewed))
        }
    }

    @Test("a server certificate for other names, or from another CA, is made again")
    func staleServerCertificate() async throws {
        try await withState { tls in
            try tls.prepare()
            // The CA's own certificate in the server's place: other names, another key.
            try FileManager.default.removeItem(at: tls.serverCertificate)
            try FileManager.default.copyItem(at: tls.authorityCertificate, to: tls.serverCertificate)
            #expect(try tls.prepare().createdServerCertificate)
            #expect(
                Array(try #require(try certificate(tls.serverCertificate).extensions.subjectAlternativeNames)) == DevelopmentTLS.serverNames
            )

            // A new CA (the old one deleted): the server certificate it did not sign is replaced.
            let before = try certificate(tls.serverCertificate)
            try FileManager.default.removeItem(at: tls.authorityCertificate)
            try FileManager.default.removeItem(at: tls.authorityKey)
            #expect(try tls.prepare() == .init(createdAuthority: true, createdServerCertificate: true))
            let after = try certificate(tls.serverCertificate)
            #expect(after.serialNumber != before.serialNumber)
            #expect(try certificate(tls.authorityCertificate).publicKey.isValidSignature(after.signature, for: after))
        }
    }

    @Test("`ca` makes the CA alone, once; a damaged CA file is an error naming it, not silently replaced")
    func authorityAlone() async throws {
        try await withState { tls in
            #expect(!tls.hasAuthority)
            #expect(try tls.prepareAuthority())
            #expect(!FileManager.default.fileExists(atPath: tls.serverCertificate.path))
            #expect(try !tls.prepareAuthority())

            try Data("not a certificate".utf8).write(to: tls.authorityCertificate)
            #expect {
                try tls.prepare()
            } throws: { error in
                (error as? DevelopmentTLSError)?.path == tls.authorityCertificate.path
            }
        }
    }
}
