import Foundation
import HTTPServerKit
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization
import TestSupport
import Testing

@testable import HeroServer

/// hero-server's log lines, as an operator reads them: one per request, naming the caller.
@Suite("hero-server's log: a line per request, with the caller and never the token")
struct RequestLogTests {
    /// Lines hero-server wrote, through the handler it runs with.
    final class Lines: Sendable {
        let all = Mutex<[String]>([])

        var logger: Logger {
            Logger(label: "test") { label in
                LineLogHandler(label: label, output: .collecting { line in self.all.withLock { $0.append(line) } }, metadataProvider: nil)
            }
        }

        /// The lines whose message (after the source) starts with `message`.
        func with(message: String) -> [String] {
            all.withLock { $0.filter { $0.contains("] \(message)") } }
        }
    }

    let oid = "oid=00000000-0000-0000-0000-0000000000aa"
    let azp = "azp=\(FakeAuthority.clientAppID)"

    @Test("a read's line has method, path without its query, status, duration and the caller's oid and azp")
    func readLine() async throws {
        let lines = Lines()
        let token = accessToken()
        try await withHeroServer(logger: lines.logger) { client, _ in
            let id = try await client.execute(
                uri: "/api/heroes/",
                method: .post,
                headers: headers(token: token, json: true),
                body: ByteBuffer(string: gimliJSON)
            ) { try #require($0.object["id"] as? String) }
            try await client.execute(uri: "/api/heroes/\(id)?access_token=\(token)", method: .get, headers: headers(token: token)) {
                #expect($0.status == .ok)
            }
            let line = try #require(lines.with(message: "GET /api/heroes/\(id) 200").first)
            for field in ["method=GET", "path=/api/heroes/\(id) ", "status=200", "duration_ms=", oid, azp] {
                #expect(line.contains(field), "\(field) in \(line)")
            }
            // The handler's own lines carry the caller too, from the access-token middleware.
            let created = try #require(lines.with(message: "Hero created").first)
            #expect(created.contains(oid) && created.contains(azp) && created.contains("hero=\(id)"))
        }
        #expect(!lines.all.withLock { $0.contains { $0.contains(token) || $0.contains("access_token") } })
    }

    @Test("a refused token's line has its status and no caller")
    func refusedLine() async throws {
        let lines = Lines()
        let token = accessToken() + "x"
        try await withHeroServer(logger: lines.logger) { client, _ in
            try await client.execute(uri: "/api/heroes/", method: .get, headers: headers(token: token)) {
                #expect($0.status == .unauthorized)
            }
        }
        let line = try #require(lines.with(message: "GET /api/heroes/ 401").first)
        #expect(line.contains("status=401") && !line.contains("oid=") && !line.contains("azp="))
        #expect(!lines.all.withLock { $0.contains { $0.contains(token) } })
    }
}
