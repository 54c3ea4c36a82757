import Foundation
import Synchronization
import Testing

@testable import JOSE

/// `JWTValidator` over a `KeySource`: the refetch on an unknown key, once, and nothing else.
@Suite("JWT validation with a key source")
struct KeySourceValidationTests {
    /// A source whose newer keys are scripted, counting how often it is asked for them.
    final class ScriptedSource: KeySource {
        let current: KeySnapshot
        let newer: KeySnapshot?
        private let requests = Mutex(0)

        init(current: JWKSet, newer: JWKSet?) {
            self.current = KeySnapshot(keys: current, generation: 1)
            self.newer = newer.map { KeySnapshot(keys: $0, generation: 2) }
        }

        var refetches: Int { requests.withLock { $0 } }
        func currentKeys() async -> KeySnapshot? { current }
        func keys(newerThan stale: KeySnapshot) async -> KeySnapshot? {
            requests.withLock { $0 += 1 }
            return newer
        }
    }

    let validator = JWTValidator(
        verifier: JWSVerifier(allowedAlgorithms: [.rs256]),
        policy: ClaimsPolicy(acceptedIssuers: ["https://issuer.example"], acceptedAudiences: ["api://resource"])
    )

    private func token(signedBy key: RSASigningKey) throws -> Substring {
        try TokenForge.sign(header: #"{"alg":"RS256","kid":"\#(key.keyID!)","typ":"JWT"}"#, payload: TokenForge.claims(), with: key)[...]
    }

    @Test("a known key verifies without asking the source for more")
    func knownKey() async throws {
        let source = ScriptedSource(current: TestKeys.rsaSet, newer: nil)
        let verified = try await validator.validate(
            try token(signedBy: TestKeys.rsa),
            keys: source.current,
            source: source,
            now: TestClock.now
        )
        #expect(verified.claims.subject == "user")
        #expect(source.refetches == 0)
    }

    @Test("an unknown key makes one refetch, and the rotated key then verifies")
    func rotatedKey() async throws {
        let rotated = JWKSet(keys: [TestKeys.rsa.publicJWK, TestKeys.rsaOther.publicJWK])
        let source = ScriptedSource(current: TestKeys.rsaSet, newer: rotated)
        let verified = try await validator.validate(
            try token(signedBy: TestKeys.rsaOther),
            keys: source.current,
            source: source,
            now: TestClock.now
        )
        #expect(verified.key.keyID == "rsa-2")
        #expect(source.refetches == 1)
    }

    @Test("an unknown key that the newer keys lack too is refused after one refetch")
    func stillUnknown() async throws {
        let source = ScriptedSource(current: TestKeys.rsaSet, newer: TestKeys.rsaSet)
        let token = try token(signedBy: TestKeys.rsaOther)
        await #expect(throws: JOSEError.noMatchingKey) {
            try await validator.validate(token, keys: source.current, source: source, now: TestClock.now)
        }
        #expect(source.refetches == 1)
    }

    @Test("other failures never refetch: a bad signature, an expired token")
    func otherFailures() async throws {
        let source = ScriptedSource(current: TestKeys.rsaSet, newer: nil)
        var parts = try token(signedBy: TestKeys.rsa).split(separator: ".").map(String.init)
        parts[2] = String(parts[2].reversed())
        let tampered = parts.joined(separator: ".")[...]
        await #expect(throws: JOSEError.self) {
            try await validator.validate(tampered, keys: source.current, source: source, now: TestClock.now)
        }
        let late = TestClock.now.addingTimeInterval(7200)
        await #expect(throws: JOSEError.expired(at: TestClock.now.addingTimeInterval(3600))) {
            try await validator.validate(try token(signedBy: TestKeys.rsa), keys: source.current, source: source, now: late)
        }
        #expect(source.refetches == 0)
    }

    @Test("static keys never have newer ones")
    func staticKeys() async throws {
        let source = StaticKeys(TestKeys.rsaSet)
        let snapshot = try #require(await source.currentKeys())
        #expect(snapshot.thumbprints == [TestKeys.rsa.publicJWK.thumbprint()])
        #expect(await source.keys(newerThan: snapshot) == nil)
        await #expect(throws: JOSEError.noMatchingKey) {
            try await validator.validate(try token(signedBy: TestKeys.rsaOther), keys: snapshot, source: source, now: TestClock.now)
        }
    }
}
