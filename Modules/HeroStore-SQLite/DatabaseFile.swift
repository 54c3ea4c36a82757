import Foundation
import GRDB

/// Opens the SQLite file of the hero store: the one place that knows how. It checks the path
/// before SQLite touches it, so that a wrong path fails with a clear message and a file that
/// is not ours is never modified (not even by a journal-mode change), then opens a GRDB
/// writer configured for durability. ``SQLiteHeroRepository`` takes the writer from here, as
/// GRDB's demo `AppDatabase` takes its writer from the app.
public enum DatabaseFile {
    /// The 16 bytes every SQLite 3 database starts with (sqlite.org/fileformat.html §1.3.1).
    static let header = Array("SQLite format 3\0".utf8)

    /// Opens (or creates) the database at `path`: a `DatabasePool` in WAL mode, or a
    /// `DatabaseQueue` in DELETE mode, both syncing every commit in full.
    ///
    /// Missing parent folders are created. A path that cannot be written, or a file that is
    /// not an SQLite database, throws ``HeroStoreError`` naming the path, and the existing
    /// file is left exactly as it was. The schema is not touched here.
    public static func open(
        path: String,
        journalMode: SQLiteHeroRepository.JournalMode = .wal
    ) throws(HeroStoreError) -> any DatabaseWriter {
        try prepare(path: path)
        let configuration = makeConfiguration(journalMode: journalMode)
        do {
            switch journalMode {
            case .wal:
                // DatabasePool puts the file in WAL mode: readers never wait for the writer.
                let pool = try DatabasePool(path: path, configuration: configuration)
                // Turning WAL on, the pool sets `synchronous = NORMAL` on its writer, after
                // `prepareDatabase` ran; FULL again, on the one connection that commits.
                try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
                return pool
            case .delete:
                return try DatabaseQueue(path: path, configuration: configuration)
            }
        } catch {
            throw HeroStoreError(.cannotOpen, path: path, reason: SQLiteHeroRepository.reason(error))
        }
    }

    /// The connection settings of the hero store, for ``open(path:journalMode:)`` and for
    /// callers that make their own writer (an in-memory queue in a test).
    public static func makeConfiguration(journalMode: SQLiteHeroRepository.JournalMode = .wal) -> Configuration {
        var configuration = Configuration()
        configuration.label = "heroes"
        // Waits for another process's write lock instead of failing with "database is locked".
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            // In WAL mode, `synchronous = NORMAL` already survives a killed process: a commit
            // is in the WAL in the OS page cache. But it can lose the last commits on power
            // loss or a kernel crash, and we promise that an acknowledged hero is never lost,
            // so FULL: every commit syncs the WAL (or, in DELETE mode, the file) before returning.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            if journalMode == .delete { try db.execute(sql: "PRAGMA journal_mode = DELETE") }
        }
        return configuration
    }

    /// Creates the missing parent folders of `path`, and checks that an existing file there
    /// is an SQLite database (or empty, which SQLite treats as a new one).
    static func prepare(path: String) throws(HeroStoreError) {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw HeroStoreError(
                .cannotCreateFolder,
                path: path,
                reason: "cannot create the folder '\(folder.path)' (\(describe(error)))"
            )
        }

        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return }
        guard !isDirectory.boolValue else {
            throw HeroStoreError(.cannotOpen, path: path, reason: "it is a folder, not a file")
        }
        let start: Data
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            start = try handle.read(upToCount: header.count) ?? Data()
        } catch {
            throw HeroStoreError(.cannotOpen, path: path, reason: "cannot read the file (\(describe(error)))")
        }
        guard start.isEmpty || Array(start) == header else {
            throw HeroStoreError(
                .notADatabase,
                path: path,
                reason: "the file is not an SQLite database; it was left untouched"
            )
        }
    }

    /// The system's own words for a file error (e.g. "Not a directory"), without Foundation's
    /// long wrapper text.
    private static func describe(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError,
            underlying.domain == NSPOSIXErrorDomain,
            let code = POSIXErrorCode(rawValue: Int32(underlying.code))
        {
            return String(cString: strerror(code.rawValue))
        }
        return nsError.localizedDescription
    }
}
