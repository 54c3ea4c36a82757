import Foundation
import GRDB
import HeroDomain
import HeroStoreSQLite
import Testing

@Suite("SQLite hero repository: files, persistence and two writers")
struct PersistenceTests {
    @Test("heroes survive closing and reopening the file; reopening is idempotent")
    func reopen() async throws {
        try await withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("heroes.sqlite").path
            let first = try SQLiteHeroRepository.open(path: path)
            var heroes: [Hero] = []
            for name in ["Merry", "Pippin", "Gandalf"] {
                heroes.append(try await first.create(.sample(name)))
            }
            try await first.delete(id: heroes.removeFirst().id)
            try await first.close()

            for _ in 1...3 {
                let reopened = try SQLiteHeroRepository.open(path: path)
                #expect(try await reopened.list(.first) == heroes)
                try await reopened.close()
            }
            let migrations = try inspect(path) { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM grdb_migrations")
            }
            #expect(migrations == 1)
        }
    }

    @Test("DELETE journal mode, for network shares: no WAL file, same behaviour, and a WAL file converts")
    func deleteJournalMode() async throws {
        try await withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("heroes.sqlite").path
            let wal = try SQLiteHeroRepository.open(path: path)
            let first = try await wal.create(.sample("Before"))
            try await wal.close()

            let repository = try SQLiteHeroRepository.open(path: path, journalMode: .delete)
            let second = try await repository.create(.sample("After"))
            #expect(try await repository.list(.first) == [first, second])
            try await repository.close()
            let mode = try inspect(path) { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
            #expect(mode == "delete")
            #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
        }
    }

    @Test("opening creates missing parent folders")
    func createsFolders() async throws {
        try await withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("a/b/c/heroes.sqlite").path
            let repository = try SQLiteHeroRepository.open(path: path)
            _ = try await repository.create(.sample("Nested"))
            #expect(FileManager.default.fileExists(atPath: path))
        }
    }

    @Test("two stores on one file in one process write concurrently without 'database is locked'")
    func twoWriters() async throws {
        try await withRepository { first, path in
            let second = try SQLiteHeroRepository.open(path: path)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for repository in [first, second] {
                    for task in 0..<2 {
                        group.addTask {
                            for index in 0..<50 {
                                _ = try await repository.create(.sample("Writer \(task)-\(index)"))
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try rowCount(path) == 200)
        }
    }
}
