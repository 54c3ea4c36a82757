import Foundation
import HeroDomain
import HeroRepositoryConformance
import HeroStoreSQLite
import Testing

@Suite("SQLite hero repository: the HeroRepository conformance suite, on a file, in both journal modes")
struct ConformanceTests {
    /// WAL reads on the read connections; DELETE mode reads through the writer.
    @Test("conforms", arguments: HeroRepositoryConformance.checks, SQLiteHeroRepository.JournalMode.allCases)
    func conforms(_ check: HeroRepositoryConformance.Check, journalMode: SQLiteHeroRepository.JournalMode) async throws {
        try await withTemporaryFolder { folder in
            try await check.run {
                try SQLiteHeroRepository.open(
                    path: folder.appendingPathComponent("heroes-\(UUID().uuidString).sqlite").path,
                    journalMode: journalMode
                )
            }
        }
    }
}
