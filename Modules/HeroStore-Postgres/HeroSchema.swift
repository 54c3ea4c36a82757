import Logging
import PostgresNIO

/// The versioned schema of the hero database, the PostgreSQL twin of the SQLite store's.
///
/// Migrations are append-only: a released one is never edited, a change is a new named
/// migration. `schema_migrations` records which ran. Several instances starting together
/// take a PostgreSQL advisory lock first, in one session, so exactly one of them migrates and
/// the others find the work done.
enum HeroSchema {
    /// The advisory lock key every hero-server agrees on: "Hvalfgst" in ASCII.
    static let lockKey: Int64 = 0x4876_616C_6667_7374

    /// The migrations in order: an identifier (as GRDB names them) and its statements.
    static let migrations: [(identifier: String, statements: [String])] = [
        (
            "v1.createHero",
            [
                """
                CREATE TABLE hero (
                    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    id UUID NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    race TEXT NOT NULL,
                    class TEXT NOT NULL,
                    level BIGINT NOT NULL,
                    background TEXT,
                    alignment TEXT,
                    hit_points BIGINT NOT NULL,
                    armor_class BIGINT NOT NULL,
                    speed BIGINT NOT NULL,
                    personality_traits TEXT,
                    ideals TEXT,
                    bonds TEXT,
                    flaws TEXT,
                    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
                )
                """
            ]
        )
    ]

    /// Brings the schema up to date on `connection`, under the advisory lock; returns the
    /// identifiers of the migrations this call applied (empty when another instance had).
    static func migrate(on connection: PostgresConnection, logger: Logger) async throws -> [String] {
        try await connection.query("SELECT pg_advisory_lock(\(lockKey))", logger: logger)
        do {
            let applied = try await migrateLocked(on: connection, logger: logger)
            try await connection.query("SELECT pg_advisory_unlock(\(lockKey))", logger: logger)
            return applied
        } catch {
            // Closing the session releases the lock too; this only makes it prompt.
            _ = try? await connection.query("SELECT pg_advisory_unlock(\(lockKey))", logger: logger)
            throw error
        }
    }

    private static func migrateLocked(on connection: PostgresConnection, logger: Logger) async throws -> [String] {
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                identifier TEXT PRIMARY KEY,
                applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
            )
            """,
            logger: logger
        )
        var done: Set<String> = []
        for try await identifier in try await connection.query("SELECT identifier FROM schema_migrations", logger: logger).decode(
            String.self
        ) {
            done.insert(identifier)
        }
        var applied: [String] = []
        for migration in migrations where !done.contains(migration.identifier) {
            // One transaction per migration: its changes and its record commit together.
            try await connection.withTransaction(logger: logger) { connection in
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO schema_migrations (identifier) VALUES (\(migration.identifier))",
                    logger: logger
                )
            }
            logger.info("Applied the migration", metadata: ["migration": "\(migration.identifier)"])
            applied.append(migration.identifier)
        }
        return applied
    }
}
