import AccessTokenAuth
import AppConfiguration
import ArgumentParser
import Configuration
import OIDCCore
import Testing

@testable import HeroServer

@Suite("hero-server's command line")
struct CommandLineTests {
    /// Settings from options first, then from `environment`, as `hero-server` reads them.
    func configuration(_ arguments: [String], environment: [String: String] = [:]) throws -> ServerConfiguration {
        let options = try ServerOptions.parse(arguments)
        return try ServerConfiguration(
            reader: ConfigReader(providers: [options.provider, EnvironmentVariablesProvider(environmentVariables: environment)])
        )
    }

    @Test("--help names every option and the environment variable behind it")
    func help() {
        let help = HeroServerCommand.helpMessage(columns: 200)
        for (option, variable) in [
            ("--tenant-id", "HVALFANGST_TENANT_ID"), ("--api-client-id", "HVALFANGST_API_SERVER_CLIENT_ID"),
            ("--authority-host", "HVALFANGST_AUTHORITY_HOST"), ("--issuer", "HVALFANGST_ISSUER"),
            ("--api-audiences", "HVALFANGST_API_AUDIENCES"), ("--db-path", "HVALFANGST_DB_PATH"),
            ("--db-journal-mode", "HVALFANGST_DB_JOURNAL_MODE"), ("--database-url", "HVALFANGST_DATABASE_URL"), ("--host", "HOST"),
            ("--port", "PORT"), ("--version", "version"),
        ] {
            #expect(help.contains(option) && help.contains(variable), "\(option) / \(variable) missing from --help")
        }
    }

    @Test("--version is the build's version")
    func version() {
        #expect(HeroServerCommand.configuration.version.hasPrefix(BuildInfo.version))
    }

    @Test("options override the environment; the environment fills what options leave out")
    func precedence() throws {
        let settings = try configuration(
            ["--port", "9191", "--db-path", "/tmp/heroes-from-option.sqlite"],
            environment: ["PORT": "8181", "HOST": "127.0.0.2", "HVALFANGST_DB_PATH": "/tmp/from-env.sqlite"]
        )
        #expect(settings.port == 9191)
        #expect(settings.databasePath == "/tmp/heroes-from-option.sqlite")
        #expect(settings.host == "127.0.0.2")
        #expect(settings.isDevelopmentMode)
    }

    @Test("an Entra tenant given by options alone leaves development mode")
    func entraByOptions() throws {
        let tenant = "11111111-2222-3333-4444-555555555555"
        let settings = try configuration(["--tenant-id", tenant, "--api-client-id", "22222222-3333-4444-5555-666666666666"])
        #expect(!settings.isDevelopmentMode)
        #expect(settings.policy.issuerMode == .entra(EntraAuthority(host: EntraAuthority.publicCloudHost, tenantID: tenant)))
    }

    @Test("a bad option value is a configuration error naming the variable it stands for")
    func badOption() throws {
        #expect(throws: ConfigurationError("PORT", "must be a port number from 0 to 65535, not 'eighty'")) {
            try configuration(["--port", "eighty"])
        }
        #expect(throws: (any Error).self) { try ServerOptions.parse(["--no-such-option"]) }
        // The message then names the option the user typed, not the variable behind it.
        let typed = try ServerOptions.parse(["--port", "eighty"])
        #expect(typed.source(of: "PORT") == "--port")
        let none = try ServerOptions.parse([])
        #expect(none.source(of: "PORT") == "PORT")
    }
}
