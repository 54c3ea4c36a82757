import GRDB

/// The versioned schema of the hero database. Migrations are append-only: a released one is
/// never edited, a change is a new named migration, and GRDB records which ran.
enum HeroSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()

        migrator.registerMigration("v1.createHero") { db in
            // STRICT: SQLite refuses a value of the wrong type instead of storing it.
            try db.create(table: "hero", options: [.strict]) { table in
                // Creation order for listing; stable, never reused (AUTOINCREMENT).
                table.autoIncrementedPrimaryKey("seq")
                table.column("id", .text).notNull().unique()
                table.column("name", .text).notNull()
                table.column("race", .text).notNull()
                table.column("class", .text).notNull()
                table.column("level", .integer).notNull()
                table.column("background", .text)
                table.column("alignment", .text)
                table.column("hit_points", .integer).notNull()
                table.column("armor_class", .integer).notNull()
                table.column("speed", .integer).notNull()
                table.column("personality_traits", .text)
                table.column("ideals", .text)
                table.column("bonds", .text)
                table.column("flaws", .text)
                table.column("created_at", .text).notNull()
                table.column("updated_at", .text).notNull()
            }
        }

        return migrator
    }
}
