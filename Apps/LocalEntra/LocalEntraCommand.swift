import AppConfiguration
import ArgumentParser
import Foundation
import HTTPServerKit
import Hummingbird
import HummingbirdTLS
import JOSE
import LocalEntra
import Logging
import OIDCCore

/// `local-entra`: a development stand-in for Microsoft Entra ID.
@main
struct LocalEntraCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "local-entra",
        abstract: "A local stand-in for Microsoft Entra ID v2.0, for development and tests only.",
        version: BuildInfo.description(environment: ProcessInfo.processInfo.environment),
        subcommands: [Serve.self, Token.self, RotateKeys.self, CertificateAuthority.self],
        defaultSubcommand: Serve.self
    )
}

/// Options every subcommand shares.
struct StateOptions: ParsableArguments {
    @Option(help: "Folder for signing keys and grants.")
    var state: String = "data/local-entra"

    @Option(help: "A JSON file of registrations replacing the built-in development ones.")
    var config: String?

    /// The registrations to use; a bad file ends the program with status 2, naming the problem.
    func registrations() throws -> Registrations {
        guard let config else { return .development }
        do {
            return try Registrations.load(from: URL(fileURLWithPath: config))
        } catch {
            FileHandle.standardError.write(Data("local-entra: --config: \(error)\n".utf8))
            throw ExitCode(ConfigurationError.exitStatus)
        }
    }
}

extension LocalEntraCommand {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Serve discovery, keys, sign-in and tokens (the default).")

        @Option(help: "Address to bind (also HOST).")
        var host: String = ProcessInfo.processInfo.environment["HOST"] ?? "127.0.0.1"

        @Option(help: "Port to bind (also PORT); 0 picks a free one.")
        var port: String = ProcessInfo.processInfo.environment["PORT"] ?? "9000"

        @Flag(help: "Allow binding to an address other than loopback.")
        var allowRemote = false

        @Option(help: "Access-token lifetime in seconds, one number or a range such as 3600-5400.")
        var tokenLifetime: String = "3600-5400"

        @Option(help: "Seconds a device must wait between polls of the device-code grant.")
        var devicePollInterval: Int = 5

        @Option(
            help: ArgumentHelp(
                "Serve App Service's managed-identity endpoint at /msi/token, for the development identity, to callers that send this secret in X-IDENTITY-HEADER.",
                valueName: "secret"
            )
        )
        var identityHeader: String?

        @Option(
            help: ArgumentHelp(
                "The base URL clients reach local-entra at, behind a proxy or a container port mapping: issuers, discovery and endpoints use it. Default: the address it serves on.",
                valueName: "url"
            )
        )
        var publicURL: String?

        @Flag(
            help:
                "Serve HTTPS with a development CA made on first use in the state folder (`local-entra ca` prints its path); the default base becomes https://."
        )
        var tls = false

        @OptionGroup var stateOptions: StateOptions

        @OptionGroup var limitOptions: LimitOptions

        func validate() throws {
            _ = try limitOptions.limits()
            guard allowRemote || AuthorityURL.isLoopback(host) else {
                throw ValidationError("local-entra binds to loopback only; pass --allow-remote to bind to \(host)")
            }
            _ = try bindPort()
            _ = try lifetime()
            if identityHeader?.isEmpty == true { throw ValidationError("--identity-header needs a secret") }
            _ = try base(port: try bindPort())
        }

        /// The port, checked as every app checks its port (a bad `PORT` is refused, not ignored).
        func bindPort() throws -> Int {
            do {
                return try SettingValue.port(port, setting: "--port (or PORT)")
            } catch {
                throw ValidationError(error.description)
            }
        }

        /// The base of issuers and endpoints: `--public-url` (https, or http on loopback; no path
        /// beyond `/`), else the address served on. Never taken from a request's headers, but
        /// with `--port 0` (tests) from the Host of each request, the port being unknown here.
        func base(port: Int) throws -> String? {
            if let publicURL {
                do throws(ConfigurationError) {
                    let checked = try SettingValue.authorityURL(publicURL, setting: "--public-url")
                    guard let url = URL(string: checked), url.path.isEmpty || url.path == "/", url.query == nil else {
                        throw ConfigurationError("--public-url", "must be a scheme, host and port only, not '\(publicURL)'")
                    }
                    return AuthorityURL.trimmingTrailingSlashes(checked)
                } catch {
                    throw ValidationError(error.description)
                }
            }
            return port == 0 ? nil : "\(tls ? "https" : "http")://\(host.contains(":") ? "[\(host)]" : host):\(port)"
        }

        func lifetime() throws -> ClosedRange<Int> {
            let parts = tokenLifetime.split(separator: "-").compactMap { Int($0) }
            guard (1...2).contains(parts.count), parts.allSatisfy({ $0 > 0 }), parts.first! <= parts.last! else {
                throw ValidationError("--token-lifetime must be seconds, or a range like 3600-5400")
            }
            return parts.first!...parts.last!
        }

        func run() async throws {
            // StreamLogHandler's lines, without its cost per request (see LineLogHandler).
            LoggingSystem.bootstrap(LineLogHandler.standardOutput)
            let logger = Logger(label: "local-entra")
            let port = try bindPort()
            let entra = try LocalEntra(
                configuration: .init(
                    registrations: try stateOptions.registrations(),
                    stateFolder: URL(fileURLWithPath: stateOptions.state),
                    publicURL: try base(port: port),
                    accessTokenLifetime: try lifetime(),
                    devicePollInterval: devicePollInterval,
                    managedIdentity: identityHeader.map { ManagedIdentity(secret: $0) },
                    servesHTTPS: tls
                )
            )
            logger.warning("local-entra is for development only: its users, passwords and keys are not secret")
            logger.info("Tenant \(entra.configuration.registrations.tenantID); state in \(stateOptions.state)")
            if let identity = entra.configuration.managedIdentity {
                logger.info("Managed identity \(identity.clientID) at /msi/token (IDENTITY_HEADER as given)")
            }
            let router = Router()
            // Path, status and duration only: queries carry state, nonce and challenges.
            router.add(middleware: RequestLogMiddleware())
            entra.addRoutes(to: router)
            let limits = try limitOptions.limits()
            logger.info("Connections: \(limits.summary)")
            let application = Application(
                router: router,
                server: tls
                    ? try .tls(
                        .limitedHTTP1(limits: limits),
                        tlsConfiguration: DevelopmentTLSServer.configuration(stateFolder: stateOptions.state, logger: logger)
                    )
                    : .limitedHTTP1(limits: limits),
                configuration: .init(address: .hostname(host, port: port), serverName: "local-entra"),
                logger: logger
            )
            try await application.runService()
        }
    }

    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mint an access token and print it (for curl and benchmarks).")

        @Option(help: "The user to issue it to (username).")
        var user: String = "hero@localentra.dev"

        @Option(help: "Delegated scopes, space-separated short names, e.g. \"Heroes.Read Heroes.Write\".")
        var scopes: String = "Heroes.Read Heroes.Write Heroes.Delete"

        @Flag(help: "An app-only token with the client's app roles instead of a user's scopes.")
        var appOnly = false

        @Option(help: "The API (client id or App ID URI); default: the first registered API.")
        var api: String?

        @Option(help: "The authority base URL the token names as issuer.")
        var authority: String = "http://127.0.0.1:9000"

        @Option(help: "How many distinct tokens to print, one per line (a benchmark's fresh tokens).")
        var count = 1

        @OptionGroup var stateOptions: StateOptions

        func validate() throws {
            guard (1...1_000_000).contains(count) else { throw ValidationError("--count must be 1 to 1000000") }
        }

        func run() async throws {
            let registrations = try stateOptions.registrations()
            guard let api = api.map({ registrations.api(forResource: $0) }) ?? registrations.apis.first else {
                throw ValidationError("--api: no such API is registered")
            }
            guard let client = registrations.clients.first else { throw ValidationError("no client is registered") }
            let subject: TokenSubject
            if appOnly {
                subject = .application(roles: client.appRoles.first { registrations.api(forResource: $0.key) == api }?.value ?? [])
            } else {
                guard let account = registrations.user(named: user) else { throw ValidationError("--user: no user '\(user)'") }
                let requested = scopes.split(separator: " ").map(String.init)
                if let unknown = requested.first(where: { !api.scopes.contains($0) }) {
                    throw ValidationError("--scopes: '\(unknown)' is not a scope of \(api.name)")
                }
                subject = .user(account, scopes: requested)
            }
            let keys = try SigningKeyStore(stateFolder: URL(fileURLWithPath: stateOptions.state))
            let key = try await keys.current()
            let issuer = TokenIssuer(authority: authority, tenantID: registrations.tenantID)
            // Each token has its own `uti`, so no two are alike even within one second.
            for _ in 0..<count {
                print(try issuer.accessToken(for: subject, api: api, client: client, key: key, now: Date()).token)
            }
        }
    }

    struct RotateKeys: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-keys",
            abstract: "Publish a new signing key; the previous one stays in the JWKS for a grace period."
        )

        @OptionGroup var stateOptions: StateOptions

        func run() async throws {
            let keys = try SigningKeyStore(stateFolder: URL(fileURLWithPath: stateOptions.state))
            let key = try await keys.rotate()
            print("New signing key \(key.keyID ?? ""); the previous key stays published for \(Int(keys.gracePeriod / 3600)) hours.")
        }
    }
}
