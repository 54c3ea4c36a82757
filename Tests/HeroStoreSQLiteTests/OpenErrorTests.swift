import Foundation
import HeroStoreSQLite
import Testing

@Suite("SQLite hero repository: paths it cannot use")
struct OpenErrorTests {
    /// Opens `path` expecting a ``HeroStoreError`` with `code` whose message names the path.
    private func expectOpenFails(_ path: String, _ code: HeroStoreError.Code) {
        #expect {
            _ = try SQLiteHeroRepository.open(path: path)
        } throws: { error in
            guard let error = error as? HeroStoreError else { return false }
            return error.code == code && error.path == path && error.description.contains(path)
        }
    }

    @Test("a file that is not SQLite fails clearly and is left byte for byte as it was")
    func garbageFile() async throws {
        try await withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("heroes.sqlite").path
            var generator = SystemRandomNumberGenerator()
            let garbage = Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) })
            try garbage.write(to: URL(fileURLWithPath: path))

            expectOpenFails(path, .notADatabase)
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == garbage)
            // Not even a journal appeared beside it.
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["heroes.sqlite"])
        }
    }

    @Test("a text file that merely starts like SQLite's header is not taken for a database")
    func almostHeader() async throws {
        try await withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("heroes.sqlite").path
            let text = Data("SQLite format 2 is not ours\n".utf8)
            try text.write(to: URL(fileURLWithPath: path))
            expectOpenFails(path, .notADatabase)
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == text)
        }
    }

    @Test("a path under a regular file cannot have its folder created")
    func parentIsAFile() async throws {
        try await withTemporaryFolder { folder in
            let blocker = folder.appendingPathComponent("not-a-folder")
            try Data("x".utf8).write(to: blocker)
            expectOpenFails(blocker.appendingPathComponent("heroes.sqlite").path, .cannotCreateFolder)
        }
    }

    @Test("a folder at the path is refused")
    func pathIsAFolder() async throws {
        try await withTemporaryFolder { folder in
            expectOpenFails(folder.path, .cannotOpen)
        }
    }

    @Test("an empty file is a new database, as SQLite treats it")
    func emptyFile() async throws {
        try await withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("heroes.sqlite").path
            #expect(FileManager.default.createFile(atPath: path, contents: Data()))
            let repository = try SQLiteHeroRepository.open(path: path)
            _ = try await repository.create(.sample("First"))
            #expect(try rowCount(path) == 1)
        }
    }
}
