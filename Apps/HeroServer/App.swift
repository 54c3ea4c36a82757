import Configuration
import Foundation
import HTTPKit
import HeroStoreSQLite
import Hummingbird
import Logging
import SystemPackage

/// hero-server: the Heroes API. Reads its settings from the environment and `.env`, opens
/// the SQLite store, serves until SIGTERM or SIGINT, then lets requests in flight finish and
/// closes the store.
@main
struct HeroServer {
    static func main() async throws {
        var logger = Logger(label: "hero-server")
        logger.logLevel = .info

        let configuration: ServerConfiguration
        let repository: SQLiteHeroRepository
        do {
            let reader = ConfigReader(providers: [
                EnvironmentVariablesProvider(),
                try await EnvironmentVariablesProvider(environmentFilePath: ".env", allowMissing: true),
            ])
            configuration = try ServerConfiguration(reader: reader)
        } catch {
            FileHandle.standardError.write(Data("hero-server: invalid configuration: \(error)\n".utf8))
            exit(2)
        }
        do {
            repository = try SQLiteHeroRepository.open(path: configuration.databasePath, journalMode: configuration.journalMode)
        } catch {
            FileHandle.standardError.write(Data("hero-server: \(error) (HVALFANGST_DB_PATH)\n".utf8))
            exit(2)
        }

        logger.info("\(configuration.authorityDescription)")
        logger.info("Heroes are stored in \(configuration.databasePath) (journal mode \(configuration.journalMode.rawValue))")
        let application = buildApplication(
            configuration: configuration,
            repository: repository,
            httpClient: URLSessionHTTPClient(),
            logger: logger
        )
        try await application.runService()
        try await repository.close()
        logger.info("Stopped; the hero store is closed")
    }
}
