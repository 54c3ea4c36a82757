import Foundation
import GRDB
import HeroDomain
import Synchronization

/// Heroes in an SQLite file, through GRDB: the ``HeroRepository`` the server runs on.
///
/// Open it once per process with ``open(path:journalMode:)`` and share it; the actor owns the
/// connection pool. Every write is one transaction, committed with a full sync before the call
/// returns, so a hero the caller was told about survives the process being killed (and the
/// machine losing power).
public actor SQLiteHeroRepository: HeroRepository {
    /// How SQLite journals the writes.
    public enum JournalMode: String, Sendable, CaseIterable {
        /// Write-ahead log (the default): readers never wait for the writer. WAL keeps its
        /// index in shared memory, which only a local disk provides safely.
        case wal
        /// Rollback journal, deleted after each commit: for files on a network share, such as
        /// `/home` of Azure App Service (SMB), where WAL's shared memory can corrupt the file.
        /// One connection serves reads and writes in turn.
        case delete
    }

    /// The database file (`:memory:` for an in-memory database).
    public nonisolated let path: String
    private let database: any DatabaseWriter
    /// The read path of a WAL file (nil in other journal modes): see ``ReadConnections``.
    private let readers: ReadConnections?
    /// The calls on their way through GRDB's writer, plus ``closedFlag`` once ``close()``
    /// began: GRDB crashes on a read through a closed `DatabaseQueue` rather than throwing, so
    /// `close()` refuses new calls and waits for these before it closes anything.
    private let callsInFlight = Atomic(0)
    private static let closedFlag = 1 << 40

    /// Works on `database` and brings its schema up to date (GRDB records which migrations
    /// ran, so this is idempotent). The writer comes from ``DatabaseFile/open(path:journalMode:)``
    /// for the server, or is an in-memory `DatabaseQueue` in a test. A file in WAL mode gets
    /// its ``ReadConnections``.
    public init(database: any DatabaseWriter) throws(HeroStoreError) {
        self.database = database
        self.path = DatabaseFile.filePath(sqliteName: database.path)
        do {
            try HeroSchema.migrator.migrate(database)
        } catch {
            throw HeroStoreError(.migrationFailed, path: path, reason: Self.reason(error))
        }
        do {
            let journalMode = try database.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
            self.readers =
                journalMode == "wal"
                ? try ReadConnections(
                    name: database.path,
                    count: ReadConnections.defaultCount,
                    configuration: database.configuration,
                    preparing: HeroRecord.ReadStatement.allCases.map(\.sql)
                )
                : nil
        } catch {
            throw HeroStoreError(.cannotOpen, path: path, reason: Self.reason(error))
        }
    }

    /// Opens (or creates) the database file at `path` through ``DatabaseFile``, with all its
    /// checks, and brings its schema up to date. Throws ``HeroStoreError`` naming the path.
    public static func open(path: String, journalMode: JournalMode = .wal) throws(HeroStoreError) -> SQLiteHeroRepository {
        try SQLiteHeroRepository(database: DatabaseFile.open(path: path, journalMode: journalMode))
    }

    public func create(_ input: HeroInput) async throws(HeroError) -> Hero {
        let now = Date()
        let record = HeroRecord(id: .random(), details: try input.validated(), createdAt: now, updatedAt: now)
        try await perform { try await database.write { db in try record.insert(db) } }
        return record.hero
    }

    /// The hero with `id`, or ``HeroError/notFound(_:)``.
    public nonisolated func get(id: HeroID) async throws(HeroError) -> Hero {
        guard let hero = try await read(.heroByID, id, HeroRecord.hero(id:with:)) else { throw .notFound(id) }
        return hero
    }

    /// One row more than the page holds is read: it only tells whether a next page exists.
    /// A page after a cursor is a keyset query on `seq` (its primary key), so it starts right
    /// after the cursor's hero whatever was created or deleted since.
    public nonisolated func listing(_ page: Page) async throws(HeroError) -> HeroListing {
        let rows = try await read(HeroRecord.ReadStatement(reading: page), page, HeroRecord.pageRows(_:with:))
        return HeroListing(rows: rows, limit: page.limit)
    }

    public func replace(id: HeroID, with input: HeroInput) async throws(HeroError) -> Hero {
        let details = try input.validated()
        let record = try await perform {
            try await database.write { db -> HeroRecord in
                guard var record = try HeroRecord.filter(id: id).fetchOne(db) else {
                    throw HeroError.notFound(id)
                }
                record.details = details
                record.updatedAt = Date()
                try record.update(db)
                return record
            }
        }
        return record.hero
    }

    public func delete(id: HeroID) async throws(HeroError) {
        let deleted = try await perform {
            try await database.write { db in try HeroRecord.filter(id: id).deleteAll(db) }
        }
        guard deleted > 0 else { throw .notFound(id) }
    }

    /// Closes the database once the calls in flight end; later calls fail with
    /// ``HeroError/storageFailure(_:)``.
    public func close() async throws(HeroError) {
        callsInFlight.bitwiseOr(Self.closedFlag, ordering: .sequentiallyConsistent)
        // Writes resume on this actor: yielding, not spinning, lets them finish.
        while callsInFlight.load(ordering: .sequentiallyConsistent) != Self.closedFlag {
            await Task.yield()
        }
        do {
            try readers?.close()
            try database.close()
        } catch {
            throw .storageFailure(Self.reason(error))
        }
    }

    /// Runs a read, turning GRDB's errors into ``HeroError``. Reads need no isolation: they do
    /// not queue behind the actor's writes.
    ///
    /// In WAL mode a read never waits for the writer, and takes tens of microseconds: it runs
    /// right here, on the calling thread, on one of ``ReadConnections``, instead of hopping to
    /// one of GRDB's dispatch queues and back, a pair of thread wake-ups that cost more than
    /// the read. When all of them are taken, and in DELETE mode, where reads wait behind
    /// writes for the disk, the read goes through the writer with GRDB's async API, so no
    /// thread of Swift's small cooperative pool is blocked meanwhile.
    private nonisolated func read<T: Sendable>(_ value: @escaping @Sendable (Database) throws -> T) async throws(HeroError) -> T {
        do {
            if let readers, let result = try readers.read(value) {
                return result
            }
            try enter()
            defer { leave() }
            return try await database.read(value)
        } catch let error as HeroError {
            throw error
        } catch {
            throw .storageFailure(Self.reason(error))
        }
    }

    /// `body(input, statement)`: with `statement` as a free read connection prepared it (the
    /// hot paths of ``get(id:)`` and ``listing(_:)``, see
    /// ``ReadConnections/withPreparedStatement(_:_:)``), else, in DELETE mode or when every
    /// connection is taken, as GRDB caches it on the writer, through ``read(_:)``.
    ///
    /// `input` is passed apart from `body` so that `body` captures nothing: a closure holding the
    /// id cost every read by id a heap allocation for its context (callgrind), which only the
    /// read through the writer needs.
    private nonisolated func read<Input: Sendable, T: Sendable>(
        _ statement: HeroRecord.ReadStatement,
        _ input: Input,
        _ body: @escaping @Sendable (Input, SQLiteStatement) throws -> T
    ) async throws(HeroError) -> T {
        do {
            if let readers, let result = try readers.withPreparedStatement(statement.rawValue, { try body(input, $0) }) {
                return result
            }
        } catch {
            throw .storageFailure(Self.reason(error))
        }
        return try await read { db in try body(input, db.cachedStatement(sql: statement.sql).sqliteStatement) }
    }

    /// Runs a database operation, turning GRDB's errors into ``HeroError``.
    private func perform<T: Sendable>(_ operation: () async throws -> T) async throws(HeroError) -> T {
        try enter()
        defer { leave() }
        do {
            return try await operation()
        } catch let error as HeroError {
            throw error
        } catch {
            throw .storageFailure(Self.reason(error))
        }
    }

    /// Counts a call going through the writer, or throws ``HeroError/storageFailure(_:)`` once
    /// the store is closing. Every successful `enter()` is paired with a ``leave()``.
    private nonisolated func enter() throws(HeroError) {
        var current = callsInFlight.load(ordering: .relaxed)
        while current & Self.closedFlag == 0 {
            let (entered, now) = callsInFlight.compareExchange(expected: current, desired: current + 1, ordering: .sequentiallyConsistent)
            if entered { return }
            current = now
        }
        throw .storageFailure("The hero store is closed")
    }

    private nonisolated func leave() {
        callsInFlight.subtract(1, ordering: .sequentiallyConsistent)
    }

    /// A short, path-free explanation of a GRDB or file-system error.
    static func reason(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            return "\(error.message ?? "SQLite error") (SQLite code \(error.extendedResultCode.rawValue))"
        }
        return String(describing: error)
    }
}
