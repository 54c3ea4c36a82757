import Foundation
import GRDB
import HeroDomain
import HeroStoreSQLite

/// A fresh folder under the system's temporary directory, removed when `body` returns.
func withTemporaryFolder<T>(_ body: (URL) async throws -> T) async throws -> T {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("hero-store-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    return try await body(folder)
}

/// Opens a repository on `heroes.sqlite` in a fresh temporary folder.
func withRepository<T>(_ body: (SQLiteHeroRepository, String) async throws -> T) async throws -> T {
    try await withTemporaryFolder { folder in
        let path = folder.appendingPathComponent("heroes.sqlite").path
        return try await body(try SQLiteHeroRepository.open(path: path), path)
    }
}

/// Reads the file directly, bypassing the repository, to check what is really stored.
func inspect<T>(_ path: String, _ query: @escaping @Sendable (Database) throws -> T) throws -> T {
    try DatabaseQueue(path: path).read(query)
}

/// The number of rows in the hero table.
func rowCount(_ path: String) throws -> Int {
    try inspect(path) { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM hero") ?? 0 }
}

extension HeroInput {
    /// A small valid hero named `name`.
    static func sample(_ name: String, level: Int = 1) -> HeroInput {
        HeroInput(name: name, race: "Elf", heroClass: "Wizard", level: level, hitPoints: 10, armorClass: 12, speed: 30)
    }
}
