import Foundation
import HTTPKit
import HTTPTypes
import OIDCClient
import OIDCCore
import TestSupport
import Testing

@Suite("ProviderMetadata.fetch(retrying:): discovery while the provider starts")
struct DiscoveryRetryTests {
    /// A policy whose sleeps are recorded and, after `upAfter` of them, bring `authority` up.
    private func policy(attempts: Int, authority: FakeAuthority, upAfter: Int = .max) -> (DiscoveryRetry, SleepRecorder) {
        let sleeps = SleepRecorder { count in if count >= upAfter { authority.setDown(false) } }
        return (DiscoveryRetry(attempts: attempts, delay: .milliseconds(500)) { sleeps.sleep($0) }, sleeps)
    }

    @Test("an unreachable provider is tried again after the delay until it answers")
    func retriesUntilUp() async throws {
        let authority = FakeAuthority(keys: [TestKeys.primary])
        authority.setDown(true)
        let (retry, sleeps) = policy(attempts: 20, authority: authority, upAfter: 3)
        let metadata = try await ProviderMetadata.fetch(
            issuer: authority.issuer,
            httpClient: authority,
            retrying: retry
        )
        #expect(metadata.issuer == authority.issuer)
        #expect(sleeps.recorded == Array(repeating: .milliseconds(500), count: 3))
        #expect(authority.requests.count == 4)
    }

    @Test("after the last attempt the unreachable error is thrown, with no sleep after it")
    func givesUp() async throws {
        let authority = FakeAuthority(keys: [TestKeys.primary])
        authority.setDown(true)
        let (retry, sleeps) = policy(attempts: 4, authority: authority)
        let error = await #expect(throws: OIDCError.self) {
            try await ProviderMetadata.fetch(
                issuer: authority.issuer,
                httpClient: authority,
                retrying: retry
            )
        }
        guard case .unreachable = error else {
            Issue.record("expected unreachable, got \(String(describing: error))")
            return
        }
        #expect(authority.requests.count == 4)
        #expect(sleeps.recorded.count == 3)
    }

    @Test("a provider that answers with a wrong document fails at once")
    func invalidDocumentIsNotRetried() async throws {
        let authority = FakeAuthority(keys: [TestKeys.primary])
        authority.advertise(issuer: "https://evil.example/v2.0")
        let (retry, sleeps) = policy(attempts: 20, authority: authority)
        let error = await #expect(throws: OIDCError.self) {
            try await ProviderMetadata.fetch(
                issuer: authority.issuer,
                httpClient: authority,
                retrying: retry
            )
        }
        guard case .invalidDocument = error else {
            Issue.record("expected invalidDocument, got \(String(describing: error))")
            return
        }
        #expect(authority.requests.count == 1)
        #expect(sleeps.recorded.isEmpty)
    }

    @Test("an error status is not retried either")
    func errorStatusIsNotRetried() async throws {
        let http = ScriptedHTTPClient([.status(.serviceUnavailable), .status(.ok)])
        await #expect(throws: OIDCError.self) {
            try await ProviderMetadata.fetch(
                issuer: "https://login.example/t/v2.0",
                httpClient: http,
                retrying: DiscoveryRetry(attempts: 5, delay: .seconds(1)) { _ in }
            )
        }
        #expect(http.requests.count == 1)
    }

    @Test("a cancelled pause ends the retries with the last error")
    func cancelledPause() async throws {
        let http = ScriptedHTTPClient([.unreachable, .unreachable])
        let error = await #expect(throws: OIDCError.self) {
            try await ProviderMetadata.fetch(
                issuer: "https://login.example/t/v2.0",
                httpClient: http,
                retrying: DiscoveryRetry(attempts: 5, delay: .seconds(1)) { _ in throw CancellationError() }
            )
        }
        guard case .unreachable = error else {
            Issue.record("expected unreachable, got \(String(describing: error))")
            return
        }
        #expect(http.requests.count == 1)
    }

    @Test("the startup policy is hero-client's: 20 attempts, 500 ms apart; .none tries once")
    func policies() {
        #expect(DiscoveryRetry.startup.attempts == 20 && DiscoveryRetry.startup.delay == .milliseconds(500))
        #expect(DiscoveryRetry.none.attempts == 1)
        #expect(DiscoveryRetry(attempts: 0, delay: .zero).attempts == 1, "at least one attempt")
    }
}
