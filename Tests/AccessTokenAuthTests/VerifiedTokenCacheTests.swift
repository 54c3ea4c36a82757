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
    }

    @Test("a full cache drops its expired tokens, at most once per sweep interval")
    func sweeps() {
        let cache = VerifiedTokenCache(capacity: 3)
        insert(cache, "a", at: 0, lifetime: 0.5)
        insert(cache, "b", at: 0, lifetime: 0.5)
        insert(cache, "c", at: 0, lifetime: 100)
        // Full, a and b expired, no sweep yet: both go.
        insert(cache, "d", at: 0.6, lifetime: 0.2)
        #expect(cache.count == 2)
        insert(cache, "e", at: 0.7, lifetime: 0.1)
        #expect(cache.count == 3)
        // Full again, d and e expired, but the last sweep was 0.3 s ago: one entry makes room.
        insert(cache, "f", at: 0.9, lifetime: 100)
        #expect(cache.count == 3)
        #expect(found(cache, "f", at: 0.9))
        // A sweep interval later, the expired ones go.
        insert(cache, "g", at: 1.7, lifetime: 100)
        #expect(cache.count <= 3)
        #expect(found(cache, "g", at: 1.7))
        #expect(!found(cache, "d", at: 1.7))
        #expect(!found(cache, "e", at: 1.7))
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
