import Foundation
import HeroDomain
import PostgresNIO

/// Reading rows of the `hero` table into the domain's ``Hero``.
enum HeroRow {
    /// The columns every read selects, in the order ``heroes(_:)`` decodes them.
    static let columns =
        "id, name, race, class, level, background, alignment, hit_points, armor_class, speed, personality_traits, ideals, bonds, flaws"

    /// Every row of `rows` as a hero.
    static func heroes(_ rows: PostgresRowSequence) async throws -> [Hero] {
        var heroes: [Hero] = []
        let decoded = rows.decode(
            (UUID, String, String, String, Int, String?, String?, Int, Int, Int, String?, String?, String?, String?).self
        )
        for try await row in decoded {
            heroes.append(hero(row))
        }
        return heroes
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

    private static func hero(
        _ row: (UUID, String, String, String, Int, String?, String?, Int, Int, Int, String?, String?, String?, String?)
    ) -> Hero {
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
