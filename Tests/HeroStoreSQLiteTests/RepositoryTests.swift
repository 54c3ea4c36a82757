import Foundation
import GRDB
import HeroDomain
import HeroStoreSQLite
import Testing

@Suite("SQLite hero repository: CRUD and listing")
struct RepositoryTests {
    @Test("create assigns a random v4 id and timestamps, and get returns the same hero")
    func createAndGet() async throws {
        try await withRepository { repository, path in
            let input = HeroInput.sample("Legolas", level: 7)
            let hero = try await repository.create(input)
            #expect(hero.details == input)
            // RFC 9562 §5.4: version 4 in the high nibble of byte 6, variant 10 in byte 8.
            let bytes = hero.id.uuid.uuid
            #expect(bytes.6 >> 4 == 4)
            #expect(bytes.8 >> 6 == 0b10)
            #expect(try await repository.get(id: hero.id) == hero)

            let (created, updated) = try inspect(path) { db in
                let row = try #require(try Row.fetchOne(db, sql: "SELECT created_at, updated_at FROM hero"))
                return (row["created_at"] as Date, row["updated_at"] as Date)
            }
            #expect(abs(created.timeIntervalSinceNow) < 60)
            #expect(updated == created)
        }
    }

    @Test("two creates get different ids")
    func distinctIDs() async throws {
        try await withRepository { repository, _ in
            let first = try await repository.create(.sample("One"))
            let second = try await repository.create(.sample("Two"))
            #expect(first.id != second.id)
        }
    }

    @Test("an invalid hero is refused with every error and nothing is stored")
    func invalidCreate() async throws {
        try await withRepository { repository, path in
            var input = HeroInput.sample("")
            input.level = 99
            await #expect(
                throws: HeroError.invalid([
                    FieldError(field: "name", message: "must not be empty"),
                    FieldError(field: "level", message: "must be between 1 and 20 (got 99)"),
                ])
            ) { try await repository.create(input) }
            let count = try rowCount(path)
            #expect(count == 0)
        }
    }

    @Test("get of an unknown id is not found")
    func getMissing() async throws {
        try await withRepository { repository, _ in
            let id = HeroID.random()
            await #expect(throws: HeroError.notFound(id)) { try await repository.get(id: id) }
        }
    }

    @Test("replace changes every field but the id, and bumps updated_at")
    func replace() async throws {
        try await withRepository { repository, path in
            let hero = try await repository.create(.sample("Frodo"))
            try await Task.sleep(for: .milliseconds(5))
            var changed = HeroInput.sample("Frodo Baggins", level: 3)
            changed.flaws = "Carries a heavy burden"
            let replaced = try await repository.replace(id: hero.id, with: changed)
            #expect(replaced == Hero(id: hero.id, details: changed))
            #expect(try await repository.get(id: hero.id) == replaced)

            let (created, updated) = try inspect(path) { db in
                let row = try #require(try Row.fetchOne(db, sql: "SELECT created_at, updated_at FROM hero"))
                return (row["created_at"] as Date, row["updated_at"] as Date)
            }
            #expect(updated > created)
        }
    }

    @Test("replace of a missing id is not found and stores nothing")
    func replaceMissing() async throws {
        try await withRepository { repository, path in
            let id = HeroID.random()
            await #expect(throws: HeroError.notFound(id)) { try await repository.replace(id: id, with: .sample("Ghost")) }
            let count = try rowCount(path)
            #expect(count == 0)
        }
    }

    @Test("an invalid replace changes nothing")
    func invalidReplace() async throws {
        try await withRepository { repository, _ in
            let hero = try await repository.create(.sample("Sam"))
            await #expect(throws: HeroError.invalid([FieldError(field: "name", message: "must not be blank")])) {
                try await repository.replace(id: hero.id, with: .sample("  "))
            }
            #expect(try await repository.get(id: hero.id) == hero)
        }
    }

    @Test("delete removes the hero; deleting it again is not found")
    func deleteTwice() async throws {
        try await withRepository { repository, path in
            let keep = try await repository.create(.sample("Keep"))
            let hero = try await repository.create(.sample("Boromir"))
            try await repository.delete(id: hero.id)
            await #expect(throws: HeroError.notFound(hero.id)) { try await repository.get(id: hero.id) }
            await #expect(throws: HeroError.notFound(hero.id)) { try await repository.delete(id: hero.id) }
            #expect(try await repository.list(.first) == [keep])
            #expect(try rowCount(path) == 1)
        }
    }

    @Test("list is in creation order, paginated, and replace does not reorder")
    func listOrderAndPagination() async throws {
        try await withRepository { repository, _ in
            var created: [Hero] = []
            for name in ["A", "B", "C", "D", "E"] {
                created.append(try await repository.create(.sample(name)))
            }
            // Replacing the first hero keeps its place.
            created[0] = try await repository.replace(id: created[0].id, with: .sample("A, renamed"))

            #expect(try await repository.list(.first) == created)
            #expect(try await repository.list(Page(limit: 2, offset: 0)) == Array(created[0..<2]))
            #expect(try await repository.list(Page(limit: 2, offset: 2)) == Array(created[2..<4]))
            #expect(try await repository.list(Page(limit: 2, offset: 4)) == [created[4]])
            #expect(try await repository.list(Page(limit: 2, offset: 5)) == [])

            // Deleting one shifts the later ones, but never reorders them.
            try await repository.delete(id: created[1].id)
            #expect(try await repository.list(Page(limit: 3, offset: 1)) == Array(created[2..<5]))
        }
    }

    @Test("a hero with every field and Unicode text is stored exactly")
    func fullFidelity() async throws {
        try await withRepository { repository, _ in
            let input = HeroInput(
                name: "Ærøskøbing 勇者 🦸",
                race: "Half-Elf",
                heroClass: "Bard",
                level: 20,
                background: "Line one\nLine two",
                alignment: "Chaotic Good",
                hitPoints: 10_000,
                armorClass: 50,
                speed: 500,
                personalityTraits: "“Quoted”",
                ideals: "'; DROP TABLE hero; --",
                bonds: "",
                flaws: nil
            )
            let hero = try await repository.create(input)
            #expect(try await repository.get(id: hero.id).details == input)
        }
    }

    @Test("the store uses WAL and records its schema version")
    func journalAndSchema() async throws {
        try await withRepository { _, path in
            let (journalMode, migrations) = try inspect(path) { db in
                (
                    try String.fetchOne(db, sql: "PRAGMA journal_mode"),
                    try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
                )
            }
            #expect(journalMode == "wal")
            #expect(migrations == ["v1.createHero"])
        }
    }

    @Test(
        "DatabaseFile opens every connection with synchronous = FULL, in both journal modes",
        arguments: SQLiteHeroRepository.JournalMode.allCases
    )
    func synchronousFull(journalMode: SQLiteHeroRepository.JournalMode) async throws {
        try await withTemporaryFolder { folder in
            let writer = try DatabaseFile.open(path: folder.appendingPathComponent("heroes.sqlite").path, journalMode: journalMode)
            // 2 is FULL (sqlite.org/pragma.html#pragma_synchronous).
            #expect(try await writer.read { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") } == 2)
            #expect(try await writer.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") } == 2)
            #expect(try await writer.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") } == journalMode.rawValue)
            try writer.close()
        }
    }

    @Test("a writer given from outside is migrated: an in-memory queue works as a store")
    func injectedWriter() async throws {
        let queue = try DatabaseQueue(configuration: DatabaseFile.makeConfiguration())
        let repository = try SQLiteHeroRepository(database: queue)
        let hero = try await repository.create(.sample("In memory"))
        #expect(try await repository.get(id: hero.id) == hero)
        let migrations = try await queue.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }
        #expect(migrations == ["v1.createHero"])
        // Migrating an up-to-date writer again changes nothing.
        let again = try SQLiteHeroRepository(database: queue)
        #expect(try await again.list(.first) == [hero])
    }

    @Test("after close, operations fail with a storage error")
    func closed() async throws {
        try await withRepository { repository, _ in
            try await repository.close()
            await #expect {
                try await repository.list(.first)
            } throws: { error in
                guard case .storageFailure = error as? HeroError else { return false }
                return true
            }
        }
    }
}
