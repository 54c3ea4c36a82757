import HeroDomain
import HeroRepositoryConformance
import HeroStorePostgres
import Testing

@Suite("PostgreSQL hero repository: the HeroRepository conformance suite, on a real server")
struct ConformanceTests {
    @Test("conforms", arguments: HeroRepositoryConformance.checks)
    func conforms(_ check: HeroRepositoryConformance.Check) async throws {
        try await withStores { stores in
            try await check.run {
                try await stores.open(try await freshDatabaseURL())
            }
        }
    }
}
