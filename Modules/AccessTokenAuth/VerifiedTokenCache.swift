import Crypto
import Foundation
import Synchronization

/// Tokens that already passed validation, so a client repeating its token does not pay for
/// an RSA verification on every request.
///
/// Keyed by the SHA-256 of the token (the token itself is not kept). An entry lives until the
/// token's `exp`, at most ``maximumLifetime``, and is ignored once the key that verified it is
/// no longer in the authority's key set. The number of entries is bounded.
///
/// A lock, not an actor: a lookup is a few hundred nanoseconds of work, and two actor hops per
/// request would cost more than that and queue every request of the process on one executor.
final class VerifiedTokenCache: Sendable {
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

    private struct State {
        var entries: [SHA256Digest: Entry] = [:]
        var statistics = Statistics()
    }

    private let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    /// The principal of a token verified earlier, if the entry is still good at `now` and its
    /// key is among `thumbprints`.
    func principal(for digest: SHA256Digest, now: Date, thumbprints: Set<String>) -> Principal? {
        state.withLock { state in
            guard let entry = state.entries[digest] else {
                state.statistics.misses += 1
                return nil
            }
            guard now < entry.expiresAt, thumbprints.contains(entry.keyThumbprint) else {
                state.entries[digest] = nil
                state.statistics.misses += 1
                return nil
            }
            state.statistics.hits += 1
            return entry.principal
        }
    }

    /// Remembers a verified token until `expiration` (at most ``maximumLifetime`` from `now`).
    func insert(_ digest: SHA256Digest, principal: Principal, expiration: Date?, keyThumbprint: String, now: Date) {
        let limit = now.addingTimeInterval(Self.maximumLifetime)
        let entry = Entry(principal: principal, expiresAt: min(expiration ?? limit, limit), keyThumbprint: keyThumbprint)
        state.withLock { state in
            if state.entries.count >= capacity {
                state.entries = state.entries.filter { now < $0.value.expiresAt }
                // Still full of live entries: drop one; the next request with it verifies again.
                if state.entries.count >= capacity { state.entries.remove(at: state.entries.startIndex) }
            }
            state.entries[digest] = entry
        }
    }

    /// Lookups so far (for tests and metrics).
    var statistics: Statistics { state.withLock { $0.statistics } }

    /// How many entries are held (for tests and metrics).
    var count: Int { state.withLock { $0.entries.count } }
}
