import Foundation
import HTTPKit
import HTTPKitURLSession
import HTTPTypes
import PostgresTestSupport
import SystemHarness
import Testing

/// The real hero-server process with `HVALFANGST_DATABASE_URL`: the pool runs beside the HTTP
/// server, and a database it cannot use stops it at start.
@Suite("hero-server as a process, on PostgreSQL")
struct LivePostgresServerTests {
    @Test("it migrates the database, reports it ready, never logs the password, and stops cleanly")
    func startsOnPostgres() async throws {
        let postgres = try await PostgresTestServer.shared()
        let database = try await postgres.createDatabase()
        let server = try ChildProcess(
            try ChildProcess.builtProduct("hero-server"),
            environment: [
                // Trust authentication ignores the password; it must still never be printed.
                "HVALFANGST_DATABASE_URL": "postgres://postgres:hunter2@127.0.0.1:\(postgres.port)/\(database)?sslmode=disable",
                "HVALFANGST_AUTHORITY_HOST": "http://127.0.0.1:1",
                "PORT": "0",
            ]
        )
        let port = try await server.waitForOutput(/listening on 127\.0\.0\.1:(\d+)/).1
        let response = try await URLSessionHTTPClient().send(HTTPClientRequest(url: URL(string: "http://127.0.0.1:\(port)/readyz")!))
        // The authority is down, so not ready; but the database answers.
        #expect(response.status == .serviceUnavailable)
        #expect(String(decoding: response.body, as: UTF8.self).contains(#""database":"ok""#))
        #expect(try await postgres.strings("SELECT identifier FROM schema_migrations", database: database) == ["v1.createHero"])
        #expect(await server.stop() == 0)
        #expect(server.output.contains("Heroes are stored in PostgreSQL at postgres://postgres:***@127.0.0.1:\(postgres.port)/\(database)"))
        #expect(server.output.contains("Stopped; the hero store is closed"))
        #expect(!server.output.contains("hunter2"))
    }

    @Test(
        "a database URL that cannot work exits with status 2 naming HVALFANGST_DATABASE_URL, without the password",
        arguments: [
            "postgres://app:hunter2@127.0.0.1:1/heroes?sslmode=disable",
            "postgres://app:hunter2@127.0.0.1/heroes?sslmode=maybe",
            "mysql://app:hunter2@127.0.0.1/heroes",
        ]
    )
    func unusableURL(url: String) async throws {
        let server = try ChildProcess(try ChildProcess.builtProduct("hero-server"), environment: ["HVALFANGST_DATABASE_URL": url])
        #expect(await server.waitForExit() == 2)
        #expect(server.output.contains("HVALFANGST_DATABASE_URL"))
        #expect(!server.output.contains("hunter2"))
    }
}
