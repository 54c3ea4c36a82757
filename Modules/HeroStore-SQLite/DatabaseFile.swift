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

    /// Opens (or creates) the database at `path`, syncing every commit in full: in WAL mode
    /// the one writer connection of the file (``SQLiteHeroRepository`` adds its own read
    /// connections beside it), in DELETE mode the one connection for reads and writes.
    ///
    /// Missing parent folders are created. A path that cannot be written, or a file that is
    /// not an SQLite database, throws ``HeroStoreError`` naming the path, and the existing
    /// file is left exactly as it was. The schema is not touched here.
    ///
    /// In WAL mode the file is this process's alone while it is open (see ``sqliteName(path:)``):
    /// opening it waits up to 5 seconds for another process to let go of it, then fails.
    public static func open(
        path: String,
        journalMode: SQLiteHeroRepository.JournalMode = .wal
    ) throws(HeroStoreError) -> any DatabaseWriter {
        try prepare(path: path)
        let configuration = makeConfiguration(journalMode: journalMode)
        do {
            switch journalMode {
            case .wal:
                let writer = try DatabaseQueue(path: sqliteName(path: path), configuration: configuration)
                let mode = try writer.writeWithoutTransaction { db in try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") }
                guard mode == "wal" else {
                    try writer.close()
                    throw HeroStoreError(
                        .cannotOpen,
                        path: path,
                        reason: "SQLite cannot use WAL mode here (journal mode '\(mode ?? "")'); set HVALFANGST_DB_JOURNAL_MODE=delete"
                    )
                }
                return writer
            case .delete:
                return try DatabaseQueue(path: path, configuration: configuration)
            }
        } catch let error as HeroStoreError {
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && journalMode == .wal {
            throw HeroStoreError(
                .cannotOpen,
                path: path,
                reason: "another process has the file open, and in WAL mode hero-server keeps it to itself (waited 5 s)"
            )
        } catch {
            throw HeroStoreError(.cannotOpen, path: path, reason: SQLiteHeroRepository.reason(error))
        }
    }

    /// The name SQLite opens a WAL file by: a `file:` URI that picks SQLite's `unix-excl` VFS.
    ///
    /// With the default VFS, every read of a WAL file takes and releases a lock in the
    /// `-shm` file with two `fcntl` calls, under a mutex that all connections of the process
    /// share: on two event loops reading at once, perf counted 1.9 system calls and 0.8 futex
    /// calls per read. `unix-excl` keeps WAL's index in this process's memory instead, so a
    /// read takes its locks without a system call. The price is that the file is the
    /// process's alone while open (other processes, the `sqlite3` shell included, get
    /// "database is locked"), which is what hero-server already asks: one instance per file.
    /// Every connection to the file goes through this name, with the same VFS, and opens it
    /// read-write: a read-only `unix-excl` connection would take real file locks again.
    public static func sqliteName(path: String) -> String {
        var components = URLComponents()
        components.scheme = "file"
        components.path = URL(fileURLWithPath: path).standardizedFileURL.path
        components.queryItems = [URLQueryItem(name: "vfs", value: "unix-excl")]
        return components.string!
    }

    /// The file path in a name given to SQLite: the path of a `file:` URI, or the name itself.
    static func filePath(sqliteName name: String) -> String {
        guard name.hasPrefix("file:"), let components = URLComponents(string: name) else { return name }
        return components.path
    }

    /// The connection settings of the hero store, for ``open(path:journalMode:)`` and for
    /// callers that make their own writer (an in-memory queue in a test).
    public static func makeConfiguration(journalMode: SQLiteHeroRepository.JournalMode = .wal) -> Configuration {
        var configuration = Configuration()
        configuration.label = "heroes"
        // Waits for another process's lock instead of failing at once with "database is locked":
        // in WAL mode a hero-server that is still stopping, in DELETE mode another writer.
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
