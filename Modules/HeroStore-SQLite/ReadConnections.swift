import Foundation
import GRDB
import GRDBSQLite
import Synchronization

/// Read connections to the heroes file, each taken by one read at a time, on the thread that
/// asks: the read path of a WAL database, in practice a connection per event loop.
///
/// GRDB's `DatabasePool` serves reads well, but every read there also takes a reader from a
/// pool guarded by a lock, a semaphore and a dispatch group, and runs `PRAGMA schema_version`
/// to learn whether its schema cache is stale: a second statement, with its own WAL read lock,
/// for every `SELECT`. perf put that at a sixth of `GET /api/heroes/{id}`. Here a read claims a
/// free connection with one atomic compare-and-exchange and runs its one statement; SQLite
/// itself prepares a cached statement again if the schema changed (`sqlite3_prepare_v3`), so
/// the hand-written SQL of the hot path stays correct without GRDB's schema cache.
///
/// Each read is one statement in SQLite's implicit transaction, so it sees one committed
/// state, as a read through a pool does; writes stay on the single writer. The connections
/// open the file read-write, as its writer does (a read-only connection would leave the
/// `unix-excl` VFS's in-process locking, see ``DatabaseFile/sqliteName(path:)``), and
/// refuse writes with `PRAGMA query_only`.
final class ReadConnections: Sendable {
    private let connections: [DatabaseQueue]
    /// The statements each connection prepared once, by connection, then in the order of
    /// their SQL at `init`: see ``withPreparedStatement(_:_:)``.
    private let statements: [[PreparedStatement]]
    /// Bit `i` is set while connection `i` is free.
    private let free: Atomic<UInt64>
    /// Every connection's bit.
    private let all: UInt64
    private let closed = Atomic(false)

    /// A statement SQLite prepared on one of the connections. SQLite lets a statement be used
    /// from any thread, one at a time: only the read that claimed its connection uses it.
    private struct PreparedStatement: @unchecked Sendable {
        let handle: SQLiteStatement
    }

    /// Opens `count` (1 to 64) read connections to the WAL database SQLite knows as `name`
    /// (the writer's `path`, so the same VFS), configured as the writer is, and prepares each
    /// of `sql` on each: the statements of the frequent reads.
    init(name: String, count: Int, configuration base: Configuration, preparing sql: [String]) throws {
        precondition((1...64).contains(count), "1 to 64 read connections")
        var configuration = base
        configuration.label = "heroes-read"
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA query_only = ON") }
        connections = try (0..<count).map { _ in try DatabaseQueue(path: name, configuration: configuration) }
        statements = try connections.map { connection in
            try connection.inDatabase { db in
                try sql.map { sql in
                    var handle: SQLiteStatement?
                    let code = sqlite3_prepare_v3(db.sqliteConnection, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &handle, nil)
                    guard code == SQLITE_OK, let handle else {
                        throw DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage, sql: sql)
                    }
                    return PreparedStatement(handle: handle)
                }
            }
        }
        all = count == 64 ? .max : (1 << UInt64(count)) - 1
        free = Atomic(all)
    }

    /// Two per core: one for each event loop, and as many for reads from Swift's cooperative
    /// threads (tests, or routes not pinned to a loop).
    static var defaultCount: Int { min(64, max(2, 2 * ProcessInfo.processInfo.activeProcessorCount)) }

    /// `body`'s result on a free connection, or nil without waiting when every connection is
    /// taken (the caller then reads through the writer). Never nested.
    func read<T>(_ body: (Database) throws -> T) throws -> T? {
        try claim { index in try connections[index].unsafeRead(body) }
    }

    /// `body`'s result with the statement prepared at `init` from the `number`th SQL (from 0),
    /// on a free connection, or nil without waiting when every connection is taken. `body`
    /// leaves the statement reset, as ``HeroRecord/hero(id:with:)`` does, or the connection
    /// keeps its read transaction open.
    ///
    /// The hot path of `GET /api/heroes/{id}`, in SQLite's own API: through GRDB, a read also
    /// runs on the connection's dispatch queue (`DispatchQueue.sync`, a thread-specific key to
    /// check it is there), looks its statement up in a cache keyed by SQL text, and binds
    /// through an array of `DatabaseValue`s: perf put those at as much time as SQLite's own
    /// work on the statement. The connection needs none of it, as it is this read's alone.
    func withPreparedStatement<T>(_ number: Int, _ body: (SQLiteStatement) throws -> T) throws -> T? {
        try claim { index in try body(statements[index][number].handle) }
    }

    /// `body`'s result with the index of a connection claimed for it (one atomic
    /// compare-and-exchange), or nil when every connection is taken.
    private func claim<T>(_ body: (Int) throws -> T) rethrows -> T? {
        var bits = free.load(ordering: .relaxed)
        while bits != 0 {
            let bit = UInt64(1) << UInt64(bits.trailingZeroBitCount)
            let (claimed, current) = free.compareExchange(expected: bits, desired: bits & ~bit, ordering: .acquiring)
            guard claimed else {
                bits = current
                continue
            }
            defer { free.bitwiseOr(bit, ordering: .releasing) }
            return try body(bit.trailingZeroBitCount)
        }
        return nil
    }

    /// Closes every connection, once the reads in flight end; reads afterwards find every
    /// connection taken (so they go through the writer, which reports whether it is closed).
    /// Closing again does nothing.
    func close() throws {
        guard !closed.exchange(true, ordering: .relaxed) else { return }
        var taken = free.exchange(0, ordering: .acquiring)
        while taken != all {
            sched_yield()
            taken |= free.exchange(0, ordering: .acquiring)
        }
        for (connection, prepared) in zip(connections, statements) {
            connection.inDatabase { _ in
                for statement in prepared { _ = sqlite3_finalize(statement.handle) }
            }
            try connection.close()
        }
    }
}
