import Crypto
import Foundation
import Synchronization

/// Tokens that already passed validation, so a client repeating its token does not pay for
/// an RSA verification on every request.
///
/// Keyed by the SHA-256 of the token (the token itself is not kept), as a ``Key``. An entry lives until the
/// token's `exp`, at most ``maximumLifetime``, and is ignored once the key that verified it is
/// no longer in the authority's key set. The number of entries is bounded.
///
/// A lock, not an actor: a lookup is a few hundred nanoseconds of work, and two actor hops per
/// request would cost more than that and queue every request of the process on one executor.
final class VerifiedTokenCache: Sendable {
    /// The SHA-256 of a token, as the cache's key: four machine words, compared and hashed as
    /// such. `SHA256Digest` as a key compared in constant time through closures on every probe
    /// of the table, which perf showed as a quarter of a request with a new token. Constant
    /// time buys nothing here: an attacker who learnt how much of a stored digest their token's
    /// digest matches would still need a SHA-256 preimage to use it.
    struct Key: Hashable {
        private let words: (UInt64, UInt64, UInt64, UInt64)

        /// The key of the token whose UTF-8 is `token`.
        init(token: Substring) {
            var token = token
            let digest = token.withUTF8 { SHA256.hash(data: UnsafeRawBufferPointer($0)) }
            words = digest.withUnsafeBytes { bytes in
                (
                    bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
                    bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                    bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self),
                    bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
                )
            }
        }

        static func == (lhs: Key, rhs: Key) -> Bool {
            lhs.words == rhs.words
        }

        /// One word is enough: a digest's bits are uniform, and the table's hasher is seeded.
        func hash(into hasher: inout Hasher) {
            hasher.combine(words.0)
        }
    }

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

    /// How often, at most, a full cache walks its entries to drop the expired ones.
    static let sweepInterval: TimeInterval = 1

    private struct State {
        var entries: [Key: Entry] = [:]
        var statistics = Statistics()
        /// When a full cache last dropped its expired entries.
        var lastSweep = Date.distantPast
    }

    private let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int = 10_000) {
        self.capacity = capacity
        // Room for all of them at once: a full cache never grows or shrinks its table.
        state.withLock { $0.entries.reserveCapacity(capacity) }
    }

    /// The principal of a token verified earlier, if the entry is still good at `now` and its
    /// key is among `thumbprints`.
    func principal(for key: Key, now: Date, thumbprints: Set<String>) -> Principal? {
        state.withLock { state in
            guard let entry = state.entries[key] else {
                state.statistics.misses += 1
                return nil
            }
            guard now < entry.expiresAt, thumbprints.contains(entry.keyThumbprint) else {
                state.entries[key] = nil
                state.statistics.misses += 1
                return nil
            }
            state.statistics.hits += 1
            return entry.principal
        }
    }

    /// Remembers a verified token until `expiration` (at most ``maximumLifetime`` from `now`).
    func insert(_ key: Key, principal: Principal, expiration: Date?, keyThumbprint: String, now: Date) {
        let limit = now.addingTimeInterval(Self.maximumLifetime)
        let entry = Entry(principal: principal, expiresAt: min(expiration ?? limit, limit), keyThumbprint: keyThumbprint)
        state.withLock { state in
            if state.entries.count >= capacity {
                // A sweep walks (and copies) every entry, under the lock: at most once per
                // interval, or a cache kept full by new tokens (a burst of clients, or a flood)
                // would pay that on every insert and hold every other request behind it.
                if now.timeIntervalSince(state.lastSweep) >= Self.sweepInterval {
                    let expired = state.entries.compactMap { $0.value.expiresAt <= now ? $0.key : nil }
                    for key in expired { state.entries[key] = nil }
                    state.lastSweep = now
                }
                // Still full of live entries: drop one; the next request with it verifies again.
                if state.entries.count >= capacity { state.entries.remove(at: state.entries.startIndex) }
            }
            state.entries[key] = entry
        }
    }

    /// Lookups so far (for tests and metrics).
    var statistics: Statistics { state.withLock { $0.statistics } }

    /// How many entries are held (for tests and metrics).
    var count: Int { state.withLock { $0.entries.count } }
}
