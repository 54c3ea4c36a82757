#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A set of trusted public keys (RFC 7517 §5): the only place verification keys come from.
///
/// Keys named by a token itself (`jwk`, `jku`, `x5u`, `x5c` headers) are never used
/// (RFC 8725 §3.10); a token's `kid` only selects among these keys.
public struct JWKSet: Sendable {
    /// The usable keys, in document order.
    public let keys: [JWK]
    /// Entries of the source document that were not loaded, and why.
    public let skipped: [SkippedEntry]

    /// An entry of a JWK Set document that was left out.
    public struct SkippedEntry: Hashable, Sendable {
        /// Position of the entry in the `keys` array.
        public let index: Int
        /// Its `kid`, when it had a string one.
        public let keyID: String?
        /// Why it was left out.
        public let reason: JWKProblem
    }

    /// Makes a set from keys already in hand.
    public init(keys: [JWK]) {
        self.keys = keys
        self.skipped = []
    }

    /// Parses a JWK Set document.
    ///
    /// An entry of an unknown or malformed type is skipped and reported in ``skipped``;
    /// the other entries still load (RFC 7517 §5: "ignore JWKs ... that it does not
    /// understand"). Only a document that is not a JWK Set at all throws.
    public init(jsonData: some DataProtocol) throws(JOSEError) {
        let members: [String: JSONValue]
        do {
            members = try JSONParser.parseObject([UInt8](jsonData))
        } catch .duplicateMember {
            throw .duplicateMemberName(.key)
        } catch {
            throw .invalidKey(.notAKeySet)
        }
        guard case .array(let entries) = members["keys"] else { throw .invalidKey(.notAKeySet) }
        var keys: [JWK] = []
        var skipped: [SkippedEntry] = []
        for (index, entry) in entries.enumerated() {
            guard case .object(let entryMembers) = entry else {
                skipped.append(SkippedEntry(index: index, keyID: nil, reason: .notAnObject))
                continue
            }
            do {
                keys.append(try JWK(members: entryMembers))
            } catch {
                let reason: JWKProblem = if case .invalidKey(let problem) = error { problem } else { .notAnObject }
                skipped.append(
                    SkippedEntry(index: index, keyID: entryMembers["kid"]?.stringValue, reason: reason)
                )
            }
        }
        self.keys = keys
        self.skipped = skipped
    }

    /// The keys that may verify a token with this `alg` and `kid`.
    ///
    /// With a `kid`, only keys carrying exactly that `kid` are considered; without one,
    /// every key compatible with the algorithm is a candidate. A caller that wants to
    /// refuse ambiguity can require the result to have exactly one element.
    public func candidates(for algorithm: JWSAlgorithm, keyID: String?) -> [JWK] {
        keys.filter { isCandidate($0, for: algorithm, keyID: keyID) }
    }

    /// Whether `key` may verify a token with this `alg` and `kid` (see ``candidates(for:keyID:)``).
    func isCandidate(_ key: JWK, for algorithm: JWSAlgorithm, keyID: String?) -> Bool {
        // The kid is an opaque string: exact comparison, never a fallback to other keys.
        if let keyID, key.keyID != keyID { return false }
        return key.permits(algorithm)
    }

    /// Whether `key` may verify a token with this header (as ``isCandidate(_:for:keyID:)``,
    /// with the `kid` compared in place).
    func isCandidate(_ key: JWK, for header: JWSHeader) -> Bool {
        header.admitsKey(withID: key.keyID) && key.permits(header.algorithm)
    }

    /// The key with this `kid`, if any.
    public subscript(keyID keyID: String) -> JWK? {
        keys.first { $0.keyID == keyID }
    }

    /// The set as a JSON object `{"keys": [...]}`.
    public var jsonValue: JSONValue {
        .object(["keys": .array(keys.map(\.jsonValue))])
    }

    /// The set as JSON text, ready to publish at a `jwks_uri`.
    public func jsonData() -> Data {
        Data(jsonValue.serialized())
    }
}
