import Crypto
import Foundation
import Testing

@testable import JOSE

/// Rules about the protected header: alg allow-list, none, crit, b64, and key hints.
@Suite("Header rules")
struct HeaderRulesTests {
    let verifier = JWSVerifier(allowedAlgorithms: [.rs256, .es256])
    let payload = TokenForge.claims()

    @Test("alg is required")
    func algRequired() throws {
        let forged = try TokenForge.sign(header: #"{"kid":"rsa-1"}"#, payload: payload, with: TestKeys.rsa)
        #expect(throws: JOSEError.missingAlgorithm) { try verifier.verify(forged, keys: TestKeys.rsaSet) }
        let numeric = try TokenForge.sign(header: #"{"alg":256,"kid":"rsa-1"}"#, payload: payload, with: TestKeys.rsa)
        #expect(throws: JOSEError.invalidHeaderParameter(name: "alg")) { try verifier.verify(numeric, keys: TestKeys.rsaSet) }
    }

    @Test("alg must be in the caller's allow-list, even with a valid signature")
    func allowList() throws {
        let token = try TestKeys.rsa.sign(payload: Array(payload.utf8))
        let esOnly = JWSVerifier(allowedAlgorithms: [.es256])
        #expect(throws: JOSEError.algorithmNotAllowed(.rs256)) { try esOnly.verify(token, keys: TestKeys.rsaSet) }
        let nothing = JWSVerifier(allowedAlgorithms: [])
        #expect(throws: JOSEError.algorithmNotAllowed(.rs256)) { try nothing.verify(token, keys: TestKeys.rsaSet) }
        // Changing the list afterwards takes effect, and reads back as set.
        var changed = esOnly
        changed.allowedAlgorithms = [.rs256, .ps256]
        #expect(changed.allowedAlgorithms == [.rs256, .ps256])
        #expect(try changed.verify(token, keys: TestKeys.rsaSet).header.algorithm == .rs256)
    }

    @Test("none is never accepted, in any spelling", arguments: ["none", "NONE", "None", "nOnE", "noNe"])
    func none(_ spelling: String) throws {
        let header = Base64URL.encode(Array(#"{"alg":"\#(spelling)"}"#.utf8))
        let body = Base64URL.encode(Array(payload.utf8))
        for signature in ["", "c2ln"] {
            #expect(throws: JOSEError.unsecuredTokenRejected) {
                try permissiveVerifier.verify("\(header).\(body).\(signature)", keys: TestKeys.rsaSet)
            }
        }
    }

    @Test("Unknown and HMAC algorithms are unsupported", arguments: ["HS256", "HS512", "RS1", "rs256", "ES256K", "A128KW", ""])
    func unsupported(_ alg: String) throws {
        let forged = try TokenForge.sign(header: #"{"alg":"\#(alg)","kid":"rsa-1"}"#, payload: payload, with: TestKeys.rsa)
        #expect(throws: JOSEError.unsupportedAlgorithm) { try permissiveVerifier.verify(forged, keys: TestKeys.rsaSet) }
    }

    @Test("crit is rejected: we understand no extensions", arguments: [#"["exp"]"#, "[]", #""exp""#])
    func crit(_ value: String) throws {
        let forged = try TokenForge.sign(
            header: #"{"alg":"RS256","kid":"rsa-1","exp":1,"crit":\#(value)}"#,
            payload: payload,
            with: TestKeys.rsa
        )
        #expect(throws: JOSEError.criticalHeaderUnsupported) { try verifier.verify(forged, keys: TestKeys.rsaSet) }
    }

    @Test("b64:false is rejected (the signature would otherwise check the encoded payload)")
    func unencodedPayload() throws {
        let forged = try TokenForge.sign(header: #"{"alg":"RS256","kid":"rsa-1","b64":false}"#, payload: payload, with: TestKeys.rsa)
        #expect(throws: JOSEError.unencodedPayloadUnsupported) { try verifier.verify(forged, keys: TestKeys.rsaSet) }
        // b64:true is the default meaning and harmless.
        let explicit = try TokenForge.sign(header: #"{"alg":"RS256","kid":"rsa-1","b64":true}"#, payload: payload, with: TestKeys.rsa)
        _ = try verifier.verify(explicit, keys: TestKeys.rsaSet)
    }

    @Test("kid must be a string", arguments: ["1", "null", #"["rsa-1"]"#])
    func kidType(_ value: String) throws {
        let forged = try TokenForge.sign(header: #"{"alg":"RS256","kid":\#(value)}"#, payload: payload, with: TestKeys.rsa)
        #expect(throws: JOSEError.invalidHeaderParameter(name: "kid")) { try verifier.verify(forged, keys: TestKeys.rsaSet) }
    }

    @Test("An embedded jwk (or jku, x5u, x5c) is never trusted")
    func embeddedKeys() throws {
        // The attacker signs with their own key and ships it in the header.
        let attacker = TestKeys.rsaOther
        let jwk = String(decoding: attacker.publicJWK.jsonValue.serialized(), as: UTF8.self)
        for extra in [
            #""jwk":\#(jwk)"#, #""jku":"https://attacker.example/jwks""#,
            #""x5u":"https://attacker.example/cert""#, #""x5c":["MIIB"]"#,
        ] {
            let withKid = try TokenForge.sign(header: #"{"alg":"RS256","kid":"rsa-1",\#(extra)}"#, payload: payload, with: attacker)
            #expect(throws: JOSEError.signatureInvalid) { try verifier.verify(withKid, keys: TestKeys.rsaSet) }
            let withoutKid = try TokenForge.sign(header: #"{"alg":"RS256",\#(extra)}"#, payload: payload, with: attacker)
            #expect(throws: JOSEError.signatureInvalid) { try verifier.verify(withoutKid, keys: TestKeys.rsaSet) }
            let attackerKid = try TokenForge.sign(header: #"{"alg":"RS256","kid":"rsa-2",\#(extra)}"#, payload: payload, with: attacker)
            #expect(throws: JOSEError.noMatchingKey) { try verifier.verify(attackerKid, keys: TestKeys.rsaSet) }
        }
    }

    @Test("kid only selects from the caller's set: an unknown kid is not retried with other keys")
    func kidLookupOnly() throws {
        // Signed by rsa-1, but labelled with a kid the set does not have.
        let forged = try TokenForge.sign(header: #"{"alg":"RS256","kid":"not-in-set"}"#, payload: payload, with: TestKeys.rsa)
        #expect(throws: JOSEError.noMatchingKey) { try verifier.verify(forged, keys: TestKeys.rsaSet) }
        // kid comparison is exact (no case folding or trimming).
        let upper = try TokenForge.sign(header: #"{"alg":"RS256","kid":"RSA-1"}"#, payload: payload, with: TestKeys.rsa)
        #expect(throws: JOSEError.noMatchingKey) { try verifier.verify(upper, keys: TestKeys.rsaSet) }
    }

    @Test("kid is compared in place as its JSON string value: escapes count, prefixes do not")
    func kidComparedInPlace() throws {
        // "rsa\u002d1" is "rsa-1" spelled with an escape: the same kid.
        let escaped = try TokenForge.sign(header: #"{"alg":"RS256","kid":"rsa\u002d1"}"#, payload: payload, with: TestKeys.rsa)
        let verified = try verifier.verify(escaped, keys: TestKeys.rsaSet)
        #expect(verified.key.keyID == "rsa-1" && verified.header.keyID == "rsa-1")
        for near in ["rsa-", "rsa-10", "", "rsa\\u002d2"] {
            let forged = try TokenForge.sign(header: #"{"alg":"RS256","kid":"\#(near)"}"#, payload: payload, with: TestKeys.rsa)
            #expect(throws: JOSEError.noMatchingKey) { try verifier.verify(forged, keys: TestKeys.rsaSet) }
        }
    }

    @Test("typ and cty must be strings, and are read back as written", arguments: ["typ", "cty"])
    func mediaTypes(name: String) throws {
        let forged = try TokenForge.sign(header: #"{"alg":"RS256","kid":"rsa-1","\#(name)":1}"#, payload: payload, with: TestKeys.rsa)
        #expect(throws: JOSEError.invalidHeaderParameter(name: name)) { try verifier.verify(forged, keys: TestKeys.rsaSet) }
        let token = try TokenForge.sign(header: #"{"alg":"RS256","kid":"rsa-1","\#(name)":"at+jwt"}"#, payload: payload, with: TestKeys.rsa)
        let header = try verifier.verify(token, keys: TestKeys.rsaSet).header
        #expect((name == "typ" ? header.type : header.contentType) == "at+jwt")
        #expect(header.members[name] == .string("at+jwt") && header[name] == .string("at+jwt"))
    }

    @Test("Without kid, compatible keys are tried; exactly-one policy can refuse ambiguity")
    func kidlessSelection() throws {
        let keys = JWKSet(keys: [TestKeys.rsaOther.publicJWK, TestKeys.rsa.publicJWK, TestKeys.ec.publicJWK])
        let forged = try TokenForge.sign(header: #"{"alg":"RS256"}"#, payload: payload, with: TestKeys.rsa)
        #expect(try verifier.verify(forged, keys: keys).key.keyID == "rsa-1")
        #expect(keys.candidates(for: .rs256, keyID: nil).count == 2)
        let strict = JWSVerifier(allowedAlgorithms: [.rs256], keySelection: .exactlyOneCandidate)
        #expect(throws: JOSEError.ambiguousKey(candidates: 2)) { try strict.verify(forged, keys: keys) }
        let single = JWKSet(keys: [TestKeys.rsa.publicJWK, TestKeys.ec.publicJWK])
        #expect(try strict.verify(forged, keys: single).key.keyID == "rsa-1")
    }

    @Test("A modified payload or signature fails")
    func tampering() throws {
        let token = try TestKeys.rsa.sign(payload: Array(payload.utf8))
        let parts = token.split(separator: ".").map(String.init)
        let otherPayload = Base64URL.encode(Array(TokenForge.claims(extra: #","admin":true"#).utf8))
        #expect(throws: JOSEError.signatureInvalid) {
            try verifier.verify([parts[0], otherPayload, parts[2]].joined(separator: "."), keys: TestKeys.rsaSet)
        }
        var signature = Base64URL.decode(parts[2])!
        signature[10] ^= 1
        #expect(throws: JOSEError.signatureInvalid) {
            try verifier.verify([parts[0], parts[1], Base64URL.encode(signature)].joined(separator: "."), keys: TestKeys.rsaSet)
        }
        #expect(throws: JOSEError.malformedSignature) {
            try verifier.verify([parts[0], parts[1], Base64URL.encode(signature.dropLast())].joined(separator: "."), keys: TestKeys.rsaSet)
        }
    }
}
