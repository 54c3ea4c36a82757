import Crypto
import CryptoExtras
import Foundation
import Testing

@testable import JOSE

/// Sign-then-verify round trips and the signing API's guarantees.
@Suite("Signing round trips")
struct SigningRoundTripTests {
    @Test("RSA keys sign and verify with every RSA algorithm", arguments: [JWSAlgorithm.rs256, .rs384, .rs512, .ps256, .ps384, .ps512])
    func rsa(_ algorithm: JWSAlgorithm) throws {
        let signer = try RSASigningKey(privateKey: TestKeys.rsa.privateKey, keyID: "k", algorithm: algorithm)
        let claims = try JWTClaims(issuer: "iss", subject: "sub", audience: ["aud"], expiration: TestClock.now)
        let token = try signer.sign(claims: claims)
        let verified = try JWSVerifier(allowedAlgorithms: [algorithm]).verify(token, keys: signer.publicJWKSet)
        #expect(verified.header.algorithm == algorithm)
        #expect(verified.header.keyID == "k")
        #expect(verified.header.type == "JWT")
        #expect(try JWTClaims(payload: verified.payload).subject == "sub")
    }

    @Test("RS256 is deterministic and uses PKCS#1 v1.5, not swift-crypto's PSS default")
    func rs256Padding() throws {
        let input = Array("a.b".utf8)
        let first = try TestKeys.rsa.signature(forSigningInput: input)
        #expect(try TestKeys.rsa.signature(forSigningInput: input) == first)
        let pkcs1 = TestKeys.rsa.privateKey.publicKey.isValidSignature(
            .init(rawRepresentation: first),
            for: SHA256.hash(data: input),
            padding: .insecurePKCS1v1_5
        )
        #expect(pkcs1)
    }

    @Test("ES256 signs and verifies, through a published JWKS")
    func es256() throws {
        let token = try TestKeys.ec.sign(payload: Array(TokenForge.claims().utf8), header: ["x5t": "abc"], type: "at+jwt")
        let keys = try JWKSet(jsonData: TestKeys.ec.publicJWKSet.jsonData())
        let verified = try JWSVerifier(allowedAlgorithms: [.es256]).verify(token, keys: keys)
        #expect(verified.header.type == "at+jwt")
        #expect(verified.header["x5t"] == "abc")
        // Another P-256 key does not verify it.
        #expect(throws: JOSEError.noMatchingKey) {
            try JWSVerifier(allowedAlgorithms: [.es256]).verify(token, keys: TestKeys.ecOther.publicJWKSet)
        }
    }

    @Test("A caller-supplied header cannot override alg or kid")
    func headerCannotLie() throws {
        let token = try TestKeys.rsa.sign(payload: Array("{}".utf8), header: ["alg": "none", "kid": "evil"])
        let verified = try permissiveVerifier.verify(token, keys: TestKeys.rsaSet)
        #expect(verified.header.algorithm == .rs256)
        #expect(verified.header.keyID == "rsa-1")
    }

    @Test("Keys load from PEM and refuse small sizes")
    func loading() throws {
        let pem = TestKeys.rsa.privateKey.pemRepresentation
        let loaded = try RSASigningKey(pemRepresentation: pem, keyID: "rsa-1")
        #expect(loaded.publicJWK.thumbprint() == TestKeys.rsa.publicJWK.thumbprint())
        let der = TestKeys.rsa.privateKey.derRepresentation
        #expect(try RSASigningKey(derRepresentation: der, keyID: nil).publicJWK.thumbprint() == TestKeys.rsa.publicJWK.thumbprint())
        #expect(throws: JOSEError.signingFailed) { try RSASigningKey(generatingBits: 1024, keyID: nil) }
        #expect(throws: JOSEError.signingFailed) { try RSASigningKey(pemRepresentation: "junk", keyID: nil) }
        #expect(throws: JOSEError.signingFailed) {
            try RSASigningKey(privateKey: TestKeys.rsa.privateKey, keyID: nil, algorithm: .es256)
        }
        let ecPEM = TestKeys.ec.privateKey.pemRepresentation
        #expect(try ES256SigningKey(pemRepresentation: ecPEM, keyID: "x").publicJWK.thumbprint() == TestKeys.ec.publicJWK.thumbprint())
    }
}
