import Crypto
import Foundation
import Synchronization

/// Tokens that already passed validation, so a client repeating its token does not pay for
/// an RSA verification on every request.
///
/// Keyed by the SHA-256 of the token (the token itself is not kept), as a ``Key``. An entry is
/// good until the token's `exp`, at most ``maximumLifetime``, and is ignored once the key that
/// verified it is no longer in the authority's key set.
///
/// The number of entries is bounded by two generations of half the capacity each: new entries
/// go into the current one; when it is full it becomes the previous one, and the generation
/// before it is dropped whole. A token found in the previous generation moves to the current
/// one, so a token in use stays, and one not seen for a generation goes, as expired ones do.
/// Dropping a whole table keeps each table's entries spread over its buckets: evicting one
/// entry at a time from the start of a full dictionary (its first bucket), as this cache did
/// first, left the live entries packed in the upper buckets, and with a new token on every
/// request perf found each lookup and insert probing long runs of them (a tenth of the request).
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

    private struct State {
        /// Entries inserted (or found in `previous`) since the last turnover.
        var current: [Key: Entry]
        /// The generation before `current`.
        var previous: [Key: Entry] = [:]
        var statistics = Statistics()

        /// Adds `entry` to the current generation, turning the generations over first when it
        /// is full. Returns the generation dropped then, for the caller to release once it let
        /// go of the lock.
        mutating func add(_ key: Key, _ entry: Entry, generationCapacity: Int) -> [Key: Entry]? {
            var dropped: [Key: Entry]?
            if current.count >= generationCapacity, current[key] == nil {
                dropped = previous
                previous = current
                current = Dictionary(minimumCapacity: generationCapacity)
            }
            current[key] = entry
            return dropped
        }
    }

    private let generationCapacity: Int
    private let state: Mutex<State>

    /// A cache of at most `capacity` entries (two generations of half as many).
    init(capacity: Int = 10_000) {
        generationCapacity = max(1, capacity / 2)
        state = Mutex(State(current: Dictionary(minimumCapacity: generationCapacity)))
    }

    /// The principal of a token verified earlier, if the entry is still good at `now` and its
    /// key is among `thumbprints`. Only a good entry moves up from the previous generation: an
    /// expired one moving up could turn the generations over and drop good ones.
    func principal(for key: Key, now: Date, thumbprints: Set<String>) -> Principal? {
        // A generation dropped by a turnover is released here, after the lock.
        let (principal, dropped) = state.withLock { state -> (Principal?, [Key: Entry]?) in
            var found = state.current[key]
            let inCurrent = found != nil
            if !inCurrent { found = state.previous[key] }
            guard let entry = found else {
                state.statistics.misses += 1
                return (nil, nil)
            }
            guard now < entry.expiresAt, thumbprints.contains(entry.keyThumbprint) else {
                state.current[key] = nil
                state.previous[key] = nil
                state.statistics.misses += 1
                return (nil, nil)
            }
            state.statistics.hits += 1
            if inCurrent { return (entry.principal, nil) }
            state.previous[key] = nil
            return (entry.principal, state.add(key, entry, generationCapacity: generationCapacity))
        }
        _ = dropped
        return principal
    }

    /// Remembers a verified token until `expiration` (at most ``maximumLifetime`` from `now`).
    func insert(_ key: Key, principal: Principal, expiration: Date?, keyThumbprint: String, now: Date) {
        let limit = now.addingTimeInterval(Self.maximumLifetime)
        let entry = Entry(principal: principal, expiresAt: min(expiration ?? limit, limit), keyThumbprint: keyThumbprint)
        let dropped = state.withLock { state in
            state.previous[key] = nil
            return state.add(key, entry, generationCapacity: generationCapacity)
        }
        _ = dropped
    }

    /// Lookups so far (for tests and metrics).
    var statistics: Statistics { state.withLock { $0.statistics } }

    /// How many entries are held (for tests and metrics).
    var count: Int { state.withLock { $0.current.count + $0.previous.count } }
}
