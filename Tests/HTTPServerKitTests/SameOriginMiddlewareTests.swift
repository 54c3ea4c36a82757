import HTTPServerKit
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Same-origin guard: served host names and the Origin of unsafe requests")
struct SameOriginMiddlewareTests {
    /// A guarded server on a real port; `test` sends requests with any Host it likes.
    func withGuard(_ test: @escaping @Sendable (TestClient) async throws -> Void) async throws {
        let router = Router()
        router.add(middleware: ProblemDetailsMiddleware())
        router.add(middleware: SameOriginMiddleware(allowedHosts: ["localhost", "127.0.0.1", "::1", "App.Example"]))
        router.get("thing") { _, _ in "read" }
        router.post("thing") { _, _ in "written" }
        let application = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await application.test(.live) { live in
            let port = try #require(live.port)
            try await TestClient.withClient(host: "127.0.0.1", port: port, operation: test)
        }
    }

    @Test(
        "host names are compared without port, case or IPv6 brackets",
        arguments: [
            ("localhost:8000", true), ("127.0.0.1", true), ("[::1]:8000", true), ("app.example:443", true),
            ("evil.example:8000", false), ("localhost.evil.example", false), ("[::2]:8000", false), ("127.0.0.2:8000", false),
        ]
    )
    func hosts(authority: String, served: Bool) async throws {
        try await withGuard { client in
            let response = try await client.execute(.init("/thing", method: .get, authority: authority))
            #expect(response.status == (served ? .ok : .misdirectedRequest))
        }
    }

    @Test(
        "an unsafe request needs no Origin or our own",
        arguments: [
            (nil, true), ("http://localhost:8000", true), ("https://localhost:8000", true), ("http://evil.example", false),
            ("null", false), ("http://localhost:8001", false), ("http://localhost", false),
        ] as [(String?, Bool)]
    )
    func origins(origin: String?, accepted: Bool) async throws {
        try await withGuard { client in
            var headers: HTTPFields = [:]
            headers[.origin] = origin
            let response = try await client.execute(.init("/thing", method: .post, authority: "localhost:8000", headers: headers))
            #expect(response.status == (accepted ? .ok : .forbidden))
            // Reads are never refused for their Origin: they change nothing.
            let read = try await client.execute(.init("/thing", method: .get, authority: "localhost:8000", headers: headers))
            #expect(read.status == .ok)
        }
    }
}
