import AppConfiguration
import ArgumentParser
import Foundation
import HTTPKit
import HTTPServerKit
import HTTPTypes
import Hummingbird
import JOSE
import Logging
import OIDCClient

/// `hero-client`: signs a user in with Entra ID and calls the Heroes API for them.
@main
struct HeroClientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hero-client",
        abstract: "A confidential OpenID Connect client of the Heroes API.",
        version: BuildInfo.description(environment: ProcessInfo.processInfo.environment),
        subcommands: [Serve.self, Login.self, Heroes.self, WhoAmI.self, Logout.self],
        defaultSubcommand: Serve.self
    )

    /// The settings and services, or exit 2 naming a bad setting.
    static func services(logger: Logger) async throws -> ClientServices {
        let configuration: ClientConfiguration
        do {
            configuration = try await ClientConfiguration.load()
        } catch {
            FileHandle.standardError.write(Data("hero-client: invalid configuration: \(error)\n".utf8))
            throw ExitCode(ConfigurationError.exitStatus)
        }
        do {
            return try await ClientServices.make(configuration, httpClient: configuration.makeHTTPClient(), logger: logger)
        } catch {
            FileHandle.standardError.write(Data("hero-client: cannot use the identity provider \(configuration.issuer): \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}

extension HeroClientCommand {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Serve /auth and the /api/heroes proxy (the default).")

        @Flag(help: "Do not open the sign-in page in a browser.")
        var noBrowser = false

        func run() async throws {
            let logger = Logger(label: "hero-client")
            let services = try await HeroClientCommand.services(logger: logger)
            let settings = services.configuration
            logger.info("Connections: \(settings.limits.summary)")
            let application = Application(
                router: buildClientRouter(services),
                server: .limitedHTTP1(limits: settings.limits),
                configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "hero-client"),
                onServerRunning: { channel in
                    let port = channel.localAddress?.port ?? settings.port
                    let url = "http://\(settings.host == "0.0.0.0" ? "127.0.0.1" : settings.host):\(port)/auth/login"
                    logger.info("Sign in at \(url)")
                    if !noBrowser { Browser.open(url) }
                },
                logger: logger
            )
            try await application.runService()
        }
    }

    struct Login: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Sign in without a browser on this machine (device code).")

        @Flag(help: "Use the device-code flow: open the printed URL on any device and enter the code.")
        var deviceCode = false

        func run() async throws {
            guard deviceCode else {
                throw ValidationError("Only --device-code is available here; for a browser sign-in run `hero-client serve`.")
            }
            let logger = Logger(label: "hero-client")
            let services = try await HeroClientCommand.services(logger: logger)
            let flow = services.deviceCodeFlow
            let authorization = try await flow.start()
            // Written straight away (not through print's buffer): the user must see it while we poll.
            let message = authorization.message ?? "Open \(authorization.verificationURI) and enter the code \(authorization.userCode)."
            FileHandle.standardOutput.write(Data((message + "\n").utf8))
            let response: TokenResponse
            do {
                response = try await flow.poll(authorization)
            } catch let error {
                // The provider's own error as before; the deadline as a message of ours.
                if let providerError = error.providerError { throw providerError }
                if error.code == .cancelled { throw CancellationError() }
                throw ValidationError(error.description)
            }
            guard let idToken = response.idToken else {
                throw ValidationError("The provider sent no ID token; is openid in SCOPES?")
            }
            // Device-code ID tokens carry no nonce: none was sent.
            let claims = try await services.signIn.idTokens.validate(idToken, nonce: nil)
            let account = Account(claims: claims)
            try await services.cache.store(response, account: account, scopes: services.configuration.scopes)
            print("Signed in as \(account.username ?? account.id).")
        }
    }

    struct WhoAmI: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "whoami", abstract: "Who is signed in, until when, with which scopes.")

        func run() async throws {
            let services = try await HeroClientCommand.services(logger: Logger(label: "hero-client"))
            guard let account = await services.cache.currentAccount,
                let tokens = await services.cache.cachedTokens(scopes: services.configuration.scopes)
            else {
                print("Not signed in.")
                throw ExitCode(1)
            }
            print("Signed in as \(account.username ?? "?") (\(account.name ?? "no name")), account \(account.id)")
            print("Access token expires at \(tokens.expiresAt.formatted(.iso8601))\(tokens.refreshToken == nil ? "" : "; renewable")")
            print("Scopes: \(tokens.scopes.joined(separator: " "))")
        }
    }

    struct Logout: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete the cached tokens.")

        func run() async throws {
            let services = try await HeroClientCommand.services(logger: Logger(label: "hero-client"))
            try await services.cache.signOut()
            print("Signed out.")
        }
    }
}

/// Opens a URL in the desktop's browser, when there is a desktop.
enum Browser {
    static func open(_ url: String) {
        let environment = ProcessInfo.processInfo.environment
        guard environment["DISPLAY"] != nil || environment["WAYLAND_DISPLAY"] != nil else { return }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["xdg-open", url]
        try? process.run()
    }
}
