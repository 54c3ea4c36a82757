import Crypto
import Foundation

/// Tokens that already passed validation, so a client repeating its token does not pay for
/// an RSA verification on every request.
///
/// Keyed by the SHA-256 of the token (the token itself is not kept). An entry lives until the
/// token's `exp`, at most ``maximumLifetime``, and is ignored once the key that verified it is
/// no longer in the authority's key set. The number of entries is bounded.
actor VerifiedTokenCache {
    struct Entry {
        let principal: Principal
        let expiresAt: Date
        let keyThumbprint: String
    }

    /// The longest an entry is trusted without verifying the token again.
    static let maximumLifetime: TimeInterval = 300

    /// Lookups that found a usable entry, and those that did not.
    struct Statistics: Equatable {
        var hits = 0
        var misses = 0
    }

    private let capacity: Int
    private var entries: [SHA256Digest: Entry] = [:]
    private(set) var statistics = Statistics()

    init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    /// The principal of a token verified earlier, if the entry is still good at `now` and its
    /// key is among `thumbprints`.
    func principal(for digest: SHA256Digest, now: Date, thumbprints: Set<String>) -> Principal? {
        guard let entry = entries[digest] else {
            statistics.misses += 1
            return nil
        }
        guard now < entry.expiresAt, thumbprints.contains(entry.keyThumbprint) else {
            entries[digest] = nil
            statistics.misses += 1
            return nil
        }
        statistics.hits += 1
        return entry.principal
    }

    /// Remembers a verified token until `expiration` (at most ``maximumLifetime`` from `now`).
    func insert(_ digest: SHA256Digest, principal: Principal, expiration: Date?, keyThumbprint: String, now: Date) {
        let limit = now.addingTimeInterval(Self.maximumLifetime)
        let expiresAt = min(expiration ?? limit, limit)
        if entries.count >= capacity {
            entries = entries.filter { now < $0.value.expiresAt }
            // Still full of live entries: drop one; the next request with it verifies again.
            if entries.count >= capacity { entries.remove(at: entries.startIndex) }
        }
        entries[digest] = Entry(principal: principal, expiresAt: expiresAt, keyThumbprint: keyThumbprint)
    }

    /// How many entries are held (for tests and metrics).
    var count: Int { entries.count }
}
