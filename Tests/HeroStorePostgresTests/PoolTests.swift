import HeroDomain
import Logging
import PostgresNIO
import PostgresTestSupport
import Testing

@testable import HeroStorePostgres

@Suite("PostgreSQL hero repository: a fixed pool, kept alive by the server's TCP keep-alives")
struct PoolTests {
    @Test("the pool opens all its connections, replaces lost ones without being asked, and each asks for TCP keep-alives")
    func fixedPool() async throws {
        let server = try await PostgresTestServer.shared()
        let database = try await server.createDatabase()
        let count = "SELECT count(*)::text FROM pg_stat_activity WHERE datname = '\(database)' AND pid <> pg_backend_pid()"
        /// Polls the server until the database has `expected` connections, for at most a minute.
        func connections(reach expected: String) async throws -> Bool {
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline {
                if try await server.strings(count, database: database) == [expected] { return true }
            }
            return false
        }
        try await withStores { stores in
            let repository = try await stores.open(server.url(database: database), connections: 3)
            #expect(try await connections(reach: "3"))

            let settings = try await repository.pool.current.withConnection { connection in
                var values: [String] = []
                let rows = try await connection.query(
                    "SELECT current_setting('tcp_keepalives_idle'), current_setting('tcp_keepalives_interval'), current_setting('tcp_keepalives_count')",
                    logger: Logger(label: "test")
                )
                for try await (idle, interval, probes) in rows.decode((String, String, String).self) {
                    values = [idle, interval, probes]
                }
                return values
            }
            #expect(settings == ["60", "10", "6"])

            // Lost connections come back with no call asking for one: the pool keeps its size.
            try await server.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(database)'")
            #expect(try await connections(reach: "3"))
        }
    }

    @Test("the pool's settings: minimum and maximum alike, no keep-alive queries, the keep-alive and name startup parameters")
    func clientConfiguration() throws {
        var configuration = PostgresHeroRepository.Configuration(
            url: try PostgresURL("postgres://app@db.example:5432/heroes?application_name=heroes")
        )
        configuration.connections = 5
        let options = configuration.clientConfiguration(password: nil).options
        #expect(options.minimumConnections == 5)
        #expect(options.maximumConnections == 5)
        #expect(options.keepAliveBehavior == nil)
        #expect(
            options.additionalStartupParameters.map(\.0) == [
                "tcp_keepalives_idle", "tcp_keepalives_interval", "tcp_keepalives_count", "application_name",
            ]
        )
        #expect((4...8).contains(PostgresHeroRepository.Configuration.defaultConnections))
    }
}
