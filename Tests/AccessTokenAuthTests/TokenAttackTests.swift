import Crypto
import Foundation
import JOSE
import Logging
import TestSupport
import Testing

@testable import AccessTokenAuth

@Suite("Forged and malformed access tokens")
struct TokenAttackTests {
    let clock = ManualClock()
    let authority = FakeAuthority(keys: [TestKeys.primary])

    func validator() -> AccessTokenValidator {
        makeValidator(authority, clock: clock)
    }

    var claims: [String: JSONValue] { TestTokens.v2Claims(now: clock.date) }

    private func expectRefused(_ token: String, _ reason: String) async {
        let validator = validator()
        // The text the WWW-Authenticate header carries.
        await #expect {
            try await validator.validate(token[...])
        } throws: { error in
            (error as? AccessTokenError)?.description == reason
        }
    }

    @Test("alg none, in any spelling, is refused", arguments: ["none", "None", "NONE", "nOnE"])
    func algNone(alg: String) async {
        let token = TestTokens.raw(header: ["alg": .string(alg), "typ": "JWT"], claims: claims) { _ in [] }
        await expectRefused(token, "Unsecured tokens (alg none) are not accepted")
    }

    @Test("HS256 keyed with the public key is refused")
    func hmacWithPublicKey() async {
        let publicKey = TestKeys.primary.publicJWK.jsonData()
        let token = TestTokens.raw(header: ["alg": "HS256", "typ": "JWT", "kid": "key-1"], claims: claims) { input in
            Array(HMAC<SHA256>.authenticationCode(for: input, using: SymmetricKey(data: publicKey)))
        }
        await expectRefused(token, "The token algorithm is not supported")
    }

    @Test("an algorithm we implement but did not allow (RS512) is refused")
    func algorithmNotAllowed() async throws {
        let key = try RSASigningKey(privateKey: TestKeys.primary.privateKey, keyID: "key-1", algorithm: .rs512)
        await expectRefused(try key.sign(payload: JSONValue.object(claims).serialized()), "The token algorithm RS512 is not allowed")
    }

    @Test("a key embedded in the header (jwk) is never trusted")
    func embeddedJWK() async {
        let token = TestTokens.sign(claims, key: TestKeys.attacker, header: ["jwk": TestKeys.attacker.publicJWK.jsonValue])
        await expectRefused(token, "The token signature is invalid")
    }

    @Test("a key URL in the header (jku, x5u) is never fetched")
    func keyURLs() async {
        let evil = try! RSASigningKey(privateKey: TestKeys.attacker.privateKey, keyID: "evil")
        let token = TestTokens.sign(claims, key: evil, header: ["jku": "https://evil.example/keys", "x5u": "https://evil.example/cert"])
        await expectRefused(token, "No trusted key can verify the token")
        #expect(!authority.requests.contains { $0.contains("evil.example") })
    }

    @Test("crit and b64=false are refused")
    func criticalAndUnencoded() async {
        await expectRefused(
            TestTokens.sign(claims, header: ["crit": ["exp"], "exp": 1]),
            "The token has critical header extensions, which are not supported"
        )
        await expectRefused(TestTokens.sign(claims, header: ["b64": false]), "Tokens with an unencoded payload are not supported")
    }

    @Test("a changed signature or payload is refused")
    func tampered() async {
        let token = TestTokens.sign(claims)
        let parts = token.split(separator: ".").map(String.init)
        var signature = Base64URL.decode(parts[2])!
        signature[10] ^= 0x01
        await expectRefused("\(parts[0]).\(parts[1]).\(Base64URL.encode(signature))", "The token signature is invalid")

        let forged = TestTokens.sign(claims) { $0["scp"] = "Heroes.Read Heroes.Write Heroes.Delete" }
        let forgedPayload = forged.split(separator: ".")[1]
        await expectRefused("\(parts[0]).\(forgedPayload).\(parts[2])", "The token signature is invalid")
    }

    @Test("a token over 16 KiB is refused before it is parsed")
    func oversized() async {
        let token = TestTokens.sign(claims) { $0["padding"] = .string(String(repeating: "x", count: 17 * 1024)) }
        await expectRefused(token, "The token is larger than 16384 bytes")
    }

    @Test("garbage is refused", arguments: ["not-a-jwt", "a.b", "a.b.c.d", "....", "eyJ.eyJ.sig"])
    func garbage(token: String) async {
        let validator = validator()
        await #expect(throws: AccessTokenError.self) { try await validator.validate(token[...]) }
    }

    @Test("absurd dates in a correctly signed token are a 401, not a crash", arguments: ["nbf", "iat", "exp"])
    func absurdDates(claim: String) async {
        let token = TestTokens.sign(claims) { $0[claim] = .number(1e300) }
        await expectRefused(token, "The token \(claim) claim is not a date of years 1 to 9999")
    }
}
