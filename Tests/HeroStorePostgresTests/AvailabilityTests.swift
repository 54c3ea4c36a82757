import HeroDomain
import HeroStorePostgres
import Logging
import PostgresTestSupport
import Testing

@Suite("PostgreSQL hero repository: start-up errors, a server that goes away and comes back")
struct AvailabilityTests {
    static let sample = HeroInput(name: "Gimli", race: "Dwarf", heroClass: "Fighter", level: 5, hitPoints: 50, armorClass: 18, speed: 25)

    @Test("a stopped server makes calls fail as unavailable; once it is back, the pool reconnects by itself")
    func outageAndRecovery() async throws {
        // A cluster of its own, as it is stopped midway; removed at the end, or at exit.
        let server = try await PostgresTestServer.start()
        let database = try await server.createDatabase()
        let url = server.url(database: database)
        try await withStores { stores in
            // Calls wait for a connection up to their deadline while the server is down. Three
            // seconds, not one: with the whole suite loading both cores, one second was too short
            // for a call to a healthy server (the checks after the recovery failed that way).
            let repository = try await stores.open(url, operationTimeout: .seconds(3))
            let hero = try await repository.create(Self.sample)

            try await server.stopServer()
            await #expect {
                try await repository.get(id: hero.id)
            } throws: { error in
                (error as? HeroError)?.isStorageFailure == true
            }
            await #expect {
                try await repository.create(Self.sample)
            } throws: { error in
                (error as? HeroError)?.isStorageFailure == true
            }

            try await server.startServer()
            // The same store, no new pool. Its connections are kept open, so it has been trying
            // to reopen them since the server stopped, with a back-off that grows with the
            // outage (100 ms at first, 1.25 times longer each time, at most a minute): calls of
            // up to three seconds each until it is back, for at most a minute and a half.
            var recovered: Hero?
            let deadline = ContinuousClock.now + .seconds(90)
            while recovered == nil, ContinuousClock.now < deadline {
                recovered = try? await repository.get(id: hero.id)
            }
            #expect(recovered == hero)
            #expect(try await repository.list(.first).map(\.id) == [hero.id])
            #expect(try await server.strings("SELECT count(*)::text FROM hero", database: database) == ["1"])
        }
        try await server.remove()
    }

    @Test("an open backend killed by the server is replaced: the next calls work")
    func terminatedBackends() async throws {
        let server = try await PostgresTestServer.shared()
        let database = try await server.createDatabase()
        try await withStores { stores in
            let repository = try await stores.open(server.url(database: database))
            let hero = try await repository.create(Self.sample)
            try await server.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(database)'")
            // The first calls may meet a connection the server has just closed, before the pool
            // learns it: they fail as unavailable (at the latest at their deadline, never
            // hanging), and the pool opens new ones. Under load that can take a few calls, so
            // the test allows a minute rather than a number of attempts.
            var answered: Hero?
            let deadline = ContinuousClock.now + .seconds(60)
            while answered == nil, ContinuousClock.now < deadline {
                do {
                    answered = try await repository.get(id: hero.id)
                } catch {
                    #expect((error as? HeroError)?.isStorageFailure == true)
                }
            }
            #expect(answered == hero)
        }
    }

    @Test("start-up errors say what is wrong: refused connection, TLS not offered, unknown database")
    func startErrors() async throws {
        let server = try await PostgresTestServer.shared()
        func code(_ url: String) async -> PostgresStoreError.Code? {
            do {
                _ = try await PostgresHeroRepository.open(.init(url: try PostgresURL(url)), logger: Logger(label: "test"))
                return nil
            } catch {
                return error.code
            }
        }
        // Port 1 of the loopback: nobody listens there.
        #expect(await code("postgres://postgres@127.0.0.1:1/heroes?sslmode=disable") == .cannotConnect)
        #expect(await code("postgres://postgres@127.0.0.1:\(server.port)/postgres?sslmode=require") == .tlsUnavailable)
        #expect(await code("postgres://postgres@127.0.0.1:\(server.port)/no_such_database?sslmode=disable") == .refused)
        // `prefer` falls back to a plain connection when the server offers no TLS, as libpq's does.
        #expect(await code("postgres://postgres@127.0.0.1:\(server.port)/\(try await server.createDatabase())") == nil)
    }

    @Test("the password provider is asked only when the URL has none, and its failure is a clear error")
    func passwordProvider() async throws {
        let server = try await PostgresTestServer.shared()
        let url = try PostgresURL(server.url(database: try await server.createDatabase()))
        struct NoToken: Error {}
        let failing: PostgresHeroRepository.Configuration.PasswordProvider = { throw NoToken() }
        await #expect {
            try await PostgresHeroRepository.open(.init(url: url, password: failing), logger: Logger(label: "test"))
        } throws: { error in
            (error as? PostgresStoreError)?.code == .noPassword
        }
        var withPassword = url
        withPassword.password = "ignored-by-trust"
        _ = try await PostgresHeroRepository.open(.init(url: withPassword, password: failing), logger: Logger(label: "test"))
    }
}

extension HeroError {
    /// Whether this is ``HeroError/storageFailure(_:)``.
    var isStorageFailure: Bool {
        if case .storageFailure = self { return true }
        return false
    }
}
