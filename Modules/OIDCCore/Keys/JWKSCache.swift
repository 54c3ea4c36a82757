import Foundation
import HTTPKit
import HTTPTypes
import JOSE
import Logging
import Synchronization

/// The authority's signing keys, fetched from its `jwks_uri` and kept fresh.
///
/// - Keys are refreshed every ``Policy/refreshInterval`` (12 hours, as Microsoft's libraries)
///   in the background: requests keep using the current keys meanwhile.
/// - A token signed with a key we do not know may mean the authority rotated its keys, so
///   ``keysAfterUnknownKey()`` refetches, but at most once per ``Policy/unknownKeyInterval``
///   (60 s; Microsoft waits 5 minutes, leaving a freshly rotated key refused that long), so a
///   stream of forged `kid`s cannot make us hammer the authority.
/// - Fetches are single-flight: a thousand concurrent callers share one request.
/// - When the authority is unreachable the last good keys stay in use, with a warning, but
///   only for ``Policy/maximumStaleness`` (24 hours) after they were fetched: a key the
///   authority has withdrawn must not stay trusted for as long as refreshes fail. After that
///   there are no keys (tokens get 503, `/readyz` fails) until a refresh succeeds.
///
/// The actor guards the fetching only: the current keys are also published behind a lock, so
/// that ``currentKeys()`` on the hot path of every request reads them without queueing on the
/// actor, and signature checks run on the callers' executors (``KeySource``).
public actor JWKSCache: KeySource {
    /// When to fetch.
    public struct Policy: Sendable {
        /// Age after which keys are refreshed.
        public var refreshInterval: Duration
        /// Minimum time between fetches caused by unknown key ids.
        public var unknownKeyInterval: Duration
        /// Minimum time between attempts after a failed fetch.
        public var retryInterval: Duration
        /// The most keys kept from one document; the rest are ignored with a warning.
        public var maximumKeys: Int
        /// How long after their fetch keys are used while refreshes fail.
        public var maximumStaleness: Duration

        /// Creates a policy; the defaults are the documented ones.
        public init(
            refreshInterval: Duration = .seconds(12 * 3600),
            unknownKeyInterval: Duration = .seconds(60),
            retryInterval: Duration = .seconds(2),
            maximumKeys: Int = 32,
            maximumStaleness: Duration = .seconds(24 * 3600)
        ) {
            self.refreshInterval = refreshInterval
            self.unknownKeyInterval = unknownKeyInterval
            self.retryInterval = retryInterval
            self.maximumKeys = maximumKeys
            self.maximumStaleness = maximumStaleness
        }
    }

    /// Where the keys come from.
    public enum Source: Sendable {
        /// A known `jwks_uri`.
        case jwksURI(URL)
        /// The `jwks_uri` of this issuer's discovery document, looked up on first use.
        case discovery(issuer: String, tenantID: String?)
    }

    private let source: Source
    private let httpClient: any HTTPClient
    private let policy: Policy
    private let logger: Logger
    private let now: @Sendable () -> ContinuousClock.Instant

    private var resolvedJWKSURI: URL?
    private var current: KeySnapshot?
    private var fetchedAt: ContinuousClock.Instant?
    private var lastAttempt: ContinuousClock.Instant?
    private var lastUnknownKeyFetch: ContinuousClock.Instant?
    private var inFlight: Task<KeySnapshot?, Never>?
    private var generation = 0
    /// The current keys and when they were fetched, readable without the actor.
    private nonisolated let published = Mutex<(snapshot: KeySnapshot, fetchedAt: ContinuousClock.Instant)?>(nil)

    /// Creates a cache; nothing is fetched until first use or ``prefetch()``.
    /// - Parameter now: the clock, replaceable in tests.
    public init(
        source: Source,
        httpClient: any HTTPClient,
        policy: Policy = Policy(),
        logger: Logger,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) {
        self.source = source
        self.httpClient = httpClient
        self.policy = policy
        self.logger = logger
        self.now = now
    }

    /// The current keys, fetching them first if there are none yet; nil when they could not
    /// be fetched (and the last attempt is too recent to try again). Stale keys are returned
    /// at once while a refresh runs in the background.
    public func keys() async -> KeySnapshot? {
        guard let current, let fetchedAt else {
            return await fetch(minimumInterval: policy.retryInterval)
        }
        if now() - fetchedAt >= policy.maximumStaleness {
            // Too old to trust: wait for a refresh (rate-limited) rather than serve them.
            _ = await fetch(minimumInterval: policy.retryInterval)
            return trusted(current: self.current)
        }
        if now() - fetchedAt >= policy.refreshInterval, inFlight == nil, isDue(policy.retryInterval) {
            inFlight = startFetch()
        }
        return current
    }

    /// `snapshot` while it is younger than ``Policy/maximumStaleness``, else nil.
    private func trusted(current snapshot: KeySnapshot?) -> KeySnapshot? {
        guard let fetchedAt, now() - fetchedAt < policy.maximumStaleness else { return nil }
        return snapshot
    }

    /// The keys after a token named a key id we do not have: refetched unless the last fetch
    /// was less than ``Policy/unknownKeyInterval`` ago.
    public func keysAfterUnknownKey() async -> KeySnapshot? {
        if let inFlight { return trusted(current: await inFlight.value) }
        if let last = lastUnknownKeyFetch, now() - last < policy.unknownKeyInterval { return trusted(current: current) }
        lastUnknownKeyFetch = now()
        return trusted(current: await fetch(minimumInterval: .zero) ?? current)
    }

    /// The current keys: read without the actor while they are fresh; otherwise as ``keys()``.
    public nonisolated func currentKeys() async -> KeySnapshot? {
        if let (snapshot, fetchedAt) = published.withLock({ $0 }), now() - fetchedAt < policy.refreshInterval {
            return snapshot
        }
        return await keys()
    }

    /// Keys newer than `stale` after a token named an unknown key (``keysAfterUnknownKey()``).
    public func keys(newerThan stale: KeySnapshot) async -> KeySnapshot? {
        guard let refreshed = await keysAfterUnknownKey(), refreshed.generation != stale.generation else { return nil }
        return refreshed
    }

    /// Starts loading the keys without waiting, so the first request does not have to.
    public func prefetch() {
        if current == nil, inFlight == nil { inFlight = startFetch() }
    }

    /// Whether any keys are loaded.
    public var hasKeys: Bool { current != nil }

    /// Joins the fetch in flight, or starts one if the last attempt is old enough.
    private func fetch(minimumInterval: Duration) async -> KeySnapshot? {
        if let inFlight { return await inFlight.value }
        guard isDue(minimumInterval) else { return current }
        let task = startFetch()
        inFlight = task
        return await task.value
    }

    private func isDue(_ interval: Duration) -> Bool {
        lastAttempt.map { now() - $0 >= interval } ?? true
    }

    private func startFetch() -> Task<KeySnapshot?, Never> {
        lastAttempt = now()
        return Task { await self.load() }
    }

    /// One fetch: stores the new keys, or keeps the old ones and warns.
    private func load() async -> KeySnapshot? {
        defer { inFlight = nil }
        do {
            let set = try await download()
            var keys = set.keys
            if keys.count > policy.maximumKeys {
                logger.warning("The key set has too many keys; using the first ones", metadata: ["count": "\(keys.count)"])
                keys = Array(keys.prefix(policy.maximumKeys))
            }
            for skipped in set.skipped {
                logger.warning(
                    "Skipped a key of the key set",
                    metadata: ["index": "\(skipped.index)", "kid": "\(skipped.keyID ?? "-")", "reason": "\(skipped.reason)"]
                )
            }
            generation += 1
            let snapshot = KeySnapshot(keys: JWKSet(keys: keys), generation: generation)
            if snapshot.thumbprints != current?.thumbprints {
                logger.info("Signing keys loaded", metadata: ["kids": "\(keys.compactMap(\.keyID).joined(separator: ","))"])
            }
            current = snapshot
            let fetchedAt = now()
            self.fetchedAt = fetchedAt
            published.withLock { $0 = (snapshot, fetchedAt) }
            return snapshot
        } catch {
            logger.warning(
                current == nil ? "Cannot load the signing keys" : "Cannot refresh the signing keys; keeping the last good ones",
                metadata: ["reason": "\(error)"]
            )
            return current
        }
    }

    private func download() async throws(OIDCError) -> JWKSet {
        let url = try await jwksURI()
        let body = try await httpClient.document(at: url, what: "the key set")
        do {
            return try JWKSet(jsonData: body)
        } catch {
            throw .invalidDocument("The key set at \(url.absoluteString) is not a JWK Set: \(error)")
        }
    }

    private func jwksURI() async throws(OIDCError) -> URL {
        if let resolvedJWKSURI { return resolvedJWKSURI }
        let url: URL
        switch source {
        case .jwksURI(let uri):
            if let problem = AuthorityURL.problem(with: uri) { throw .invalidConfiguration(problem) }
            url = uri
        case .discovery(let issuer, let tenantID):
            url = try await ProviderMetadata.fetch(issuer: issuer, tenantID: tenantID, httpClient: httpClient).jwksURI
        }
        resolvedJWKSURI = url
        return url
    }
}
