import Foundation
import HTTPKit
import HTTPKitURLSession
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JOSE
import NIOCore
import NIOFoundationCompat
import SystemHarness
import TestSupport
import Testing

/// The real hero-server process on loopback, its authority a discovery and JWKS server
/// started by the test.
@Suite("hero-server as a process")
struct LiveServerTests {
    static let tenant = FakeAuthority.tenantID

    /// Discovery and keys for the development tenant, wherever it listens.
    private func authority() -> some ApplicationProtocol {
        let router = Router()
        router.get("\(Self.tenant)/v2.0/.well-known/openid-configuration") { request, _ -> Response in
            let base = "http://\(request.head.authority ?? "127.0.0.1")/\(Self.tenant)"
            let document = """
                {"issuer": "\(base)/v2.0", "authorization_endpoint": "\(base)/oauth2/v2.0/authorize",
                 "token_endpoint": "\(base)/oauth2/v2.0/token", "jwks_uri": "\(base)/discovery/v2.0/keys"}
                """
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: document)))
        }
        router.get("\(Self.tenant)/discovery/v2.0/keys") { _, _ -> Response in
            Response(
                status: .ok,
                headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(data: TestKeys.primary.publicJWKSet.jsonData()))
            )
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    private func start(environment: [String: String]) async throws -> (ChildProcess, URL) {
        let server = try ChildProcess(try ChildProcess.builtProduct("hero-server"), environment: environment)
        let port = try await server.waitForOutput(/listening on 127\.0\.0\.1:(\d+)/).1
        return (server, URL(string: "http://127.0.0.1:\(port)")!)
    }

    @Test("a full CRUD round, then a restart that keeps the heroes")
    func crudAndRestart() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hero-server-live-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try await authority().test(.live) { authorityClient in
            let authorityHost = "http://127.0.0.1:\(try #require(authorityClient.port))"
            let environment = [
                "HVALFANGST_AUTHORITY_HOST": authorityHost,
                "HVALFANGST_DB_PATH": folder.appendingPathComponent("heroes.sqlite").path,
                "HOST": "127.0.0.1", "PORT": "0",
            ]
            let token = TestTokens.sign(TestTokens.v2Claims(now: Date(), issuerHost: authorityHost)) {
                $0["scp"] = "Heroes.Read Heroes.Write Heroes.Delete"
            }
            let http = URLSessionHTTPClient()
            func call(_ base: URL, _ method: HTTPRequest.Method, _ path: String, _ body: String? = nil) async throws -> HTTPClientResponse {
                var fields: HTTPFields = [.authorization: "Bearer \(token)"]
                if body != nil { fields[.contentType] = "application/json" }
                return try await http.send(
                    HTTPClientRequest(
                        method: method,
                        url: base.appendingPathComponent(path),
                        headerFields: fields,
                        body: body.map { Data($0.utf8) }
                    )
                )
            }
            func ids(_ response: HTTPClientResponse) throws -> [String] {
                let heroes = try #require(try JSONSerialization.jsonObject(with: response.body) as? [[String: Any]])
                return heroes.compactMap { $0["id"] as? String }
            }

            var (server, base) = try await start(environment: environment)
            var created: [String] = []
            for name in ["Aragorn", "Legolas", "Gimli"] {
                let response = try await call(base, .post, "api/heroes/", gimliJSON.replacingOccurrences(of: "Gimli", with: name))
                #expect(response.status == .created)
                let hero = try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any])
                created.append(try #require(hero["id"] as? String))
            }
            #expect(try await call(base, .get, "api/heroes/\(created[1])").status == .ok)
            #expect(try await call(base, .put, "api/heroes/\(created[1])", gimliJSON).status == .ok)
            #expect(try await call(base, .delete, "api/heroes/\(created[0])").status == .ok)
            #expect(try ids(try await call(base, .get, "api/heroes")) == Array(created[1...]))

            // A member name twice: refused, nothing stored.
            let duplicate = try await call(base, .post, "api/heroes/", String(gimliJSON.dropLast()) + #", "name": "Second"}"#)
            #expect(duplicate.status == .badRequest)
            #expect(duplicate.headerFields[.contentType] == "application/problem+json")
            // One hero a page: the Link header leads to the second, which ends the list.
            let firstPage = try await http.send(
                HTTPClientRequest(
                    url: URL(string: "api/heroes/?limit=1", relativeTo: base)!.absoluteURL,
                    headerFields: [.authorization: "Bearer \(token)"]
                )
            )
            #expect(try ids(firstPage) == [created[1]])
            let next = try #require(
                firstPage.headerFields[HTTPField.Name("Link")!]?.wholeMatch(of: /<(\/api\/heroes\/\?[^>]+)>; rel="next"/)?.1
            )
            let secondPage = try await http.send(
                HTTPClientRequest(
                    url: URL(string: String(next), relativeTo: base)!.absoluteURL,
                    headerFields: [.authorization: "Bearer \(token)"]
                )
            )
            #expect(try ids(secondPage) == [created[2]])
            #expect(secondPage.headerFields[HTTPField.Name("Link")!] == nil)

            // An Authorization header far beyond any token gets an answer, not a dropped connection.
            let huge = try await http.send(
                HTTPClientRequest(
                    url: base.appendingPathComponent("api/heroes"),
                    headerFields: [.authorization: "Bearer " + String(repeating: "a", count: 100_000)]
                )
            )
            #expect(huge.status == .unauthorized || huge.status == .requestHeaderFieldsTooLarge)

            #expect(await server.stop() == 0)
            #expect(server.output.contains("Stopped; the hero store is closed"))
            #expect(!server.output.contains(token) && !server.output.contains(token.split(separator: ".")[1]))
            #expect(server.output.contains("GET /api/heroes 200"))

            (server, base) = try await start(environment: environment)
            #expect(try ids(try await call(base, .get, "api/heroes")) == Array(created[1...]))
            await server.stop()
        }
    }

    @Test("it starts and stays up while the authority is down, and reports not ready")
    func authorityDown() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hero-server-live-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (server, base) = try await start(environment: [
            "HVALFANGST_AUTHORITY_HOST": "http://127.0.0.1:1",
            "HVALFANGST_DB_PATH": folder.appendingPathComponent("heroes.sqlite").path,
            "PORT": "0",
        ])
        let http = URLSessionHTTPClient()
        #expect(try await http.send(HTTPClientRequest(url: base.appendingPathComponent("healthz"))).status == .ok)
        #expect(try await http.send(HTTPClientRequest(url: base.appendingPathComponent("readyz"))).status == .serviceUnavailable)
        #expect(server.isRunning)
        #expect(await server.stop() == 0)
    }

    @Test("an invalid setting exits with status 2 naming the variable")
    func invalidConfiguration() async throws {
        let server = try ChildProcess(try ChildProcess.builtProduct("hero-server"), environment: ["PORT": "eighty"])
        #expect(await server.waitForExit() == 2)
        #expect(server.output.contains("PORT"))
    }
}
