import Foundation
import HTTPKit
import HTTPKitURLSession
import HTTPTypes
import PostgresTestSupport
import SystemHarness
import Testing

/// Two hero-server processes on one PostgreSQL database, as the Azure plan runs them.
@Suite("Scale out: two hero-servers on one PostgreSQL database")
struct ScaleOutTests {
    static let hero =
        #"{"name": "Scale", "race": "Human", "class_": "Fighter", "level": 3, "hit_points": 20, "armor_class": 12, "speed": 30}"#

    /// An instance started on a free port against `databaseURL`, trusting `authority`.
    func startServer(authority: String, databaseURL: String) async throws -> (process: ChildProcess, url: String) {
        let process = try ChildProcess(
            try ChildProcess.builtProduct("hero-server"),
            arguments: [],
            environment: ["HVALFANGST_AUTHORITY_HOST": authority, "HVALFANGST_DATABASE_URL": databaseURL, "HOST": "127.0.0.1", "PORT": "0"]
        )
        return (process, "http://127.0.0.1:\(try await process.waitForOutput(/listening on 127\.0\.0\.1:(\d+)/).1)")
    }

    /// Creates one hero through `server`; its id once the server acknowledged it, else nil.
    func create(_ server: String, token: String) async -> String? {
        let request = HTTPClientRequest(
            method: .post,
            url: URL(string: "\(server)/api/heroes/")!,
            headerFields: [.authorization: "Bearer \(token)", .contentType: "application/json"],
            body: Data(Self.hero.utf8)
        )
        guard let response = try? await URLSessionHTTPClient().send(request), response.status == .created,
            let body = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any]
        else { return nil }
        return body["id"] as? String
    }

    /// Every hero id, paging through `server` seven at a time.
    func allIDs(_ server: String, token: String) async throws -> [String] {
        var ids: [String] = []
        while true {
            let response = try await URLSessionHTTPClient().send(
                HTTPClientRequest(
                    url: URL(string: "\(server)/api/heroes/?limit=7&offset=\(ids.count)")!,
                    headerFields: [.authorization: "Bearer \(token)"]
                )
            )
            #expect(response.status == .ok)
            let page = try #require(try JSONSerialization.jsonObject(with: response.body) as? [[String: Any]])
            ids += page.compactMap { $0["id"] as? String }
            if page.count < 7 { return ids }
        }
    }

    @Test("concurrent creates through both, one killed (-9) mid-write: every acknowledged hero is there once, paging through either")
    func twoInstances() async throws {
        let postgres = try await PostgresTestServer.shared()
        let database = try await postgres.createDatabase()
        let databaseURL = postgres.url(database: database)
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("scale-out-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        let entra = try ChildProcess(
            try ChildProcess.builtProduct("local-entra"),
            arguments: ["serve", "--port", "0", "--state", state.path],
            environment: [:]
        )
        let authority = "http://127.0.0.1:\(try await entra.waitForOutput(/listening on 127\.0\.0\.1:(\d+)/).1)"
        let minted = try ChildProcess(
            try ChildProcess.builtProduct("local-entra"),
            arguments: ["token", "--app-only", "--state", state.path, "--authority", authority],
            environment: [:]
        )
        #expect(await minted.waitForExit() == 0)
        let token = minted.output.trimmingCharacters(in: .whitespacesAndNewlines)

        // Started together: both migrate the fresh database, and it is migrated once.
        async let first = startServer(authority: authority, databaseURL: databaseURL)
        async let second = startServer(authority: authority, databaseURL: databaseURL)
        let (a, b) = try await (first, second)

        // Concurrent creates through both.
        let created = await withTaskGroup(of: String?.self) { group in
            for index in 0..<40 { group.addTask { await create(index.isMultiple(of: 2) ? a.url : b.url, token: token) } }
            return await group.reduce(into: [String]()) { if let id = $1 { $0.append(id) } }
        }
        #expect(created.count == 40)

        // Writes in flight through A when it is killed: what it acknowledged must survive.
        let (acknowledgements, tell) = AsyncStream.makeStream(of: String.self)
        let writer = Task {
            var acknowledged: [String] = []
            while acknowledged.count < 2_000, let id = await create(a.url, token: token) {
                acknowledged.append(id)
                tell.yield(id)
            }
            tell.finish()
            return acknowledged
        }
        var seen = 0
        for await _ in acknowledgements {
            seen += 1
            if seen == 10 { break }
        }
        _ = await a.process.stop(signal: SIGKILL)
        let beforeKill = await writer.value
        #expect(beforeKill.count >= 10)

        let throughB = try await allIDs(b.url, token: token)
        #expect(Set(throughB).count == throughB.count, "no hero listed twice")
        #expect(Set(created + beforeKill).isSubset(of: Set(throughB)), "an acknowledged hero is missing")
        #expect(
            try await postgres.strings(
                "SELECT count(*)::text FROM schema_migrations",
                database: database
            ) == ["1"]
        )

        // A restarted instance pages the same heroes, once each.
        let c = try await startServer(authority: authority, databaseURL: databaseURL)
        #expect(try await allIDs(c.url, token: token) == throughB)
        for process in [b.process, c.process, entra] { _ = await process.stop() }
    }
}
