import Foundation
import GRDB
import HeroDomain
import HeroStoreSQLite
import Testing

/// What the conformance suite cannot see through ``HeroRepository``: the rows' timestamps,
/// the journal, the schema version, the writer taken from outside, and closing.
@Suite("SQLite hero repository: timestamps, schema and connection")
struct RepositoryTests {
    /// `created_at` and `updated_at` of the only row.
    private func timestamps(_ path: String) throws -> (created: Date, updated: Date) {
        try inspect(path) { db in
            let row = try #require(try Row.fetchOne(db, sql: "SELECT created_at, updated_at FROM hero"))
            return (row["created_at"] as Date, row["updated_at"] as Date)
        }
    }

    @Test("create stamps created_at and updated_at with the current time")
    func createTimestamps() async throws {
        try await withRepository { repository, path in
            _ = try await repository.create(.sample("Legolas", level: 7))
            let (created, updated) = try timestamps(path)
            #expect(abs(created.timeIntervalSinceNow) < 60)
            #expect(updated == created)
        }
    }

    @Test("replace bumps updated_at and keeps created_at")
    func replaceTimestamps() async throws {
        try await withRepository { repository, path in
            let hero = try await repository.create(.sample("Frodo"))
            let before = try timestamps(path)
            try await Task.sleep(for: .milliseconds(5))
            _ = try await repository.replace(id: hero.id, with: .sample("Frodo Baggins", level: 3))
            let after = try timestamps(path)
            #expect(after.created == before.created)
            #expect(after.updated > after.created)
        }
    }

    @Test("the store uses WAL, syncs every commit in full, and records its schema version")
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

    @Test("reads by id and by page leave no read transaction open: a truncating checkpoint right after them completes")
    func readEndsItsTransaction() async throws {
        try await withTemporaryFolder { folder in
            let writer = try DatabaseFile.open(path: folder.appendingPathComponent("heroes.sqlite").path)
            let repository = try SQLiteHeroRepository(database: writer)
            let hero = try await repository.create(.sample("Checkpointed"))
            let other = try await repository.create(.sample("Also checkpointed"))
            // A read stops on the row it found; it must reset its statement then, or the read
            // connection would keep its snapshot of the WAL and the checkpoint would wait (5 s,
            // the busy timeout) and report busy.
            #expect(try await repository.get(id: hero.id) == hero)
            #expect(try await repository.listing(Page(limit: 1, offset: 0)).heroes == [hero])
            let first = try await repository.listing(Page(limit: 1, offset: 0))
            #expect(try await repository.listing(Page(limit: 5, after: try #require(first.next))).heroes == [other])
            let result = try writer.writeWithoutTransaction { db in try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
            let checkpoint = try #require(result)
            #expect(checkpoint[0] as Int == 0, "busy")
            #expect(checkpoint[1] as Int == 0, "frames left in the WAL")
            try await repository.close()
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

    @Test("after close, reads and writes fail with a storage error", arguments: SQLiteHeroRepository.JournalMode.allCases)
    func closed(journalMode: SQLiteHeroRepository.JournalMode) async throws {
        try await withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("heroes.sqlite").path
            let repository = try SQLiteHeroRepository.open(path: path, journalMode: journalMode)
            let hero = try await repository.create(.sample("Closed"))
            try await repository.close()
            let calls: [@Sendable () async throws -> Void] = [
                { _ = try await repository.list(.first) },
                { _ = try await repository.get(id: hero.id) },
                { _ = try await repository.create(.sample("After")) },
                { try await repository.delete(id: hero.id) },
            ]
            for call in calls {
                await #expect(throws: HeroError.storageFailure("The hero store is closed")) { try await call() }
            }
        }
    }

    @Test(
        "closing while calls run: each call answers or fails as closed, nothing crashes, close returns",
        arguments: SQLiteHeroRepository.JournalMode.allCases
    )
    func closeDuringCalls(journalMode: SQLiteHeroRepository.JournalMode) async throws {
        try await withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("heroes.sqlite").path
            let repository = try SQLiteHeroRepository.open(path: path, journalMode: journalMode)
            let hero = try await repository.create(.sample("Busy"))
            let closed = HeroError.storageFailure("The hero store is closed")
            let callers = 12
            let (running, started) = AsyncStream.makeStream(of: Void.self)
            // More callers than read connections, so some reads go through the writer too. Each
            // calls until the store says it is closed, and reports once it has an answer, so
            // the store closes while calls of every kind are running.
            let answered = try await withThrowingTaskGroup(of: Int.self) { group in
                for caller in 0..<callers {
                    group.addTask {
                        var answered = 0
                        while true {
                            do {
                                switch caller % 4 {
                                case 0: _ = try await repository.list(.first)
                                case 1: _ = try await repository.create(.sample("Caller \(caller)"))
                                default: #expect(try await repository.get(id: hero.id) == hero)
                                }
                            } catch let error as HeroError where error == closed {
                                return answered
                            }
                            answered += 1
                            if answered == 1 { started.yield() }
                            // A read on a read connection never suspends: without this, the
                            // callers would keep the cooperative threads from `close()`.
                            await Task.yield()
                        }
                    }
                }
                var ready = 0
                for await _ in running {
                    ready += 1
                    if ready == callers { break }
                }
                try await repository.close()
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answered.count == callers && answered.allSatisfy { $0 > 0 })
            await #expect(throws: closed) { try await repository.get(id: hero.id) }
        }
    }
}
