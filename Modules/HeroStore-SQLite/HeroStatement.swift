import GRDB
import GRDBSQLite
import HeroDomain

extension HeroRecord {
    /// The hero with `id`, read with `statement`, a preparation of ``ReadStatement/heroByID`` that
    /// nothing else uses meanwhile; nil when there is none. The hot path of
    /// `GET /api/heroes/{id}`, on a read connection's own statement
    /// (``ReadConnections/withPreparedStatement(_:_:)``) or on the one GRDB caches for the writer.
    ///
    /// SQLite's C API, as GRDB would call it: GRDB's statements bind through an array of
    /// `DatabaseValue`s, and its `Row` asks SQLite for every column's name and lowercases it
    /// into a dictionary, for lookups by name this path never makes. The columns are read by
    /// position, with the same decoding as a `Row`'s (``hero(_:)``). The statement is left
    /// reset, with no binding: its read transaction ends here, and it holds no pointer to `id`.
    static func hero(id: HeroID, with statement: SQLiteStatement) throws -> Hero? {
        var text = id.description
        return try text.withUTF8 { bytes in
            defer {
                sqlite3_reset(statement)
                sqlite3_clear_bindings(statement)
            }
            // No destructor (SQLITE_STATIC): SQLite reads the id from `bytes` while it steps.
            try check(sqlite3_bind_text(statement, 1, bytes.baseAddress, CInt(bytes.count), nil), statement)
            switch sqlite3_step(statement) {
            case SQLITE_ROW: return try hero(StatementRow(statement: statement))
            case SQLITE_DONE: return nil
            case let code: try check(code, statement)
            }
            return nil
        }
    }

    /// The rows of `page`, read with `statement`, a preparation of the statement that
    /// ``ReadStatement/init(reading:)`` names for it, which nothing else uses meanwhile: up to
    /// one more hero than the page holds (the extra one only tells that a next page exists),
    /// each with its `seq`. The path of `GET /api/heroes/` (and of `/readyz`), as
    /// ``hero(id:with:)`` is that of a hero by id, and the statement is left reset likewise.
    static func pageRows(_ page: Page, with statement: SQLiteStatement) throws -> [(sequence: Int64, hero: Hero)] {
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        let rowsAsked = Int64(page.limit + 1)
        if let cursor = page.after {
            try check(sqlite3_bind_int64(statement, 1, cursor.sequence), statement)
            try check(sqlite3_bind_int64(statement, 2, rowsAsked), statement)
        } else {
            try check(sqlite3_bind_int64(statement, 1, rowsAsked), statement)
            try check(sqlite3_bind_int64(statement, 2, Int64(page.offset)), statement)
        }
        var rows: [(sequence: Int64, hero: Hero)] = []
        rows.reserveCapacity(min(page.limit + 1, Page.first.limit + 1))
        while true {
            switch sqlite3_step(statement) {
            case SQLITE_ROW:
                let row = StatementRow(statement: statement)
                rows.append((sequence: try row.value(at: heroColumns.count), hero: try hero(row)))
            case SQLITE_DONE:
                return rows
            case let code:
                try check(code, statement)
            }
        }
    }

    /// Throws GRDB's error for an SQLite result code other than `SQLITE_OK`.
    private static func check(_ code: CInt, _ statement: SQLiteStatement) throws {
        guard code != SQLITE_OK else { return }
        throw DatabaseError(
            resultCode: ResultCode(rawValue: code),
            message: String(cString: sqlite3_errmsg(sqlite3_db_handle(statement))),
            sql: String(cString: sqlite3_sql(statement))
        )
    }
}

/// The columns of one row, by position: a GRDB `Row`, or the row a statement is on.
/// ``HeroRecord/hero(_:)`` reads a hero from either, so the hero's columns are listed once.
protocol HeroColumnSource {
    /// The value of column `index`, or an error if it holds something else.
    func value<Value: DatabaseValueConvertible & StatementColumnConvertible>(at index: Int) throws -> Value
}

extension Row: HeroColumnSource {
    func value<Value: DatabaseValueConvertible & StatementColumnConvertible>(at index: Int) throws -> Value {
        try decode(Value.self, atIndex: index)
    }
}

/// The row an SQLite statement is on (its last step answered `SQLITE_ROW`).
struct StatementRow: HeroColumnSource {
    let statement: SQLiteStatement

    func value<Value: DatabaseValueConvertible & StatementColumnConvertible>(at index: Int) throws -> Value {
        guard let value = Value.fromStatement(statement, atUncheckedIndex: CInt(index)) else {
            throw DatabaseError(resultCode: .SQLITE_MISMATCH, message: "hero column \(index) does not hold a \(Value.self)")
        }
        return value
    }
}
