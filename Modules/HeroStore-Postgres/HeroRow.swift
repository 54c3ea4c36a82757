import Foundation
import HeroDomain
import PostgresNIO

/// Reading rows of the `hero` table into the domain's ``Hero``.
enum HeroRow {
    /// The columns every read selects, in the order ``heroes(_:)`` decodes them.
    static let columns =
        "id, name, race, class, level, background, alignment, hit_points, armor_class, speed, personality_traits, ideals, bonds, flaws"

    /// `GET /api/heroes/{id}`'s query, a prepared statement: postgres-nio prepares it once per
    /// connection (Parse and Describe) and afterwards sends only Bind and Execute, so neither
    /// side parses the SQL, nor the server plans it, on every read, as they do for a query
    /// sent with its text (perf put that at a tenth of hero-server's time on the read).
    ///
    /// A prepared statement outlives a change of the table's columns badly ("cached plan must
    /// not change result type"): a migration that changes them should rename the statement.
    struct ByID: PostgresPreparedStatement {
        static let name = "hero_by_id"
        static let sql = "SELECT \(columns) FROM hero WHERE id = $1"
        static let bindingDataTypes: [PostgresDataType] = [.uuid]

        /// The hero's id.
        let id: UUID

        func makeBindings() -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 1)
            bindings.append(id)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Hero {
            var cells = Cells(row)
            return try hero(&cells)
        }
    }

    /// `GET /api/heroes/`'s query for a page from an offset, prepared as ``ByID`` is: the
    /// heroes in creation order, each after its `seq`, `LIMIT $1 OFFSET $2`.
    struct PageAtOffset: PageQuery {
        static let name = "hero_page"
        static let sql = "SELECT seq, \(columns) FROM hero ORDER BY seq LIMIT $1 OFFSET $2"

        /// How many rows at most, and how many to skip.
        let limit: Int64
        let offset: Int64

        var parameters: (Int64, Int64) { (limit, offset) }
    }

    /// The query for a page after a cursor: the heroes with a `seq` above `$1`, in creation
    /// order, each after its `seq`, `LIMIT $2`.
    struct PageAfter: PageQuery {
        static let name = "hero_page_after"
        static let sql = "SELECT seq, \(columns) FROM hero WHERE seq > $1 ORDER BY seq LIMIT $2"

        /// The `seq` the page continues after, and how many rows at most.
        let sequence: Int64
        let limit: Int64

        var parameters: (Int64, Int64) { (sequence, limit) }
    }

    /// A row that selects `seq` before ``columns``, as a hero with its insertion sequence number.
    fileprivate static func sequencedHero(_ row: PostgresRow) throws -> (sequence: Int64, hero: Hero) {
        var cells = Cells(row)
        let sequence = try cells.next(Int64.self)
        return (sequence, try hero(&cells))
    }

    /// The hero in the next cells, ``columns`` in order (arguments are evaluated left to right).
    private static func hero(_ cells: inout Cells) throws -> Hero {
        let id = try cells.next(UUID.self)
        let details = HeroInput(
            name: try cells.next(String.self),
            race: try cells.next(String.self),
            heroClass: try cells.next(String.self),
            level: try cells.next(Int.self),
            background: try cells.next(String?.self),
            alignment: try cells.next(String?.self),
            hitPoints: try cells.next(Int.self),
            armorClass: try cells.next(Int.self),
            speed: try cells.next(Int.self),
            personalityTraits: try cells.next(String?.self),
            ideals: try cells.next(String?.self),
            bonds: try cells.next(String?.self),
            flaws: try cells.next(String?.self)
        )
        return Hero(id: HeroID(id), details: details)
    }

    /// A row's cells, decoded one at a time.
    ///
    /// Not `row.decode((UUID, String, ...).self)`: that variadic decoding is not specialised
    /// for the tuple, and asked the runtime for generic metadata twice per column on every
    /// row; decoding cell by cell saves a read by id about 22,000 instructions (`make
    /// count-http` with `COUNT_STORE=postgres`). `PostgresCell.decode` is inlinable, so each
    /// call here is compiled for its type.
    struct Cells {
        private var iterator: PostgresRow.Iterator

        init(_ row: PostgresRow) {
            iterator = row.makeIterator()
        }

        /// The next cell as `T`; a missing one is ``MissingColumn``.
        mutating func next<T: PostgresDecodable>(_ type: T.Type) throws -> T {
            guard let cell = iterator.next() else { throw MissingColumn() }
            return try cell.decode(T.self)
        }
    }

    /// A row with fewer columns than the query selects.
    struct MissingColumn: Error, CustomStringConvertible {
        var description: String { "a row has fewer columns than the query selects" }
    }

    /// Whether `rows` (of a `RETURNING` clause) holds a row; reads them all.
    static func exists(_ rows: PostgresRowSequence) async throws -> Bool {
        var found = false
        for try await _ in rows { found = true }
        return found
    }
}

/// What the two page queries share: two `bigint` parameters, and rows of `seq` then the hero.
protocol PageQuery: PostgresPreparedStatement where Row == (sequence: Int64, hero: Hero) {
    /// The values of `$1` and `$2`.
    var parameters: (Int64, Int64) { get }
}

extension PageQuery {
    static var bindingDataTypes: [PostgresDataType] { [.int8, .int8] }

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(parameters.0)
        bindings.append(parameters.1)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> (sequence: Int64, hero: Hero) {
        try HeroRow.sequencedHero(row)
    }

    /// Every row of the page, executed on `connection`.
    func rows(on connection: PostgresConnection, logger: Logger) async throws -> [(sequence: Int64, hero: Hero)] {
        var rows: [(sequence: Int64, hero: Hero)] = []
        for try await row in try await connection.execute(self, logger: logger) { rows.append(row) }
        return rows
    }
}
