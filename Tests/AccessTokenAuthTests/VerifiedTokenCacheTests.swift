import Foundation
import Testing

@testable import AccessTokenAuth

@Suite("Verified-token cache: bounded, and cheap to keep bounded")
struct VerifiedTokenCacheTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)
    let principal = Principal(objectID: "oid", tenantID: "tid", clientID: "azp", scopes: [], roles: [], name: nil, subject: nil)

    func key(_ token: String) -> VerifiedTokenCache.Key {
        VerifiedTokenCache.Key(token: Substring(token))
    }

    /// Inserts `token`, verified by key "k", expiring `lifetime` seconds after `at`.
    func insert(_ cache: VerifiedTokenCache, _ token: String, at: TimeInterval, lifetime: TimeInterval) {
        let now = start.addingTimeInterval(at)
        cache.insert(key(token), principal: principal, expiration: now.addingTimeInterval(lifetime), keyThumbprint: "k", now: now)
    }

    func found(_ cache: VerifiedTokenCache, _ token: String, at: TimeInterval) -> Bool {
        cache.principal(for: key(token), now: start.addingTimeInterval(at), thumbprints: ["k"]) != nil
    }

    @Test("a cache full of live tokens stays at its capacity and keeps the newest")
    func fullOfLiveTokens() {
        let cache = VerifiedTokenCache(capacity: 4)
        for number in 0..<20 {
            insert(cache, "token-\(number)", at: Double(number) * 0.01, lifetime: 100)
            #expect(cache.count <= 4)
        }
        #expect(cache.count == 4)
        #expect(found(cache, "token-19", at: 0.5))
        #expect(found(cache, "token-16", at: 0.5))
        #expect(!found(cache, "token-15", at: 0.5))
    }

    @Test("a token in use survives turnovers; one unused for a generation goes")
    func generations() {
        // Generations of 2.
        let cache = VerifiedTokenCache(capacity: 4)
        insert(cache, "kept", at: 0, lifetime: 100)
        insert(cache, "unused", at: 0, lifetime: 100)
        for number in 0..<10 {
            // "kept" is asked for once per generation: each time it moves to the current one.
            #expect(found(cache, "kept", at: Double(number)))
            insert(cache, "token-\(number)", at: Double(number), lifetime: 100)
            #expect(cache.count <= 4)
        }
        #expect(!found(cache, "unused", at: 10))
        #expect(found(cache, "kept", at: 10))
        #expect(cache.statistics == .init(hits: 11, misses: 1))
    }

    @Test("an expired token asked for from the previous generation does not turn the generations over")
    func expiredInPreviousGeneration() {
        // Generations of 2: a and b become the previous generation, c and d fill the current one.
        let cache = VerifiedTokenCache(capacity: 4)
        insert(cache, "a", at: 0, lifetime: 1)
        insert(cache, "b", at: 0, lifetime: 100)
        insert(cache, "c", at: 0, lifetime: 100)
        insert(cache, "d", at: 0, lifetime: 100)
        #expect(!found(cache, "a", at: 2))
        #expect(cache.count == 3)
        #expect(found(cache, "b", at: 2))
        #expect(found(cache, "c", at: 2))
        #expect(found(cache, "d", at: 2))
    }

    @Test("expired tokens and tokens of a retired key are never answered, and are dropped when asked for")
    func expired() {
        let cache = VerifiedTokenCache(capacity: 10)
        insert(cache, "short", at: 0, lifetime: 0.5)
        insert(cache, "long", at: 0, lifetime: 100)
        #expect(found(cache, "short", at: 0.4))
        #expect(!found(cache, "short", at: 0.5))
        #expect(cache.count == 1)
        #expect(cache.principal(for: key("long"), now: start, thumbprints: ["another"]) == nil)
        #expect(cache.count == 0)
        // At most the maximum lifetime, whatever the token's own expiry.
        insert(cache, "day", at: 0, lifetime: 86_400)
        #expect(found(cache, "day", at: VerifiedTokenCache.maximumLifetime - 1))
        #expect(!found(cache, "day", at: VerifiedTokenCache.maximumLifetime))
    }

    @Test("tokens that differ anywhere, even in their last character, are different keys")
    func keys() {
        let token = String(repeating: "a", count: 1_200)
        #expect(key(token) == key(String(token)))
        #expect(key(token) != key(token + "b"))
        #expect(key(token) != key(String(token.dropLast()) + "b"))
        #expect(key(String(token.dropFirst())) != key(token))
        // A token cut out of a longer header, as the middleware hands it over.
        let header = "Bearer " + token
        #expect(VerifiedTokenCache.Key(token: header.dropFirst(7)) == key(token))
    }
}
