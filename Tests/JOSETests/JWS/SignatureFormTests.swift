import Crypto
import Foundation
import Testing

@testable import JOSE

/// ECDSA signatures are R || S of fixed length; DER and zero scalars are refused.
@Suite("Signature forms")
struct SignatureFormTests {
    let keys = JWKSet(keys: [TestKeys.ec.publicJWK])
    let verifier = JWSVerifier(allowedAlgorithms: [.es256])

    private func token(withSignature signature: [UInt8]) throws -> String {
        let parts = try TestKeys.ec.sign(payload: Array("{}".utf8)).split(separator: ".")
        return "\(parts[0]).\(parts[1]).\(Base64URL.encode(signature))"
    }

    @Test("ES256 signatures are 64 octets R || S and verify")
    func rawForm() throws {
        let token = try TestKeys.ec.sign(payload: Array("{}".utf8))
        #expect(Base64URL.decode(String(token.split(separator: ".")[2]))!.count == 64)
        _ = try verifier.verify(token, keys: keys)
    }

    @Test("A DER-encoded ECDSA signature of the same values is rejected")
    func derRejected() throws {
        let token = try TestKeys.ec.sign(payload: Array("{}".utf8))
        let raw = Base64URL.decode(String(token.split(separator: ".")[2]))!
        let der = try P256.Signing.ECDSASignature(rawRepresentation: raw).derRepresentation
        #expect(throws: JOSEError.malformedSignature) { try verifier.verify(try self.token(withSignature: Array(der)), keys: keys) }
    }

    @Test("r = 0 or s = 0 is rejected before the library sees it (CVE-2022-21449)")
    func zeroScalars() throws {
        let token = try TestKeys.ec.sign(payload: Array("{}".utf8))
        let raw = Base64URL.decode(String(token.split(separator: ".")[2]))!
        let zero = [UInt8](repeating: 0, count: 32)
        for signature in [zero + zero, zero + raw[32...], Array(raw[..<32]) + zero] {
            #expect(throws: JOSEError.ecdsaSignatureScalarZero) {
                try verifier.verify(try self.token(withSignature: signature), keys: keys)
            }
        }
    }

    @Test("Wrong-length ECDSA signatures are malformed", arguments: [0, 1, 63, 65, 96, 128])
    func wrongLength(_ count: Int) throws {
        let signature = [UInt8](repeating: 7, count: count)
        #expect(throws: JOSEError.malformedSignature) { try verifier.verify(try token(withSignature: signature), keys: keys) }
    }

    @Test("ES384 verifies (self-generated: no RFC or Wycheproof ES384 JWS vector exists)")
    func es384() throws {
        let privateKey = P384.Signing.PrivateKey()
        let point = privateKey.publicKey.x963Representation
        let jwk = try JWK(members: [
            "kty": "EC", "crv": "P-384", "kid": "p384",
            "x": .string(Base64URL.encode(point[1...48])), "y": .string(Base64URL.encode(point[49...])),
        ])
        let input = Base64URL.encode(Array(#"{"alg":"ES384","kid":"p384"}"#.utf8)) + "." + Base64URL.encode(Array("{}".utf8))
        let signature = try privateKey.signature(for: SHA384.hash(data: Array(input.utf8))).rawRepresentation
        #expect(signature.count == 96)
        let verifier = JWSVerifier(allowedAlgorithms: [.es384])
        _ = try verifier.verify(input + "." + Base64URL.encode(signature), keys: JWKSet(keys: [jwk]))
        var tampered = [UInt8](signature)
        tampered[5] ^= 1
        #expect(throws: JOSEError.signatureInvalid) {
            try verifier.verify(input + "." + Base64URL.encode(tampered), keys: JWKSet(keys: [jwk]))
        }
    }
}
