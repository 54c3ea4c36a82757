import AppConfiguration
import HTTPKit
import HTTPKitNIO
import HeroDomain
import HeroStorePostgres
import HeroStoreSQLite
import Logging
import ServiceLifecycle

/// The store hero-server runs on: SQLite by default, PostgreSQL when `HVALFANGST_DATABASE_URL`
/// is set.
enum HeroStore: Sendable {
    case sqlite(SQLiteHeroRepository)
    case postgres(PostgresHeroRepository)

    /// Opens the store the configuration names: the SQLite file, or a PostgreSQL server
    /// checked and migrated. Errors name the setting to fix.
    static func open(
        configuration: ServerConfiguration,
        httpClient: any HTTPClient = NIOHTTPClient(),
        logger: Logger
    ) async throws(ConfigurationError) -> HeroStore {
        guard let url = configuration.databaseURL else {
            do {
                return .sqlite(try SQLiteHeroRepository.open(path: configuration.databasePath, journalMode: configuration.journalMode))
            } catch {
                throw ConfigurationError("HVALFANGST_DB_PATH", "cannot be used: \(error)")
            }
        }
        // The URL's password wins; else, with HVALFANGST_DATABASE_AUTH=entra, the managed
        // identity's token; else PGPASSWORD, as libpq does.
        let password: PostgresHeroRepository.Configuration.PasswordProvider
        if let token = configuration.databaseAuthentication.passwordProvider(httpClient: httpClient) {
            password = { try await token() }
        } else {
            let fixed = configuration.databasePassword.map { DatabasePassword($0) }
            password = { fixed }
        }
        do {
            return .postgres(try await PostgresHeroRepository.open(.init(url: url, password: password), logger: logger))
        } catch {
            throw ConfigurationError("HVALFANGST_DATABASE_URL", error.description)
        }
    }

    /// The repository the routes use.
    var repository: any HeroRepository {
        switch self {
        case .sqlite(let repository): repository
        case .postgres(let repository): repository
        }
    }

    /// Where the heroes are, for the start-up log: never a password.
    func describe(_ configuration: ServerConfiguration) -> String {
        switch self {
        case .sqlite:
            "Heroes are stored in SQLite at \(configuration.databasePath) (journal mode \(configuration.journalMode.rawValue))"
        case .postgres:
            "Heroes are stored in PostgreSQL at \(configuration.databaseURL.map { "\($0)" } ?? "?"), "
                + "signed in with \(configuration.databaseAuthentication.description)"
        }
    }

    /// What must run beside the HTTP server: PostgreSQL's connection pool (Hummingbird runs it
    /// in the application's service group, starts it first and stops it after the server).
    var services: [any Service] {
        switch self {
        case .sqlite: []
        case .postgres(let repository): [repository]
        }
    }

    /// Closes what the application's service group does not: the SQLite file.
    func close() async throws {
        if case .sqlite(let repository) = self { try await repository.close() }
    }
}
