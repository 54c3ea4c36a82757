import HeroDomain
import HeroStorePostgres
import PostgresTestSupport
import Testing

@Suite("PostgreSQL hero repository: versioned migrations under an advisory lock")
struct MigrationTests {
    @Test("8 stores starting together on a fresh database migrate it once, and all of them work")
    func concurrentStarts() async throws {
        let server = try await PostgresTestServer.shared()
        let database = try await server.createDatabase()
        let url = server.url(database: database)
        try await withStores { stores in
            let repositories = try await withThrowingTaskGroup(of: PostgresHeroRepository.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await stores.open(url, connections: 2) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(repositories.count == 8)
            let recorded = try await server.strings("SELECT identifier FROM schema_migrations ORDER BY identifier", database: database)
            #expect(recorded == ["v1.createHero"])
            // Each store sees what another wrote: one schema, one table.
            let hero = try await repositories[0].create(
                .init(name: "Aragorn", race: "Human", heroClass: "Ranger", level: 9, hitPoints: 90, armorClass: 16, speed: 30)
            )
            for repository in repositories {
                #expect(try await repository.get(id: hero.id) == hero)
            }
        }
    }

    @Test("opening a store again on a migrated database changes nothing and keeps the heroes")
    func reopen() async throws {
        let url = try await freshDatabaseURL()
        try await withStores { stores in
            let first = try await stores.open(url)
            let hero = try await first.create(
                .init(name: "Éowyn", race: "Human", heroClass: "Shieldmaiden", level: 8, hitPoints: 70, armorClass: 15, speed: 30)
            )
            let second = try await stores.open(url)
            #expect(try await second.list(.first) == [hero])
        }
    }
}
