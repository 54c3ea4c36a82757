import Foundation
import HeroDomain
import PostgresNIO

/// Reading rows of the `hero` table into the domain's ``Hero``.
enum HeroRow {
    /// The columns every read selects, in the order ``heroes(_:)`` decodes them.
    static let columns =
        "id, name, race, class, level, background, alignment, hit_points, armor_class, speed, personality_traits, ideals, bonds, flaws"

    /// The types of ``columns``, in order.
    typealias Columns = (UUID, String, String, String, Int, String?, String?, Int, Int, Int, String?, String?, String?, String?)

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
            hero(try row.decode(Columns.self))
        }
    }

    /// Every row of `rows`, which selects `seq` before ``columns``, as a hero with its
    /// insertion sequence number.
    static func sequencedHeroes(_ rows: PostgresRowSequence) async throws -> [(sequence: Int64, hero: Hero)] {
        var heroes: [(sequence: Int64, hero: Hero)] = []
        let decoded = rows.decode(
            (Int64, UUID, String, String, String, Int, String?, String?, Int, Int, Int, String?, String?, String?, String?).self
        )
        for try await row in decoded {
            heroes.append(
                (row.0, hero((row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8, row.9, row.10, row.11, row.12, row.13, row.14)))
            )
        }
        return heroes
    }

    private static func hero(_ row: Columns) -> Hero {
        let details = HeroInput(
            name: row.1,
            race: row.2,
            heroClass: row.3,
            level: row.4,
            background: row.5,
            alignment: row.6,
            hitPoints: row.7,
            armorClass: row.8,
            speed: row.9,
            personalityTraits: row.10,
            ideals: row.11,
            bonds: row.12,
            flaws: row.13
        )
        return Hero(id: HeroID(row.0), details: details)
    }

    /// Whether `rows` (of a `RETURNING` clause) holds a row; reads them all.
    static func exists(_ rows: PostgresRowSequence) async throws -> Bool {
        var found = false
        for try await _ in rows { found = true }
        return found
    }
}
