import GRDB
import GRDBSQLite
import HeroDomain

/// The heroes of a statement that selects ``HeroRecord/heroColumns`` first, read from the
/// statement's columns by position while it is on each row: the read path of
/// `GET /api/heroes/{id}`.
///
/// GRDB's `Row.fetchCursor` first makes a `Row` for the statement, which asks SQLite for every
/// column's name and lowercases it into a dictionary, for lookups by name that this path never
/// makes: 14 strings and a dictionary on every read. GRDB's public `DatabaseCursor` protocol
/// lets a type of ours be the cursor instead: GRDB still steps the statement and reports its
/// errors. As the protocol asks, the cursor resets the statement when it is made and when it
/// is released, so the read's implicit transaction ends even if the cursor stops early.
final class HeroCursor: DatabaseCursor {
    typealias Element = Hero

    let _statement: Statement
    var _isDone = false

    /// A cursor over `statement`, reset and bound to `arguments`.
    init(_ statement: Statement, arguments: StatementArguments) throws {
        _statement = statement
        try statement.setArguments(arguments)
    }

    deinit {
        sqlite3_reset(_statement.sqliteStatement)
    }

    func _element(sqliteStatement: SQLiteStatement) throws -> Hero {
        try HeroRecord.hero(StatementRow(statement: sqliteStatement))
    }
}

extension HeroRecord {
    /// The hero with `id`, read with `statement`, a preparation of ``selectHeroByID`` that
    /// nothing else uses meanwhile (see ``ReadConnections/withPreparedStatement(_:)``); nil
    /// when there is none. SQLite's C API, as GRDB would call it, without GRDB's machinery.
    static func hero(id: HeroID, with statement: SQLiteStatement) throws -> Hero? {
        var text = id.description
        return try text.withUTF8 { bytes in
            // SQLITE_STATIC (no destructor): SQLite reads the id from `bytes`, which must
            // outlive the binding, so it is cleared before they go.
            defer { sqlite3_clear_bindings(statement) }
            try check(sqlite3_bind_text(statement, 1, bytes.baseAddress, CInt(bytes.count), nil), statement)
            switch sqlite3_step(statement) {
            case SQLITE_ROW: return try hero(StatementRow(statement: statement))
            case SQLITE_DONE: return nil
            case let code: try check(code, statement)
            }
            return nil
        }
    }

    /// Throws GRDB's error for an SQLite result code other than `SQLITE_OK`.
    private static func check(_ code: CInt, _ statement: SQLiteStatement) throws {
        guard code != SQLITE_OK else { return }
        throw DatabaseError(
            resultCode: ResultCode(rawValue: code),
            message: String(cString: sqlite3_errmsg(sqlite3_db_handle(statement))),
            sql: selectHeroByID
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
