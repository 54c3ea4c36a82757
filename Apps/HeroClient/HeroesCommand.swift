import ArgumentParser
import Foundation
import HTTPKit
import HTTPTypes
import Logging
import OIDCClient

extension HeroClientCommand {
    /// `hero-client heroes list | get ID | create --json FILE | delete ID`, with the cached sign-in.
    struct Heroes: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Call the Heroes API with the cached sign-in.",
            subcommands: [List.self, Get.self, Create.self, Delete.self]
        )

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List heroes.")
            func run() async throws { try await Heroes.call(.get, "heroes/") }
        }

        struct Get: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show one hero.")
            @Argument var id: String
            func run() async throws { try await Heroes.call(.get, "heroes/\(id)") }
        }

        struct Create: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Create a hero from a JSON file.")
            @Option(help: "The hero as JSON (seed keys: name, race, class_, level, hit_points, armor_class, speed, ...).")
            var json: String
            func run() async throws {
                try await Heroes.call(.post, "heroes/", body: try Data(contentsOf: URL(fileURLWithPath: json)))
            }
        }

        struct Delete: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Delete a hero.")
            @Argument var id: String
            func run() async throws { try await Heroes.call(.delete, "heroes/\(id)") }
        }

        /// Calls the API with a (renewed when needed) token and prints the answer; a failure
        /// status ends the command with status 1.
        static func call(_ method: HTTPRequest.Method, _ path: String, body: Data? = nil) async throws {
            let services = try await HeroClientCommand.services(logger: Logger(label: "hero-client"))
            let settings = services.configuration
            var request = HTTPClientRequest(method: method, url: settings.apiURL.appendingPathComponent(path), body: body)
            if body != nil { request.headerFields[.contentType] = "application/json" }
            let response: HTTPClientResponse
            do {
                response = try await services.callAPI(request)
            } catch let error as TokenCacheError {
                FileHandle.standardError.write(
                    Data("\(error). Sign in with `hero-client serve` or `hero-client login --device-code`.\n".utf8)
                )
                throw ExitCode(1)
            }
            print(String(decoding: response.body, as: UTF8.self))
            guard (200..<300).contains(response.status.code) else { throw ExitCode(1) }
        }
    }
}
