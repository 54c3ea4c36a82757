import Foundation
import GRDB
import GRDBSQLite
import HeroDomain
import SystemHarness
import Testing

@testable import HeroStoreSQLite

/// A WAL file goes through SQLite's `unix-excl` VFS (``DatabaseFile/sqliteName(path:)``):
/// WAL's index in the process's memory, so reads take no file locks, and the file the
/// process's alone while open.
@Suite("SQLite WAL file: the index in memory, the file this process's alone")
struct ExclusiveFileTests {
    /// The VFS a connection opened its main database with.
    static func vfsName(_ db: Database) -> String? {
        var name: UnsafeMutablePointer<CChar>?
        guard sqlite3_file_control(db.sqliteConnection, "main", SQLITE_FCNTL_VFSNAME, &name) == SQLITE_OK, let name else {
            return nil
        }
        defer { sqlite3_free(name) }
        return String(cString: name)
    }

    @Test("the writer and the read connections open the file at its path through unix-excl, and no -shm file appears")
    func connections() async throws {
        try await ReadConnectionsTests.withReaders(count: 2) { writer, readers in
            let path = DatabaseFile.filePath(sqliteName: writer.path)
            #expect(path.hasSuffix("/heroes.sqlite"))
            #expect(try await writer.read(Self.vfsName) == "unix-excl")
            #expect(try readers.read(Self.vfsName) == "unix-excl")
            // The URI was read as one: SQLite's own name for the file is the plain path.
            let file = try readers.read { db in
                try String.fetchOne(db, sql: "SELECT file FROM pragma_database_list WHERE name = 'main'")
            }
            #expect(file == path)
            let record = HeroRecord(id: .random(), details: .sample("Indexed"), createdAt: Date(), updatedAt: Date())
            try await writer.write { db in try record.insert(db) }
            #expect(try readers.read(ReadConnectionsTests.count) == 1)
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["heroes.sqlite", "heroes.sqlite-wal"])
        }
    }

    @Test("a path with spaces, '?', '#' and '%' names the same file through its URI")
    func awkwardPath() async throws {
        try await withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("odd name?#%41/heroes.sqlite").path
            let repository = try SQLiteHeroRepository.open(path: path)
            #expect(repository.path == path)
            let hero = try await repository.create(.sample("Odd"))
            #expect(try await repository.get(id: hero.id) == hero)
            try await repository.close()
            #expect(FileManager.default.fileExists(atPath: path))
            #expect(try rowCount(path) == 1)
        }
    }

    @Test("another process cannot open a file this one has open, waits 5 s, says why and writes nothing")
    func otherProcess() async throws {
        try await withRepository { repository, path in
            let held = try await repository.create(.sample("Held"))
            let other = try ChildProcess(try ChildProcess.builtProduct("HeroCrashWriter"), arguments: [path, "1"], environment: [:])
            #expect(await other.waitForExit() == 1)
            let message = other.output
            #expect(message.contains("Cannot open the hero database at '\(path)'"))
            #expect(message.contains("another process has the file open"))
            #expect(try await repository.list(try Page(limit: 10, offset: 0)) == [held])
        }
    }
}
