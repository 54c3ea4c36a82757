import Foundation
import HTTPKit
import OIDCCore

/// How discovery is retried while the provider cannot be reached yet (it may be starting too,
/// as in `make dev`): a number of attempts with a fixed pause between them.
public struct DiscoveryRetry: Sendable {
    /// hero-client's policy: 20 attempts, 500 ms apart (about ten seconds).
    public static let startup = DiscoveryRetry(attempts: 20, delay: .milliseconds(500))
    /// One attempt, no retry.
    public static let none = DiscoveryRetry(attempts: 1, delay: .zero)

    /// How many times discovery is tried, at least once.
    public var attempts: Int
    /// The pause between two attempts.
    public var delay: Duration
    /// How a pause is waited; tests inject one that returns at once.
    public var sleep: Sleep

    /// Creates a policy.
    public init(attempts: Int, delay: Duration, sleep: @escaping Sleep = Sleeping.task) {
        self.attempts = max(1, attempts)
        self.delay = delay
        self.sleep = sleep
    }
}

extension ProviderMetadata {
    /// ``fetch(issuer:tenantID:httpClient:)``, tried again after `retrying.delay` while the
    /// provider is unreachable, up to `retrying.attempts` times.
    ///
    /// Only ``OIDCError/unreachable(_:)`` is retried: a provider that answers, but with a
    /// wrong document or status, and settings that cannot work, fail at once. When every
    /// attempt fails (or the pause is cancelled) the last error is thrown.
    public static func fetch(
        issuer: String,
        tenantID: String? = nil,
        httpClient: some HTTPClient,
        retrying policy: DiscoveryRetry
    ) async throws(OIDCError) -> ProviderMetadata {
        var attempt = 1
        while true {
            do {
                return try await fetch(issuer: issuer, tenantID: tenantID, httpClient: httpClient)
            } catch {
                let failure = error
                guard case .unreachable = failure, attempt < policy.attempts else { throw failure }
                do {
                    try await policy.sleep(policy.delay)
                } catch {
                    throw failure
                }
                attempt += 1
            }
        }
    }
}
