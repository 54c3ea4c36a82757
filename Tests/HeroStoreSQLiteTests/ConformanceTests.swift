import Foundation
import HeroDomain
import HeroRepositoryConformance
import HeroStoreSQLite
import Testing

@Suite("SQLite hero repository: the HeroRepository conformance suite, on a file")
struct ConformanceTests {
    @Test("conforms", arguments: HeroRepositoryConformance.checks)
    func conforms(_ check: HeroRepositoryConformance.Check) async throws {
        try await withTemporaryFolder { folder in
            try await check.run {
                try SQLiteHeroRepository.open(path: folder.appendingPathComponent("heroes-\(UUID().uuidString).sqlite").path)
            }
        }
    }
}
