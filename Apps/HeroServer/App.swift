import AppConfiguration
import ArgumentParser
import Configuration
import Foundation
import HTTPKit
import HTTPKitNIO
import HTTPServerKit
import Hummingbird
import Logging
import SystemPackage

/// hero-server: the Heroes API. Reads its settings from options, the environment and `.env`
/// (in that order), opens the store (SQLite, or PostgreSQL when `HVALFANGST_DATABASE_URL` is
/// set), serves until SIGTERM or SIGINT, then lets requests in flight finish and closes the store.
@main
struct HeroServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hero-server",
        abstract: "The Heroes API: accepts Entra ID access tokens with the right scope or app role.",
        discussion: """
            Every option may also be given by the environment variable it names, or a .env file.
            With no tenant and no client id, the server trusts local-entra's development tenant.
            """,
        version: BuildInfo.description(environment: ProcessInfo.processInfo.environment)
    )

    @OptionGroup var settings: ServerOptions

    func run() async throws {
        // StreamLogHandler's lines, without its cost per request (see LineLogHandler).
        LoggingSystem.bootstrap(LineLogHandler.standardOutput)
        var logger = Logger(label: "hero-server")
        logger.logLevel = .info

        let configuration: ServerConfiguration
        let store: HeroStore
        do {
            let reader = ConfigReader(providers: [
                settings.provider,
                EnvironmentVariablesProvider(),
                try await EnvironmentVariablesProvider(environmentFilePath: ".env", allowMissing: true),
            ])
            configuration = try ServerConfiguration(reader: reader, processEnvironment: ProcessInfo.processInfo.environment)
        } catch let error as ConfigurationError {
            // Named as the user gave it: `--port` when the option was used, else `PORT`.
            let named = ConfigurationError(settings.source(of: error.setting), error.problem)
            FileHandle.standardError.write(Data("hero-server: invalid configuration: \(named)\n".utf8))
            throw ExitCode(ConfigurationError.exitStatus)
        } catch {
            FileHandle.standardError.write(Data("hero-server: cannot read the configuration: \(error)\n".utf8))
            throw ExitCode(ConfigurationError.exitStatus)
        }
        let httpClient = configuration.makeHTTPClient()
        do {
            store = try await HeroStore.open(configuration: configuration, httpClient: httpClient, logger: logger)
        } catch {
            FileHandle.standardError.write(Data("hero-server: \(error)\n".utf8))
            throw ExitCode(ConfigurationError.exitStatus)
        }

        logger.info("hero-server \(BuildInfo.description(environment: ProcessInfo.processInfo.environment))")
        logger.info("\(configuration.authorityDescription)")
        if let roots = configuration.extraTrustRoots { logger.info("Outbound HTTPS also trusts the CAs in \(roots.path)") }
        if let proxy = configuration.outboundProxy.summary { logger.info("\(proxy)") }
        logger.info("\(store.describe(configuration))")
        logger.info("Connections: \(configuration.limits.summary)")
        let application = buildApplication(
            configuration: configuration,
            repository: store.repository,
            services: store.services,
            httpClient: httpClient,
            logger: logger
        )
        try await application.runService()
        try await store.close()
        logger.info("Stopped; the hero store is closed")
    }
}
