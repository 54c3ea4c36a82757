import Configuration
import Foundation
import HTTPKit
import HTTPKitURLSession
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LocalEntra
import Logging
import Synchronization
import SystemHarness
import TestSupport
import Testing

@testable import HeroClient

/// Every request the client makes, for "it did not call the token endpoint" checks.
final class RecordingHTTPClient: HTTPClient {
    private let inner = URLSessionHTTPClient()
    private let log = Mutex<[String]>([])

    var requests: [String] { log.withLock { $0 } }
    var tokenRequests: Int { requests.filter { $0.hasSuffix("/oauth2/v2.0/token") }.count }

    func send(_ request: HTTPClientRequest) async throws(HTTPClientError) -> HTTPClientResponse {
        log.withLock { $0.append("\(request.method.rawValue) \(request.url.absoluteString)") }
        return try await inner.send(request)
    }
}

/// Log lines kept in memory, to check that no secret is ever logged.
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])
    var text: String { lines.withLock { $0.joined(separator: "\n") } }

    var logger: Logger {
        var logger = Logger(label: "test") { _ in Handler(capture: self) }
        logger.logLevel = .trace
        return logger
    }

    struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            capture.lines.withLock { $0.append("\(event.level) \(event.message) \(all)") }
        }
    }
}

/// The whole system minus hero-server: local-entra and the client's local API on real
/// loopback ports, a fake Heroes API that answers with what it received, and a browser.
struct ClientHarness: Sendable {
    let entra: LocalEntra
    let authority: String
    let clientBase: String
    let services: ClientServices
    let http: RecordingHTTPClient
    let logs: LogCapture
    let browser = ScriptedBrowser()

    /// Runs `test` with everything started; `tokenLifetime` sets local-entra's access tokens,
    /// `entraClock` (when given) is local-entra's clock.
    static func run(
        tokenLifetime: ClosedRange<Int> = 3600...3600,
        cacheFile: URL? = nil,
        entraClock: ManualClock? = nil,
        registrations: Registrations = .development,
        environment: [String: String] = [:],
        _ test: @Sendable (ClientHarness) async throws -> Void
    ) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hero-client-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let entra = try LocalEntra(
            configuration: .init(
                registrations: registrations,
                stateFolder: folder.appendingPathComponent("entra"),
                accessTokenLifetime: tokenLifetime,
                devicePollInterval: 1
            ),
            now: { entraClock?.date ?? Date() }
        )
        let entraRouter = Router()
        entra.addRoutes(to: entraRouter)
        try await Application(router: entraRouter, configuration: .init(address: .hostname("127.0.0.1", port: 0))).test(.live) {
            entraClient in
            try await FakeHeroesAPI.application().test(.live) { apiClient in
                let authority = "http://127.0.0.1:\(try #require(entraClient.port))"
                let configuration = try ClientConfiguration(
                    reader: ConfigReader(
                        provider: EnvironmentVariablesProvider(
                            environmentVariables: [
                                "AZURE_AUTHORITY_HOST": authority,
                                "HVALFANGST_API_URL": "http://127.0.0.1:\(try #require(apiClient.port))/api",
                                "HVALFANGST_TOKEN_CACHE": (cacheFile ?? folder.appendingPathComponent("cache.json")).path,
                            ].merging(environment) { $1 }
                        )
                    )
                )
                let http = RecordingHTTPClient()
                let logs = LogCapture()
                let services = try await ClientServices.make(configuration, httpClient: http, logger: logs.logger)
                let client = Application(
                    router: buildClientRouter(services),
                    configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                    logger: logs.logger
                )
                try await client.test(.live) { localClient in
                    let harness = ClientHarness(
                        entra: entra,
                        authority: authority,
                        clientBase: "http://127.0.0.1:\(try #require(localClient.port))",
                        services: services,
                        http: http,
                        logs: logs
                    )
                    try await test(harness)
                }
            }
        }
    }

    /// Opens /auth/login and goes through local-entra's sign-in and consent pages; returns
    /// the callback URL local-entra redirected to, rewritten to the client's real port.
    func signInAtProvider(
        username: String = ScriptedBrowser.demoUser,
        password: String = ScriptedBrowser.demoPassword
    ) async throws -> String {
        let start = try await browser.open("\(clientBase)/auth/login")
        #expect(start.status == 302)
        let authorize = try #require(start.location)
        let answer = try await browser.signIn(authorizeURL: authorize, username: username, password: password).redirect
        #expect(answer.status == 302)
        return try #require(answer.location).replacingOccurrences(of: "http://localhost:8000", with: clientBase)
    }
}

/// A stand-in Heroes API that reports the Authorization header it received.
enum FakeHeroesAPI {
    static func application() -> some ApplicationProtocol {
        let router = Router()
        // Refuses the first token it sees with a 401 (as if revoked) and accepts any other.
        let firstToken = Mutex<String?>(nil)
        router.get("api/heroes/00000000-0000-4000-8000-00000000f1a7") { request, _ -> Response in
            let authorization = request.headers[.authorization] ?? ""
            let refused = firstToken.withLock { first in
                if first == nil { first = authorization }
                return first == authorization
            }
            return Response(status: refused ? .unauthorized : .ok)
        }
        router.get("api/heroes") { request, _ -> Response in
            let authorization = request.headers[.authorization] ?? "none"
            let body = #"[{"seen_authorization": "\#(authorization.hasPrefix("Bearer ey") ? "bearer-jwt" : authorization)"}]"#
            // The next page as hero-server writes it, and a second link the proxy must not pass on.
            let link = #"</api/heroes/?limit=1&cursor=AQAAAAAAAAAB>; rel="next", <http://evil.example/>; rel="help""#
            return Response(
                status: .ok,
                headers: [.contentType: "application/json", HTTPField.Name("Link")!: link],
                body: .init(byteBuffer: ByteBuffer(string: body))
            )
        }
        router.post("api/heroes") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 16)
            return Response(status: .created, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }
}
