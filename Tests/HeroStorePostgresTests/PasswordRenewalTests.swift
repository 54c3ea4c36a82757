import Foundation
import HeroDomain
import HeroStorePostgres
import Logging
import PostgresTestSupport
import Synchronization
import Testing

@Suite("PostgreSQL hero repository: a password that expires (an Entra token) is renewed for new connections")
struct PasswordRenewalTests {
    /// What a token provider hands out: the current password, lasting `lifetime` from the call.
    final class TokenSource: Sendable {
        private let state: Mutex<(password: String, calls: Int)>
        let lifetime: TimeInterval

        init(_ password: String, lifetime: TimeInterval) {
            state = Mutex((password, 0))
            self.lifetime = lifetime
        }

        func issue() -> DatabasePassword {
            state.withLock { state in
                state.calls += 1
                return DatabasePassword(state.password, expiresAt: Date().addingTimeInterval(lifetime))
            }
        }

        func rotate(to password: String) { state.withLock { $0.password = password } }
        var calls: Int { state.withLock { $0.calls } }
    }

    @Test("after the role's password changes and its sessions end, the renewed pool signs in with the new one")
    func renewedPoolSignsInAgain() async throws {
        // A cluster of its own: only there do roles sign in with a password.
        let server = try await PostgresTestServer.start(passwordAuthentication: true)
        let database = try await server.createDatabase()
        try await server.execute("CREATE ROLE renewing LOGIN PASSWORD 'first-token'")
        try await server.execute("ALTER DATABASE \(database) OWNER TO renewing")
        // Tokens last 2 s and are renewed 1 s before they expire: a new pool about every second.
        let tokens = TokenSource("first-token", lifetime: 2)
        var configuration = PostgresHeroRepository.Configuration(
            url: try PostgresURL("postgres://renewing@127.0.0.1:\(server.port)/\(database)?sslmode=disable")
        ) { tokens.issue() }
        configuration.renewalMargin = .seconds(1)
        configuration.operationTimeout = .seconds(5)
        let repository = try await PostgresHeroRepository.open(configuration, logger: Logger(label: "test"))
        let running = Task { try await repository.run() }
        defer { running.cancel() }
        let hero = try await repository.create(AvailabilityTests.sample)

        // The token the pool started with stops working, as an expired Entra token does, and
        // the sessions opened with it end: only a pool with a fresh token can reconnect.
        try await server.execute("ALTER ROLE renewing PASSWORD 'second-token'")
        tokens.rotate(to: "second-token")
        try await server.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'renewing'")

        var answered: Hero?
        let deadline = ContinuousClock.now + .seconds(60)
        while answered == nil, ContinuousClock.now < deadline {
            answered = try? await repository.get(id: hero.id)
        }
        #expect(answered == hero, "a pool signing in with the expired token cannot reconnect")
        #expect(tokens.calls >= 2, "the provider was asked again before the first token expired")
        #expect(try await repository.list(.first).map(\.id) == [hero.id])
        running.cancel()
        try await server.remove()
    }

    @Test("a password that does not expire is asked for once: no renewal, one pool")
    func lastingPasswordIsAskedOnce() async throws {
        let url = try PostgresURL(try await freshDatabaseURL())
        let calls = Mutex(0)
        let configuration = PostgresHeroRepository.Configuration(url: url) {
            calls.withLock { $0 += 1 }
            return DatabasePassword("ignored-by-trust")
        }
        let repository = try await PostgresHeroRepository.open(configuration, logger: Logger(label: "test"))
        let running = Task { try await repository.run() }
        defer { running.cancel() }
        _ = try await repository.create(AvailabilityTests.sample)
        #expect(try await repository.list(.first).count == 1)
        #expect(calls.withLock { $0 } == 1)
    }
}
