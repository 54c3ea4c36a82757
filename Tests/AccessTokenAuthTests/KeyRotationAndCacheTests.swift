import Foundation
import JOSE
import Logging
import OIDCCore
import TestSupport
import Testing

@testable import AccessTokenAuth

@Suite("Signing keys: rotation, rate limits, outages, and the verified-token cache")
struct KeyRotationAndCacheTests {
    let clock = ManualClock()
    let authority = FakeAuthority(keys: [TestKeys.primary])

    func keys(_ policy: JWKSCache.Policy = .init()) -> JWKSCache {
        makeKeys(authority, clock: clock, policy: policy)
    }

    func validator(_ keys: JWKSCache) -> AccessTokenValidator {
        makeValidator(authority, clock: clock, keys: keys)
    }

    func token(_ key: RSASigningKey = TestKeys.primary, change: (inout [String: JSONValue]) -> Void = { _ in }) -> Substring {
        TestTokens.sign(TestTokens.v2Claims(now: clock.date), key: key, change: change)[...]
    }

    @Test("a token signed with a newly rotated key is accepted without a restart")
    func rotation() async throws {
        let validator = validator(keys())
        _ = try await validator.validate(token())
        authority.publish(JWKSet(publicKeysOf: [TestKeys.primary, TestKeys.rotated]))
        _ = try await validator.validate(token(TestKeys.rotated))
        #expect(authority.jwksFetches == 2)
    }

    @Test("unknown key ids cause at most one refetch per 60 seconds")
    func unknownKeyRateLimit() async throws {
        let validator = validator(keys())
        _ = try await validator.validate(token())
        for _ in 0..<10 {
            await #expect(throws: AccessTokenError.invalidToken(.noMatchingKey)) {
                try await validator.validate(token(TestKeys.rotated))
            }
        }
        #expect(authority.jwksFetches == 2, "one initial fetch, one for the first unknown kid")

        clock.advance(by: .seconds(61))
        authority.publish(JWKSet(publicKeysOf: [TestKeys.rotated]))
        _ = try await validator.validate(token(TestKeys.rotated))
        #expect(authority.jwksFetches == 3)
    }

    @Test("a thousand concurrent first requests cause one discovery and one key fetch")
    func singleFlight() async throws {
        authority.setDelay(.milliseconds(100))
        let validator = validator(keys())
        let token = token()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<1000 {
                group.addTask { _ = try await validator.validate(token) }
            }
            try await group.waitForAll()
        }
        #expect(authority.jwksFetches == 1)
        #expect(authority.requests.count == 2)
    }

    @Test("a thousand concurrent unknown key ids cause one refetch")
    func singleFlightUnknownKey() async throws {
        let validator = validator(keys())
        _ = try await validator.validate(token())
        authority.setDelay(.milliseconds(100))
        authority.publish(JWKSet(publicKeysOf: [TestKeys.primary, TestKeys.rotated]))
        let rotated = token(TestKeys.rotated)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<1000 {
                group.addTask { _ = try await validator.validate(rotated) }
            }
            try await group.waitForAll()
        }
        #expect(authority.jwksFetches == 2)
    }

    @Test("during an outage the last good keys stay in use")
    func outage() async throws {
        let keys = keys()
        let validator = validator(keys)
        _ = try await validator.validate(token())
        authority.setDown(true)
        clock.advance(by: .seconds(13 * 3600))
        // The stale keys are served while the refresh fails in the background.
        _ = try await validator.validate(token { $0["jti"] = "a" })
        try await Task.sleep(for: .milliseconds(50))
        _ = try await validator.validate(token { $0["jti"] = "b" })
        #expect(await keys.hasKeys)
        #expect(authority.jwksFetches == 2)
    }

    @Test("keys are refreshed in the background after 12 hours")
    func periodicRefresh() async throws {
        let keys = keys()
        #expect(await keys.keys() != nil)
        clock.advance(by: .seconds(12 * 3600))
        authority.publish(JWKSet(publicKeysOf: [TestKeys.rotated]))
        let stale = await keys.keys()
        #expect(stale?.keys.keys.first?.keyID == "key-1", "the old keys are served while the refresh runs")
        try await Task.sleep(for: .milliseconds(100))
        #expect(await keys.keys()?.keys.keys.first?.keyID == "key-2")
    }

    @Test("with the authority down from the start, tokens get 503 until it comes back")
    func authorityDownAtStart() async throws {
        authority.setDown(true)
        let keys = keys()
        await keys.prefetch()
        let validator = validator(keys)
        await #expect(throws: AccessTokenError.keysUnavailable) { try await validator.validate(token()) }
        authority.setDown(false)
        clock.advance(by: .seconds(3))
        _ = try await validator.validate(token())
    }

    @Test("stale keys are used while the authority is down, but not beyond 24 hours: then 503 until it is back")
    func maximumStaleness() async throws {
        let keys = keys()
        let validator = validator(keys)
        _ = try await validator.validate(token())
        authority.setDown(true)
        clock.advance(by: .seconds(23 * 3600))
        // 23 hours old: still trusted while refreshes fail.
        _ = try await validator.validate(token())
        clock.advance(by: .seconds(3600))
        await #expect(throws: AccessTokenError.keysUnavailable) { try await validator.validate(token()) }
        #expect(await keys.currentKeys() == nil, "/readyz sees no keys")
        authority.setDown(false)
        clock.advance(by: .seconds(3))
        #expect(await keys.currentKeys() != nil, "a successful refresh makes them usable again")
        _ = try await validator.validate(token())
    }

    @Test("discovery naming another issuer is not trusted")
    func discoveryIssuerMismatch() async {
        authority.advertise(issuer: "https://evil.example/v2.0")
        let validator = validator(keys())
        await #expect(throws: AccessTokenError.keysUnavailable) { try await validator.validate(token()) }
        #expect(authority.jwksFetches == 0)
    }

    @Test("the key set is bounded")
    func boundedKeySet() async throws {
        let many = (0..<100).map { ES256SigningKey(keyID: "ec-\($0)") }
        authority.publish(JWKSet(publicKeysOf: many))
        let snapshot = try #require(await keys(JWKSCache.Policy(maximumKeys: 32)).keys())
        #expect(snapshot.keys.keys.count == 32)
    }

    @Test("a repeated token is not verified again")
    func cacheHit() async throws {
        let validator = validator(keys())
        let token = token()
        let first = try await validator.validate(token)
        for _ in 0..<5 { #expect(try await validator.validate(token) == first) }
        #expect(validator.cache.statistics == .init(hits: 5, misses: 1))
    }

    @Test("a cached token dies with its expiry, and at most 5 minutes after it was verified")
    func cacheLifetime() async throws {
        let validator = validator(keys())
        let shortLived = token { $0["exp"] = .number(clock.date.timeIntervalSince1970 + 60) }
        _ = try await validator.validate(shortLived)
        clock.advance(by: .seconds(61 + 300))
        await #expect(throws: AccessTokenError.self) { try await validator.validate(shortLived) }

        let longLived = token()
        _ = try await validator.validate(longLived)
        clock.advance(by: .seconds(301))
        _ = try await validator.validate(longLived)
        #expect(validator.cache.statistics.misses == 4)
    }

    @Test("a cached token dies when its key leaves the key set")
    func cacheDiesWithKey() async throws {
        let validator = validator(keys())
        let old = token()
        _ = try await validator.validate(old)
        authority.publish(JWKSet(publicKeysOf: [TestKeys.rotated]))
        _ = try await validator.validate(token(TestKeys.rotated))  // unknown kid: refetch, key-1 is gone
        await #expect(throws: AccessTokenError.invalidToken(.noMatchingKey)) {
            try await validator.validate(old)
        }
    }
}
