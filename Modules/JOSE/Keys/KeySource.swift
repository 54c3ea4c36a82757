/// Where a ``JWTValidator`` finds the keys that may verify a token, and fresher ones when
/// none of them matches.
///
/// An issuer rotates its signing keys, so a token signed by a key we have not seen yet may be
/// genuine: the validator asks its source once for newer keys before refusing it. A source
/// decides how often it really refetches (OIDCCore's `JWKSCache` rate-limits it, so a stream
/// of forged `kid`s cannot make it hammer the issuer); ``StaticKeys`` never has newer ones.
public protocol KeySource: Sendable {
    /// The keys to use now; nil when none could be loaded.
    func currentKeys() async -> KeySnapshot?
    /// Keys newer than `stale`, after a token named a key that `stale` lacks; nil when the
    /// source has none.
    func keys(newerThan stale: KeySnapshot) async -> KeySnapshot?
}

/// One version of a key source's keys, with the RFC 7638 thumbprint of each key computed once.
public struct KeySnapshot: Sendable {
    /// The keys.
    public let keys: JWKSet
    /// Increases with each version, so two snapshots of one source can be told apart.
    public let generation: Int
    /// The thumbprints of the keys, to tell whether a key is still in the set.
    public let thumbprints: Set<String>

    /// Wraps a key set.
    public init(keys: JWKSet, generation: Int) {
        self.keys = keys
        self.generation = generation
        self.thumbprints = Set(keys.keys.map { $0.thumbprint() })
    }
}

/// A fixed key set: for keys configured by hand, tests and benchmarks.
public struct StaticKeys: KeySource {
    /// The one snapshot.
    public let snapshot: KeySnapshot

    /// Wraps `keys`.
    public init(_ keys: JWKSet) {
        self.snapshot = KeySnapshot(keys: keys, generation: 0)
    }

    /// The fixed keys.
    public func currentKeys() async -> KeySnapshot? { snapshot }

    /// Never any newer keys.
    public func keys(newerThan stale: KeySnapshot) async -> KeySnapshot? { nil }
}
