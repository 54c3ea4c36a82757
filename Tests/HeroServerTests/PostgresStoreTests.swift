import AppConfiguration
import Foundation
import HeroDomain
import HeroStorePostgres
import Hummingbird
import HummingbirdTesting
import JOSE
import Logging
import NIOCore
import PostgresTestSupport
import TestSupport
import Testing

@testable import HeroServer

@Suite("hero-server on PostgreSQL (HVALFANGST_DATABASE_URL)")
struct PostgresStoreTests {
    @Test("with a database URL the heroes live in PostgreSQL, and /readyz reports the database")
    func routesAndReadiness() async throws {
        let server = try await PostgresTestServer.shared()
        let database = try await server.createDatabase()
        let settings = try configuration(["HVALFANGST_DATABASE_URL": server.url(database: database)])
        let store = try await HeroStore.open(configuration: settings, logger: Logger(label: "test"))
        guard case .postgres(let repository) = store else {
            Issue.record("HVALFANGST_DATABASE_URL did not select PostgreSQL")
            return
        }
        #expect(store.describe(settings).contains("PostgreSQL at postgres://postgres@127.0.0.1:\(server.port)/\(database)"))
        let pool = Task { try await repository.run() }
        defer { pool.cancel() }

        let authority = FakeAuthority(host: devAuthorityHost, keys: [TestKeys.primary])
        let application = buildApplication(
            configuration: settings,
            repository: store.repository,
            httpClient: authority,
            logger: Logger(label: "test")
        )
        try await application.test(.router) { client in
            let created = try await client.execute(
                uri: "/api/heroes/",
                method: .post,
                headers: headers(token: accessToken(), json: true),
                body: ByteBuffer(string: gimliJSON)
            )
            #expect(created.status == .created)
            let id = try #require(created.object["id"] as? String)
            // The row is in the server's table, read without the store.
            #expect(try await server.strings("SELECT id::text FROM hero", database: database) == [id])
            try await client.execute(uri: "/readyz", method: .get) {
                #expect($0.status == .ok)
                #expect(String(buffer: $0.body) == #"{"database":"ok","signing_keys":"loaded","status":"ready"}"#)
            }
        }
    }

    @Test("a database that refuses connections makes /readyz 503 with the database unavailable, and hero calls 503 with Retry-After")
    func databaseDown() async throws {
        let server = try await PostgresTestServer.shared()
        let database = try await server.createDatabase()
        var settings = try configuration()
        var postgres = PostgresHeroRepository.Configuration(url: try PostgresURL(server.url(database: database)))
        postgres.operationTimeout = .milliseconds(500)
        let repository = try await PostgresHeroRepository.open(postgres, logger: Logger(label: "test"))
        settings.databaseURL = postgres.url
        let pool = Task { try await repository.run() }
        defer { pool.cancel() }

        // As if the server went away: no new sessions, the open ones ended.
        try await server.execute("ALTER DATABASE \(database) ALLOW_CONNECTIONS false")
        try await server.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(database)'")

        let authority = FakeAuthority(host: devAuthorityHost, keys: [TestKeys.primary])
        let application = buildApplication(
            configuration: settings,
            repository: repository,
            httpClient: authority,
            logger: Logger(label: "test")
        )
        try await application.test(.router) { client in
            try await client.execute(uri: "/readyz", method: .get) {
                #expect($0.status == .serviceUnavailable)
                #expect(String(buffer: $0.body) == #"{"database":"unavailable","signing_keys":"loaded","status":"not ready"}"#)
            }
            try await client.execute(uri: "/api/heroes/", method: .get, headers: headers(token: accessToken())) {
                #expect($0.status == .serviceUnavailable)
                #expect($0.headers[.retryAfter] == "5")
            }
        }
    }

    @Test("a PostgreSQL server that cannot be reached stops the start with an error naming HVALFANGST_DATABASE_URL")
    func unreachable() async throws {
        // Port 1 of the loopback: nobody listens there.
        let settings = try configuration(["HVALFANGST_DATABASE_URL": "postgres://app:hunter2@127.0.0.1:1/heroes?sslmode=disable"])
        await #expect {
            try await HeroStore.open(configuration: settings, logger: Logger(label: "test"))
        } throws: { error in
            guard let error = error as? ConfigurationError else { return false }
            return error.setting == "HVALFANGST_DATABASE_URL" && error.problem.contains("cannot be reached")
                && !error.description.contains("hunter2")
        }
    }

    @Test("without a database URL the store is SQLite, as before")
    func sqliteByDefault() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hero-server-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let settings = try configuration(["HVALFANGST_DB_PATH": folder.appendingPathComponent("heroes.sqlite").path])
        let store = try await HeroStore.open(configuration: settings, logger: Logger(label: "test"))
        guard case .sqlite = store else {
            Issue.record("SQLite was not selected")
            return
        }
        #expect(store.describe(settings).hasPrefix("Heroes are stored in SQLite at \(folder.path)"))
    }
}
