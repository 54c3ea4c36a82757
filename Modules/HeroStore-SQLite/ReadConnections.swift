import Foundation
import GRDB
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
    /// Bit `i` is set while connection `i` is free.
    private let free: Atomic<UInt64>

    /// Opens `count` (1 to 64) read connections to the WAL database SQLite knows as `name`
    /// (the writer's `path`, so the same VFS), configured as the writer is.
    init(name: String, count: Int, configuration base: Configuration) throws {
        precondition((1...64).contains(count), "1 to 64 read connections")
        var configuration = base
        configuration.label = "heroes-read"
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA query_only = ON") }
        connections = try (0..<count).map { _ in try DatabaseQueue(path: name, configuration: configuration) }
        free = Atomic(count == 64 ? .max : (1 << UInt64(count)) - 1)
    }

    /// Two per core: one for each event loop, and as many for reads from Swift's cooperative
    /// threads (tests, or routes not pinned to a loop).
    static var defaultCount: Int { min(64, max(2, 2 * ProcessInfo.processInfo.activeProcessorCount)) }

    /// `body`'s result on a free connection, or nil without waiting when every connection is
    /// taken (the caller then reads through the writer). Never nested.
    func read<T>(_ body: (Database) throws -> T) throws -> T? {
        var bits = free.load(ordering: .relaxed)
        while bits != 0 {
            let bit = UInt64(1) << UInt64(bits.trailingZeroBitCount)
            let (claimed, current) = free.compareExchange(expected: bits, desired: bits & ~bit, ordering: .acquiring)
            guard claimed else {
                bits = current
                continue
            }
            defer { free.bitwiseOr(bit, ordering: .releasing) }
            return try connections[bit.trailingZeroBitCount].unsafeRead(body)
        }
        return nil
    }

    /// Closes every connection; reads afterwards fail with GRDB's "connection is closed".
    func close() throws {
        for connection in connections {
            try connection.close()
        }
    }
}
