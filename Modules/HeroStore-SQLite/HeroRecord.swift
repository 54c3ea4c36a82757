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

    /// Reads a row of ``databaseSelection``: the hero's columns by ``hero(_:)``, then the
    /// record's own three.
    init(row: Row) throws {
        let hero = try Self.hero(row)
        let own = Self.heroColumns.count
        self.sequence = row[own]
        self.id = hero.id
        self.details = hero.details
        self.createdAt = row[own + 1]
        self.updatedAt = row[own + 2]
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

    /// The columns of a ``Hero``, in the order ``hero(_:)`` reads them: named once, for the
    /// record's selection and the hot path's SQL alike.
    static let heroColumns = [
        Columns.id, Columns.name, Columns.race, Columns.heroClass, Columns.level, Columns.background, Columns.alignment,
        Columns.hitPoints, Columns.armorClass, Columns.speed, Columns.personalityTraits, Columns.ideals, Columns.bonds,
        Columns.flaws,
    ]

    /// What every query of records selects, in this order, so that a row is read by position
    /// (reading by name searches the row's columns for each one): the hero's columns, then
    /// `seq` and the timestamps.
    static var databaseSelection: [any SQLSelectable] {
        heroColumns + [Columns.sequence, Columns.createdAt, Columns.updatedAt]
    }

    /// The statements of the reads, each one SQL text prepared once per connection (by
    /// ``ReadConnections``, or GRDB's statement cache on the writer), where the query interface
    /// would generate, prepare and authorize the statement again on every call (a page of heroes
    /// did, until 16017f4). Only the hero's columns: the timestamps, parsed from text, are not
    /// part of a hero. A read connection prepares them in the order of their raw values.
    enum ReadStatement: Int, CaseIterable {
        /// The hero with a given id: the hot path of `GET /api/heroes/{id}`, see ``hero(id:with:)``.
        case heroByID
        /// The heroes of a page that starts at an offset, in creation order, each with its `seq`
        /// after the hero's columns; `LIMIT` and `OFFSET` are bound. See ``pageRows(_:with:)``.
        case pageAtOffset
        /// The heroes of a page after a cursor: those with a greater `seq` (bound first), in
        /// creation order, then `LIMIT`.
        case pageAfter

        /// The statement that reads `page`.
        init(reading page: Page) {
            self = page.after == nil ? .pageAtOffset : .pageAfter
        }

        /// The statement's SQL.
        var sql: String {
            switch self {
            case .heroByID: "SELECT \(heroColumnList) FROM hero WHERE id = ?"
            case .pageAtOffset: "SELECT \(heroColumnList), seq FROM hero ORDER BY seq LIMIT ? OFFSET ?"
            case .pageAfter: "SELECT \(heroColumnList), seq FROM hero WHERE seq > ? ORDER BY seq LIMIT ?"
            }
        }
    }

    private static let heroColumnList = heroColumns.map(\.name).joined(separator: ", ")

    /// The hero in the first columns of `row`, in the order of ``heroColumns``.
    static func hero(_ row: some HeroColumnSource) throws -> Hero {
        guard let id = HeroID(try row.value(at: 0) as String) else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "hero.id is not a UUID")
        }
        let details = HeroInput(
            name: try row.value(at: 1),
            race: try row.value(at: 2),
            heroClass: try row.value(at: 3),
            level: try row.value(at: 4),
            background: try row.value(at: 5),
            alignment: try row.value(at: 6),
            hitPoints: try row.value(at: 7),
            armorClass: try row.value(at: 8),
            speed: try row.value(at: 9),
            personalityTraits: try row.value(at: 10),
            ideals: try row.value(at: 11),
            bonds: try row.value(at: 12),
            flaws: try row.value(at: 13)
        )
        return Hero(id: id, details: details)
    }

    /// Requests the row with `id`.
    static func filter(id: HeroID) -> QueryInterfaceRequest<HeroRecord> {
        filter(Columns.id == id.description)
    }
}
