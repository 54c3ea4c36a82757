import Crypto
import CryptoExtras
import Foundation
import Testing

@testable import JOSE

/// RFC 7515 Appendix A, RFC 7520 §4 and derived vectors from `vectors.json`.
@Suite("RFC vectors")
struct RFCVectorTests {
    let vectors = Fixtures.vectors

    private func key(_ value: JSONValue) throws -> JWK {
        try JWK(members: try #require(value.objectValue))
    }

    @Test("RFC 7515 A.2 RS256 verifies with its public JWK")
    func rfc7515A2() throws {
        let vector = vectors["rfc7515_A2_RS256"]!
        let keys = JWKSet(keys: [try key(vector["jwk_public"])])
        let verified = try permissiveVerifier.verify(vector["compact"].string, keys: keys)
        #expect(verified.header.algorithm == .rs256)
        #expect(String(decoding: verified.payload, as: UTF8.self) == vector["payload_utf8"].string)
    }

    @Test("RFC 7515 A.2 RS256 re-signs byte for byte (PKCS#1 v1.5 is deterministic)")
    func rfc7515A2Resign() throws {
        let vector = vectors["rfc7515_A2_RS256"]!
        let jwk = vector["jwk_private"]
        func bytes(_ name: String) -> [UInt8] { Base64URL.decode(jwk[name].string)! }
        let privateKey = try _RSA.Signing.PrivateKey(
            n: bytes("n"),
            e: bytes("e"),
            d: bytes("d"),
            p: bytes("p"),
            q: bytes("q")
        )
        let signer = try RSASigningKey(privateKey: privateKey, keyID: nil)
        let compact = vector["compact"].string
        let parts = compact.split(separator: ".")
        let signature = try signer.signature(forSigningInput: Array("\(parts[0]).\(parts[1])".utf8))
        #expect(Base64URL.encode(signature) == String(parts[2]))
    }

    @Test("RFC 7515 A.3 ES256 verifies")
    func rfc7515A3() throws {
        let vector = vectors["rfc7515_A3_ES256"]!
        let keys = JWKSet(keys: [try key(vector["jwk_public"])])
        let verified = try permissiveVerifier.verify(vector["compact"].string, keys: keys)
        #expect(verified.header.algorithm == .es256)
    }

    @Test("RFC 7515 A.4 ES512 verifies")
    func rfc7515A4() throws {
        let vector = vectors["rfc7515_A4_ES512"]!
        let keys = JWKSet(keys: [try key(vector["jwk_public"])])
        let verified = try permissiveVerifier.verify(vector["compact"].string, keys: keys)
        #expect(verified.payload == Array("Payload".utf8))
    }

    @Test("RFC 7515 A.1 HS256 is rejected: no HMAC, and an oct key is never loaded")
    func rfc7515A1() throws {
        let vector = vectors["rfc7515_A1_HS256"]!
        let set = try JWKSet(jsonData: Data(JSONValue.object(["keys": [vector["jwk"]]]).serialized()))
        #expect(set.keys.isEmpty)
        #expect(set.skipped.map(\.reason) == [.unsupportedKeyType])
        #expect(throws: JOSEError.unsupportedAlgorithm) {
            try permissiveVerifier.verify(vector["compact"].string, keys: set)
        }
    }

    @Test("RFC 7515 A.5 unsecured JWS is rejected")
    func rfc7515A5() throws {
        let compact = vectors["rfc7515_A5_none"]!["compact"].string
        #expect(throws: JOSEError.unsecuredTokenRejected) {
            try permissiveVerifier.verify(compact, keys: TestKeys.rsaSet)
        }
    }

    @Test(
        "RFC 7520 §4 examples verify with the §3 keys",
        arguments: [
            ("rfc7520_4.1_RS256", "3.3_rsa_public", JWSAlgorithm.rs256),
            ("rfc7520_4.2_PS384", "3.3_rsa_public", .ps384),
            ("rfc7520_4.3_ES512", "3.1_ec_p521_public", .es512),
        ]
    )
    func rfc7520(vectorName: String, keyName: String, algorithm: JWSAlgorithm) throws {
        let vector = vectors[vectorName]!
        let jwk = try key(vectors["rfc7520_section3_keys"]![keyName])
        #expect(jwk.keyID == "bilbo.baggins@hobbiton.example")
        let verified = try permissiveVerifier.verify(vector["compact"].string, keys: JWKSet(keys: [jwk]))
        #expect(verified.header.algorithm == algorithm)
        #expect(verified.header.keyID == "bilbo.baggins@hobbiton.example")
        #expect(String(decoding: verified.payload, as: UTF8.self) == vector["payload_utf8"].string)
    }

    @Test("RFC 7520 §4.4 HS256 is rejected")
    func rfc7520HMAC() throws {
        #expect(throws: JOSEError.unsupportedAlgorithm) {
            try permissiveVerifier.verify(vectors["rfc7520_4.4_HS256"]!["compact"].string, keys: TestKeys.rsaSet)
        }
    }

    @Test("Derived RS384, RS512, PS256 tokens verify with the A.2 key", arguments: ["RS384", "RS512", "PS256"])
    func derived(alg: String) throws {
        let vector = vectors["derived_A2key_RS384_RS512_PS256"]!
        let keys = JWKSet(keys: [try key(vector["jwk_public"])])
        let verified = try permissiveVerifier.verify(vector["\(alg)_compact"].string, keys: keys)
        #expect(verified.header.algorithm.rawValue == alg)
    }

    @Test("RFC 7638 §3.1 thumbprint of the RFC 7517 A.1 RSA key")
    func thumbprintRSA() throws {
        let vector = vectors["rfc7638_3.1_thumbprint"]!
        let jwk = try key(vector["jwk"])
        #expect(jwk.thumbprint() == vector["thumbprint_sha256_b64u"].string)
        #expect(jwk.thumbprintURI() == vector["thumbprint_uri_rfc9278"].string)
        // The canonical form is exactly the one the RFC prints.
        var members: [String: JSONValue] = ["kty": "RSA"]
        for (name, value) in jwk.parameters { members[name] = .string(value) }
        #expect(String(decoding: JSONValue.object(members).serialized(), as: UTF8.self) == vector["canonical_json"].string)
    }

    @Test("Thumbprint of the RFC 7517 A.1 EC key")
    func thumbprintEC() throws {
        let vector = vectors["extra_ec_thumbprint_rfc7517_A1_ec"]!
        let jwk = try key(vector["jwk"])
        #expect(jwk.thumbprint() == vector["thumbprint_sha256_b64u"].string)
    }

    @Test("RFC 7517 A.1 JWK Set loads both keys")
    func rfc7517Set() throws {
        let set = try JWKSet(jsonData: Data(vectors["rfc7517_A1_jwks"]!["jwks"].serialized()))
        #expect(set.keys.count == 2)
        #expect(set.skipped.isEmpty)
        #expect(set[keyID: "2011-04-29"]?.keyType == .rsa)
    }

    @Test("RFC 7797 b64:false tokens are rejected")
    func rfc7797() throws {
        let vector = vectors["rfc7797_b64_false"]!
        // HS256 is refused first; with b64 false the JWS would also be refused on its own (see JWSVerifierTests).
        #expect(throws: JOSEError.unsupportedAlgorithm) {
            try permissiveVerifier.verify(vector["4.2_compact_detached"].string, keys: TestKeys.rsaSet)
        }
    }
}
