import Crypto
import CryptoExtras
import Foundation
import Testing

@testable import JOSE

/// A key's type, curve, `use`, `key_ops` and `alg` restrict what it may verify.
@Suite("Key usage restrictions")
struct KeyUsageTests {
    let verifier = permissiveVerifier
    let payload = Array(TokenForge.claims().utf8)

    /// The RSA test key's public JWK with some members replaced.
    private func rsaKey(_ changes: [String: JSONValue?]) throws -> JWKSet {
        var members = try #require(TestKeys.rsa.publicJWK.jsonValue.objectValue)
        for (name, value) in changes { members[name] = value }
        return JWKSet(keys: [try JWK(members: members)])
    }

    @Test("use other than sig is never used", arguments: ["enc", "SIG", "signature", ""])
    func use(_ use: String) throws {
        let token = try TestKeys.rsa.sign(payload: payload)
        #expect(throws: JOSEError.noMatchingKey) { try verifier.verify(token, keys: try rsaKey(["use": .string(use)])) }
        // Control: the same key with use "sig" or no use verifies.
        _ = try verifier.verify(token, keys: try rsaKey(["use": "sig"]))
        _ = try verifier.verify(token, keys: try rsaKey(["use": nil]))
    }

    @Test("key_ops without verify is never used", arguments: [[], ["sign"], ["encrypt", "wrapKey"], ["VERIFY"]] as [[String]])
    func keyOps(_ operations: [String]) throws {
        let token = try TestKeys.rsa.sign(payload: payload)
        let ops = JSONValue.array(operations.map { .string($0) })
        #expect(throws: JOSEError.noMatchingKey) { try verifier.verify(token, keys: try rsaKey(["key_ops": ops])) }
        _ = try verifier.verify(token, keys: try rsaKey(["key_ops": ["sign", "verify"]]))
    }

    @Test("A key whose alg differs from the token's is never used", arguments: ["RS384", "PS256", "ES256", "rs256", "HS256"])
    func keyAlgorithm(_ alg: String) throws {
        let token = try TestKeys.rsa.sign(payload: payload)
        #expect(throws: JOSEError.noMatchingKey) { try verifier.verify(token, keys: try rsaKey(["alg": .string(alg)])) }
        _ = try verifier.verify(token, keys: try rsaKey(["alg": "RS256"]))
        _ = try verifier.verify(token, keys: try rsaKey(["alg": nil]))
    }

    @Test("An RSA key with no alg verifies PS256 too, but the padding must match")
    func pssWithSameKey() throws {
        let pssSigner = try RSASigningKey(privateKey: TestKeys.rsa.privateKey, keyID: "rsa-1", algorithm: .ps256)
        let token = try pssSigner.sign(payload: payload)
        _ = try verifier.verify(token, keys: try rsaKey(["alg": nil]))
        // A PKCS#1 v1.5 signature relabelled PS256 does not verify (and vice versa).
        let parts = try TestKeys.rsa.sign(payload: payload).split(separator: ".")
        let relabelled = Base64URL.encode(Array(#"{"alg":"PS256","kid":"rsa-1"}"#.utf8)) + ".\(parts[1]).\(parts[2])"
        #expect(throws: JOSEError.signatureInvalid) { try verifier.verify(relabelled, keys: try rsaKey(["alg": nil])) }
    }

    @Test("A key of the wrong type or curve for the alg is never used")
    func wrongKeyType() throws {
        let rsaToken = try TestKeys.rsa.sign(payload: payload)
        let ecToken = try TestKeys.ec.sign(payload: payload)
        let ecNoAlg = JWK(p256: TestKeys.ec.privateKey.publicKey, keyID: "rsa-1", algorithm: nil)
        // An EC key with the RSA key's kid cannot verify RS256.
        #expect(throws: JOSEError.noMatchingKey) { try verifier.verify(rsaToken, keys: JWKSet(keys: [ecNoAlg])) }
        // An RSA key with the EC key's kid cannot verify ES256.
        let rsaAsEC = try JWK(rsa: TestKeys.rsa.privateKey.publicKey, keyID: "ec-1", algorithm: nil)
        #expect(throws: JOSEError.noMatchingKey) { try verifier.verify(ecToken, keys: JWKSet(keys: [rsaAsEC])) }
        // A P-384 key cannot verify ES256 (RFC 7518 §3.4 binds the curve to the alg).
        let p384 = P384.Signing.PrivateKey().publicKey
        let p384JWK = try JWK(members: [
            "kty": "EC", "crv": "P-384", "kid": "ec-1",
            "x": .string(Base64URL.encode(p384.x963Representation[1...48])),
            "y": .string(Base64URL.encode(p384.x963Representation[49...])),
        ])
        #expect(throws: JOSEError.noMatchingKey) { try verifier.verify(ecToken, keys: JWKSet(keys: [p384JWK])) }
        #expect(p384JWK.permits(.es384))
        #expect(!p384JWK.permits(.es256))
    }
}
