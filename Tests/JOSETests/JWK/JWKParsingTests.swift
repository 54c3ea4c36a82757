import Crypto
import CryptoExtras
import Foundation
import Testing

@testable import JOSE

/// Loading JWKs and JWK Sets: strict per key, tolerant per set.
@Suite("JWK and JWK Set parsing")
struct JWKParsingTests {
    static let rsaMembers = TestKeys.rsa.publicJWK.jsonValue.objectValue!
    static let ecMembers = TestKeys.ec.publicJWK.jsonValue.objectValue!

    private func problem(_ members: [String: JSONValue]) -> JWKProblem? {
        guard case .invalidKey(let problem) = joseError({ _ = try JWK(members: members) }) else { return nil }
        return problem
    }

    @Test("An Entra-shaped JWKS entry (x5t, x5c, issuer members) loads; extra members are ignored")
    func entraShape() throws {
        var members = Self.rsaMembers
        members["x5t"] = "nOo3ZDrODXEK1jKWhXslHR_KXEg"
        members["x5c"] = ["MIIC/TCCAeWgAwIBAgIIUd7j/OIahkYwDQYJKoZIhvcNAQELBQAw"]
        members["issuer"] = "https://login.microsoftonline.com/{tenantid}/v2.0"
        members["alg"] = nil
        let set = try JWKSet(jsonData: Data(JSONValue.object(["keys": [.object(members)]]).serialized()))
        #expect(set.keys.count == 1 && set.skipped.isEmpty)
        #expect(set.keys[0].rsaModulusBits == 2048)
        #expect(set.keys[0].permits(.rs256) && !set.keys[0].permits(.es256))
    }

    @Test("RSA keys under 2048 bits are refused")
    func smallRSA() throws {
        let small = try _RSA.Signing.PrivateKey(unsafeKeySize: .init(bitCount: 1024)).publicKey.getKeyPrimitives()
        var members = Self.rsaMembers
        members["n"] = .string(Base64URL.encode(small.modulus))
        #expect(problem(members) == .rsaKeyTooSmall(bits: 1024))
    }

    @Test("An EC point not on the curve is refused")
    func offCurve() throws {
        var members = Self.ecMembers
        var y = Base64URL.decode(members["y"]!.stringValue!)!
        y[31] ^= 1
        members["y"] = .string(Base64URL.encode(y))
        #expect(problem(members) == .invalidPublicKey)
    }

    @Test("EC coordinates must be full length")
    func shortCoordinate() throws {
        var members = Self.ecMembers
        members["x"] = .string(Base64URL.encode(Base64URL.decode(members["x"]!.stringValue!)!.dropFirst()))
        #expect(problem(members) == .invalidMember("x"))
    }

    @Test("Malformed members are refused precisely")
    func malformedMembers() throws {
        var rsa = Self.rsaMembers
        rsa["n"] = nil
        #expect(problem(rsa) == .missingMember("n"))
        rsa = Self.rsaMembers
        rsa["e"] = "AQAB="
        #expect(problem(rsa) == .invalidMember("e"))
        rsa = Self.rsaMembers
        rsa["kid"] = 7
        #expect(problem(rsa) == .invalidMember("kid"))
        rsa = Self.rsaMembers
        rsa["key_ops"] = ["verify", "verify"]
        #expect(problem(rsa) == .invalidMember("key_ops"))
        var ec = Self.ecMembers
        ec["crv"] = "secp256k1"
        #expect(problem(ec) == .unsupportedCurve)
        #expect(problem(["kty": "oct", "k": "AAAA"]) == .unsupportedKeyType)
        #expect(problem(["n": "AQAB"]) == .unsupportedKeyType)
    }

    @Test("A key carrying private material is refused", arguments: ["d", "p", "q", "dp", "dq", "qi"])
    func privateMaterial(_ member: String) throws {
        var rsa = Self.rsaMembers
        rsa[member] = "AQAB"
        #expect(problem(rsa) == .containsPrivateKey)
    }

    @Test("Ed25519 OKP keys load and verify EdDSA")
    func ed25519() throws {
        let privateKey = Curve25519.Signing.PrivateKey()
        let jwk = try JWK(members: [
            "kty": "OKP", "crv": "Ed25519", "kid": "ed",
            "x": .string(Base64URL.encode(privateKey.publicKey.rawRepresentation)),
        ])
        let input = Base64URL.encode(Array(#"{"alg":"EdDSA","kid":"ed"}"#.utf8)) + "." + Base64URL.encode(Array("hi".utf8))
        let signature = try privateKey.signature(for: Array(input.utf8))
        let verified = try permissiveVerifier.verify(input + "." + Base64URL.encode(signature), keys: JWKSet(keys: [jwk]))
        #expect(verified.payload == Array("hi".utf8))
    }

    @Test("A JWK Set skips bad entries, reports them, and keeps the rest")
    func setSkipsBadEntries() throws {
        var tooSmall = Self.rsaMembers
        tooSmall["kid"] = "small"
        tooSmall["n"] = .string(
            Base64URL.encode(try _RSA.Signing.PrivateKey(unsafeKeySize: .init(bitCount: 1024)).publicKey.getKeyPrimitives().modulus)
        )
        var noY = Self.ecMembers
        noY["y"] = nil
        let document: JSONValue = [
            "keys": [
                ["kty": "oct", "kid": "hmac", "k": "c2VjcmV0"],
                .object(Self.rsaMembers),
                .object(noY),
                ["kty": "XYZ", "kid": "future"],
                "not an object",
                .object(tooSmall),
                .object(Self.ecMembers),
            ]
        ]
        let set = try JWKSet(jsonData: Data(document.serialized()))
        #expect(set.keys.map(\.keyID) == ["rsa-1", "ec-1"])
        #expect(
            set.skipped == [
                .init(index: 0, keyID: "hmac", reason: .unsupportedKeyType),
                .init(index: 2, keyID: "ec-1", reason: .missingMember("y")),
                .init(index: 3, keyID: "future", reason: .unsupportedKeyType),
                .init(index: 4, keyID: nil, reason: .notAnObject),
                .init(index: 5, keyID: "small", reason: .rsaKeyTooSmall(bits: 1024)),
            ]
        )
    }

    @Test("A document that is not a JWK Set throws", arguments: ["[]", "{}", #"{"keys":{}}"#, "not json", #"{"keys":[],"keys":[]}"#])
    func notASet(_ text: String) {
        let error = joseError { _ = try JWKSet(jsonData: Data(text.utf8)) }
        #expect(error == .invalidKey(.notAKeySet) || error == .duplicateMemberName(.key))
    }

    @Test("Public JWK export round-trips and carries kid, use and alg")
    func exportRoundTrip() throws {
        for signer in [TestKeys.rsa, TestKeys.ec] as [any JWSSigningKey] {
            let exported = signer.publicJWK.jsonValue.objectValue!
            #expect(exported["use"] == "sig")
            #expect(exported["alg"] == .string(signer.algorithm.rawValue))
            #expect(exported["kid"] == signer.keyID.map { .string($0) })
            #expect(exported["d"] == nil)
            let reparsed = try JWK(jsonData: signer.publicJWK.jsonData())
            #expect(reparsed.thumbprint() == signer.publicJWK.thumbprint())
        }
        let rsa = Self.rsaMembers
        #expect(rsa["e"] == "AQAB")
        #expect(Base64URL.decode(rsa["n"]!.stringValue!)!.count == 256)
        let ec = Self.ecMembers
        #expect(ec["crv"] == "P-256")
    }

    @Test("A JWKS exported from signing keys verifies their tokens after a JSON round trip")
    func jwksExport() throws {
        let published = JWKSet(publicKeysOf: [TestKeys.rsa, TestKeys.ec]).jsonData()
        let text = String(decoding: published, as: UTF8.self)
        #expect(text.hasPrefix(#"{"keys":[{"#))
        let loaded = try JWKSet(jsonData: published)
        #expect(loaded.keys.count == 2 && loaded.skipped.isEmpty)
        for signer in [TestKeys.rsa, TestKeys.ec] as [any JWSSigningKey] {
            let token = try signer.sign(payload: Array("x".utf8))
            #expect(try permissiveVerifier.verify(token, keys: loaded).key.keyID == signer.keyID)
        }
    }
}
