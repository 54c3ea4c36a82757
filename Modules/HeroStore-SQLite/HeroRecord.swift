import Foundation
import GRDB
import HeroDomain

/// A row of the `hero` table. Mapped by hand rather than through `Codable`, so that each
/// column's name and type is visible here next to the schema in ``HeroSchema``.
struct HeroRecord: FetchableRecord, PersistableRecord {
    static let databaseTableName = "hero"

    /// The columns, named once.
    enum Columns {
        static let sequence = Column("seq")
        static let id = Column("id")
        static let name = Column("name")
        static let race = Column("race")
        static let heroClass = Column("class")
        static let level = Column("level")
        static let background = Column("background")
        static let alignment = Column("alignment")
        static let hitPoints = Column("hit_points")
        static let armorClass = Column("armor_class")
        static let speed = Column("speed")
        static let personalityTraits = Column("personality_traits")
        static let ideals = Column("ideals")
        static let bonds = Column("bonds")
        static let flaws = Column("flaws")
        static let createdAt = Column("created_at")
        static let updatedAt = Column("updated_at")
    }

    /// The creation order, assigned by SQLite on insert (nil until then).
    var sequence: Int64?
    var id: HeroID
    var details: HeroInput
    var createdAt: Date
    var updatedAt: Date

    init(id: HeroID, details: HeroInput, createdAt: Date, updatedAt: Date) {
        self.sequence = nil
        self.id = id
        self.details = details
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    init(row: Row) throws {
        let idString: String = row[Columns.id]
        guard let id = HeroID(idString) else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "hero.id is not a UUID")
        }
        self.sequence = row[Columns.sequence]
        self.id = id
        self.details = HeroInput(
            name: row[Columns.name],
            race: row[Columns.race],
            heroClass: row[Columns.heroClass],
            level: row[Columns.level],
            background: row[Columns.background],
            alignment: row[Columns.alignment],
            hitPoints: row[Columns.hitPoints],
            armorClass: row[Columns.armorClass],
            speed: row[Columns.speed],
            personalityTraits: row[Columns.personalityTraits],
            ideals: row[Columns.ideals],
            bonds: row[Columns.bonds],
            flaws: row[Columns.flaws]
        )
        self.createdAt = row[Columns.createdAt]
        self.updatedAt = row[Columns.updatedAt]
    }

    func encode(to container: inout PersistenceContainer) throws {
        // NULL on insert: SQLite assigns the next `seq`, which then never changes.
        container[Columns.sequence] = sequence
        container[Columns.id] = id.description
        container[Columns.name] = details.name
        container[Columns.race] = details.race
        container[Columns.heroClass] = details.heroClass
        container[Columns.level] = details.level
        container[Columns.background] = details.background
        container[Columns.alignment] = details.alignment
        container[Columns.hitPoints] = details.hitPoints
        container[Columns.armorClass] = details.armorClass
        container[Columns.speed] = details.speed
        container[Columns.personalityTraits] = details.personalityTraits
        container[Columns.ideals] = details.ideals
        container[Columns.bonds] = details.bonds
        container[Columns.flaws] = details.flaws
        container[Columns.createdAt] = createdAt
        container[Columns.updatedAt] = updatedAt
    }

    /// The record as the domain sees it.
    var hero: Hero { Hero(id: id, details: details) }

    /// The hero with a given id, as one SQL text: the hot path of `GET /api/heroes/{id}` takes
    /// it through GRDB's statement cache, prepared once per connection, where the query
    /// interface would generate, prepare and authorize the statement again on every call.
    /// Only the columns a ``Hero`` has, in the order ``hero(row:)`` reads them.
    static let selectHeroByID = """
        SELECT id, name, race, class, level, background, alignment, hit_points, armor_class, speed,
        personality_traits, ideals, bonds, flaws FROM hero WHERE id = ?
        """

    /// The hero in a row of ``selectHeroByID``, its columns read by position: reading by name
    /// searches the row's columns for each one, and the timestamps (parsed from text) are not
    /// part of a hero. Together they were a third of the read's time (perf).
    static func hero(row: Row) throws -> Hero {
        guard let id = HeroID(row[0] as String) else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "hero.id is not a UUID")
        }
        let details = HeroInput(
            name: row[1],
            race: row[2],
            heroClass: row[3],
            level: row[4],
            background: row[5],
            alignment: row[6],
            hitPoints: row[7],
            armorClass: row[8],
            speed: row[9],
            personalityTraits: row[10],
            ideals: row[11],
            bonds: row[12],
            flaws: row[13]
        )
        return Hero(id: id, details: details)
    }

    /// Requests the row with `id`.
    static func filter(id: HeroID) -> QueryInterfaceRequest<HeroRecord> {
        filter(Columns.id == id.description)
    }
}
