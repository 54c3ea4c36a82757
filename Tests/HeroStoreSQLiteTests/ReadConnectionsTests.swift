import Foundation
import GRDB
import HeroDomain
import Testing

@testable import HeroStoreSQLite

@Suite("SQLite read connections: the read path of a WAL file")
struct ReadConnectionsTests {
    /// A WAL file with the hero schema, its writer and `count` read connections.
    static func withReaders(count: Int, _ body: (any DatabaseWriter, ReadConnections) async throws -> Void) async throws {
        try await withTemporaryFolder { folder in
            let writer = try DatabaseFile.open(path: folder.appendingPathComponent("heroes.sqlite").path)
            try HeroSchema.migrator.migrate(writer)
            let readers = try ReadConnections(
                name: writer.path,
                count: count,
                configuration: writer.configuration,
                preparing: HeroRecord.ReadStatement.allCases.map(\.sql)
            )
            try await body(writer, readers)
            try readers.close()
            try writer.close()
        }
    }

    static func count(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM hero") ?? -1
    }

    @Test("a read sees every commit of the writer, made before or after the connection opened")
    func seesCommits() async throws {
        try await Self.withReaders(count: 2) { writer, readers in
            #expect(try readers.read(Self.count) == 0)
            for number in 1...3 {
                let record = HeroRecord(id: .random(), details: .sample("Hero \(number)"), createdAt: Date(), updatedAt: Date())
                try await writer.write { db in try record.insert(db) }
                #expect(try readers.read(Self.count) == number)
            }
        }
    }

    @Test("when every connection is taken, a read answers nil at once instead of waiting")
    func takenConnections() async throws {
        try await Self.withReaders(count: 1) { _, readers in
            let inner = try readers.read { _ in try readers.read(Self.count) }
            #expect(inner == .some(nil))
            #expect(try readers.read(Self.count) == 0)
        }
    }

    @Test("the prepared statement finds a hero by id, answers nil for an unknown id, and is taken like its connection")
    func preparedStatement() async throws {
        try await Self.withReaders(count: 1) { writer, readers in
            let record = HeroRecord(id: .random(), details: .sample("Sam"), createdAt: Date(), updatedAt: Date())
            try await writer.write { db in try record.insert(db) }
            func hero(_ id: HeroID) throws -> Hero?? {
                try readers.withPreparedStatement(HeroRecord.ReadStatement.heroByID.rawValue) { try HeroRecord.hero(id: id, with: $0) }
            }
            #expect(try hero(record.id) == .some(record.hero))
            #expect(try hero(.random()) == .some(nil))
            // Its binding does not outlive the read: the next one finds the hero it asks for.
            #expect(try hero(record.id) == .some(record.hero))
            let inner = try readers.withPreparedStatement(HeroRecord.ReadStatement.heroByID.rawValue) { _ in try readers.read(Self.count) }
            #expect(inner == .some(nil))
        }
    }

    @Test("the page statements read a page from an offset and after a cursor, one hero more than the page, each with its seq")
    func pageStatements() async throws {
        try await Self.withReaders(count: 1) { writer, readers in
            var heroes: [Hero] = []
            for number in 1...5 {
                let record = HeroRecord(id: .random(), details: .sample("Hero \(number)"), createdAt: Date(), updatedAt: Date())
                try await writer.write { db in try record.insert(db) }
                heroes.append(record.hero)
            }
            func rows(_ page: Page) throws -> [(sequence: Int64, hero: Hero)]? {
                try readers.withPreparedStatement(HeroRecord.ReadStatement(reading: page).rawValue) {
                    try HeroRecord.pageRows(page, with: $0)
                }
            }
            let first = try #require(try rows(Page(limit: 2, offset: 0)))
            #expect(first.map(\.hero) == Array(heroes[0..<3]) && first.map(\.sequence) == [1, 2, 3])
            #expect(try rows(Page(limit: 2, offset: 3))?.map(\.hero) == Array(heroes[3...]))
            #expect(try rows(Page(limit: 10, offset: 5))?.isEmpty == true)
            let second = try #require(HeroCursor(after: 2))
            let last = try #require(HeroCursor(after: 5))
            let after = try #require(try rows(Page(limit: 2, after: second)))
            #expect(after.map(\.hero) == Array(heroes[2...]) && after.map(\.sequence) == [3, 4, 5])
            #expect(try rows(Page(limit: 2, after: last))?.isEmpty == true)
            // Their bindings do not outlive the read: the same statement with another page.
            #expect(try rows(Page(limit: 1, offset: 0))?.map(\.hero) == Array(heroes[0..<2]))
        }
    }

    @Test("once closed, every connection counts as taken (the caller reads through the writer); closing again does nothing")
    func closed() async throws {
        try await Self.withReaders(count: 2) { _, readers in
            try readers.close()
            #expect(try readers.read(Self.count) == nil)
            #expect(try readers.withPreparedStatement(HeroRecord.ReadStatement.heroByID.rawValue) { _ in 1 } == nil)
            try readers.close()
        }
    }

    @Test("the connections cannot write")
    func readOnly() async throws {
        try await Self.withReaders(count: 1) { writer, readers in
            let record = HeroRecord(id: .random(), details: .sample("Sam"), createdAt: Date(), updatedAt: Date())
            try await writer.write { db in try record.insert(db) }
            #expect(throws: DatabaseError.self) {
                try readers.read { db in try db.execute(sql: "DELETE FROM hero") }
            }
            #expect(try readers.read(Self.count) == 1)
        }
    }

    @Test("many concurrent reads through a repository, more than its connections, all answer")
    func concurrentReads() async throws {
        try await withRepository { repository, _ in
            let hero = try await repository.create(.sample("Frodo"))
            let answers = try await withThrowingTaskGroup(of: Hero.self) { group in
                for _ in 0..<(4 * ReadConnections.defaultCount) {
                    group.addTask { try await repository.get(id: hero.id) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.count == 4 * ReadConnections.defaultCount)
            #expect(answers.allSatisfy { $0 == hero })
        }
    }
}
