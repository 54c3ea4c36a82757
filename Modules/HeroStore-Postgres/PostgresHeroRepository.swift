import Foundation
import HeroDomain
import Logging
import PostgresNIO
import ServiceLifecycle

/// Heroes in PostgreSQL, through postgres-nio's `PostgresClient` (a connection pool): the
/// ``HeroRepository`` for several hero-server instances sharing one database.
///
/// Open it with ``open(_:logger:)``, which checks the server and migrates the schema, then run
/// it as a `Service` beside the HTTP server: ``run()`` runs the pool. Every write is one
/// statement in a transaction of its own, committed before the call returns. A lost server makes calls fail with
/// ``HeroError/storageFailure(_:)`` (503 at the API) while the pool reconnects by itself.
public struct PostgresHeroRepository: HeroRepository, Service {
    /// The pool behind the store, renewed when its password expires.
    let pool: RenewingPool
    /// How long one call may wait for the database.
    let operationTimeout: Duration
    let logger: Logger

    /// Connects once to check the URL, credentials and TLS, brings the schema up to date under
    /// an advisory lock, and prepares the pool (which serves once ``run()`` runs).
    ///
    /// Throws ``PostgresStoreError``: the server refused or unreachable, TLS required but not
    /// offered, the password provider failed, or a migration failed.
    public static func open(_ configuration: Configuration, logger: Logger) async throws(PostgresStoreError) -> PostgresHeroRepository {
        let password = try await configuration.resolvePassword()
        let session: PostgresConnection
        do {
            session = try await PostgresConnection.connect(
                configuration: try configuration.connectionConfiguration(password: password?.value),
                id: 0,
                logger: logger
            )
        } catch let error as PostgresStoreError {
            throw error
        } catch {
            throw startError(error, requiresTLS: configuration.requiresTLS)
        }
        do {
            let applied = try await HeroSchema.migrate(on: session, logger: logger)
            try? await session.close()
            if applied.isEmpty { logger.debug("The hero schema was up to date") }
        } catch {
            try? await session.close()
            throw PostgresStoreError(.migrationFailed, reason(error))
        }
        return PostgresHeroRepository(
            pool: RenewingPool(configuration: configuration, password: password, logger: logger),
            operationTimeout: configuration.operationTimeout,
            logger: logger
        )
    }

    /// Runs the connection pool until the task is cancelled or a graceful shutdown begins,
    /// renewing it before an expiring password runs out.
    public func run() async throws {
        await pool.run()
    }

    /// Validates `input` and inserts it under a new random id, last in creation order.
    public func create(_ input: HeroInput) async throws(HeroError) -> Hero {
        let hero = Hero(id: .random(), details: try input.validated())
        let details = hero.details
        _ = try await write(
            """
            INSERT INTO hero (id, name, race, class, level, background, alignment, hit_points, armor_class, speed,
                personality_traits, ideals, bonds, flaws)
            VALUES (\(hero.id.uuid), \(details.name), \(details.race), \(details.heroClass), \(details.level),
                \(details.background), \(details.alignment), \(details.hitPoints), \(details.armorClass), \(details.speed),
                \(details.personalityTraits), \(details.ideals), \(details.bonds), \(details.flaws))
            RETURNING id
            """
        )
        return hero
    }

    /// The hero with `id`, or ``HeroError/notFound(_:)``.
    public func get(id: HeroID) async throws(HeroError) -> Hero {
        let hero = try await perform { connection in
            // At most one row (`id` is the primary key), read to the end of the answer.
            var found: Hero?
            for try await hero in try await connection.execute(HeroRow.ByID(id: id.uuid), logger: logger) {
                found = hero
            }
            return found
        }
        guard let hero else { throw .notFound(id) }
        return hero
    }

    /// The heroes of `page`, oldest first (by the identity column `seq`), reading one row more
    /// than the page holds to tell whether a next page exists. A page after a cursor is a keyset
    /// query on `seq` (the primary key), unaffected by heroes created or deleted since. Both
    /// are prepared statements, as the read by id is.
    public func listing(_ page: Page) async throws(HeroError) -> HeroListing {
        let limit = Int64(page.limit + 1)
        let statement: any PageQuery =
            if let cursor = page.after {
                HeroRow.PageAfter(sequence: cursor.sequence, limit: limit)
            } else {
                HeroRow.PageAtOffset(limit: limit, offset: Int64(page.offset))
            }
        let rows = try await perform { connection in try await statement.rows(on: connection, logger: logger) }
        return HeroListing(rows: rows, limit: page.limit)
    }

    /// Validates `input`, then replaces the fields of the hero with `id` in one transaction; its place stays.
    public func replace(id: HeroID, with input: HeroInput) async throws(HeroError) -> Hero {
        // Validation comes first, as in the other stores: an invalid input is `invalid` even for a missing id.
        let details = try input.validated()
        let found = try await write(
            """
            UPDATE hero SET name = \(details.name), race = \(details.race), class = \(details.heroClass),
                level = \(details.level), background = \(details.background), alignment = \(details.alignment),
                hit_points = \(details.hitPoints), armor_class = \(details.armorClass), speed = \(details.speed),
                personality_traits = \(details.personalityTraits), ideals = \(details.ideals), bonds = \(details.bonds),
                flaws = \(details.flaws), updated_at = now()
            WHERE id = \(id.uuid)
            RETURNING id
            """
        )
        guard found else { throw .notFound(id) }
        return Hero(id: id, details: details)
    }

    /// Deletes the hero with `id` in one transaction, or throws ``HeroError/notFound(_:)``.
    public func delete(id: HeroID) async throws(HeroError) {
        let found = try await write("DELETE FROM hero WHERE id = \(id.uuid) RETURNING id")
        guard found else { throw .notFound(id) }
    }

    /// Runs one writing statement in a transaction of its own; returns whether it returned a row.
    ///
    /// Explicit, because of the extended query protocol: for a statement on its own, the server
    /// sends "command complete" and commits afterwards, at the Sync message, so a client that
    /// returned on the first could acknowledge a write that is not yet committed. The answer to
    /// `COMMIT` comes once the commit is durable.
    private func write(_ query: PostgresQuery) async throws(HeroError) -> Bool {
        let logger = logger
        return try await perform { connection in
            try await connection.withTransaction(logger: logger) { connection in
                try await HeroRow.exists(connection.query(query, logger: logger))
            }
        }
    }

    /// Runs one database call within ``operationTimeout``, turning every failure into
    /// ``HeroError/storageFailure(_:)``. The wait covers leasing a connection: while the server
    /// is down the pool holds requests (up to a minute) as it retries, and a caller should
    /// rather get a prompt 503.
    private func perform<T: Sendable>(_ operation: @escaping @Sendable (PostgresConnection) async throws -> T) async throws(HeroError) -> T
    {
        let client = pool.current
        let timeout = operationTimeout
        let outcome = await Deadline<T>.race(timeout) {
            try await client.withConnection { connection in
                // postgres-nio 1.33 writes a query to the channel without a promise for the write:
                // on a connection the server has just closed, the query would never be answered
                // and the lease never returned. Refusing a closed connection here narrows that
                // window to nothing in practice; the deadline covers the rest.
                guard !connection.isClosed else { throw ConnectionLost() }
                return try await operation(connection)
            }
        }
        switch outcome {
        case .success(let value):
            return value
        case .failure(is TimedOut):
            throw .storageFailure("PostgreSQL did not answer within \(timeout)")
        case .failure(is ConnectionLost):
            throw .storageFailure("the connection to PostgreSQL was closed")
        case .failure(let error):
            throw .storageFailure(Self.reason(error))
        }
    }

    /// Why a start-up connection failed, in the terms of ``PostgresStoreError``.
    static func startError(_ error: any Error, requiresTLS: Bool) -> PostgresStoreError {
        guard let error = error as? PSQLError else { return PostgresStoreError(.cannotConnect, "\(error)") }
        switch error.code {
        case .sslUnsupported:
            return PostgresStoreError(.tlsUnavailable, "the server answered the TLS request with no")
        case .server:
            return PostgresStoreError(.refused, reason(error))
        case .failedToAddSSLHandler:
            return PostgresStoreError(.tlsUnavailable, reason(error))
        default:
            return PostgresStoreError(.cannotConnect, reason(error))
        }
    }

    /// A short explanation of a postgres-nio error: the server's message and SQLSTATE, or the
    /// client's code and its cause. postgres-nio keeps its own description generic on purpose.
    static func reason(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        if let message = error.serverInfo?[.message] {
            return "\(message) (SQLSTATE \(error.serverInfo?[.sqlState] ?? "?"))"
        }
        if let underlying = error.underlying {
            return "\(error.code): \(underlying)"
        }
        return "\(error.code)"
    }
}
