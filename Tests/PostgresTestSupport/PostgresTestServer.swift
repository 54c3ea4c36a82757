import Foundation
import Logging
import PostgresNIO
import Synchronization

/// A throwaway PostgreSQL cluster for tests: `initdb` in a temporary folder, `postgres` on a
/// free port of 127.0.0.1 (and a Unix socket in the folder), trust authentication for the
/// superuser `postgres`, no fsync (nothing here needs to survive a power cut).
///
/// The server refuses to run as root, and tests run as root in CI: then `initdb` and `pg_ctl`
/// run as the `postgres` system user of Debian's package (through `runuser`), in a folder
/// under that user's home, which it owns. ``shared()`` starts one cluster per test process, on first use; each test
/// takes its own database (``createDatabase()``), so tests stay isolated and run in parallel.
/// A test that stops the server starts its own cluster with ``start()``. Clusters still
/// running when the process exits are stopped and removed then.
public final class PostgresTestServer: Sendable {
    /// The superuser every test connects as (trust authentication, no password).
    public static let user = "postgres"

    /// The folder that holds the cluster (`data`), its log and its socket.
    public let folder: URL
    /// The TCP port the server listens on, on 127.0.0.1.
    public let port: Int
    private let tools: PostgresTools

    private init(folder: URL, port: Int, tools: PostgresTools) {
        self.folder = folder
        self.port = port
        self.tools = tools
    }

    /// The cluster shared by every test of this process, started on first use.
    public static func shared() async throws -> PostgresTestServer {
        try await sharedStart.value
    }

    private static let sharedStart = Task { try await start() }

    /// Starts a new cluster of its own (for a test that stops or restarts the server). With
    /// `passwordAuthentication`, every role but the superuser signs in over TCP with a
    /// password (SCRAM), as a managed server demands.
    public static func start(passwordAuthentication: Bool = false) async throws -> PostgresTestServer {
        let tools = try PostgresTools.find()
        let base = try tools.runsAsOtherUser ? tools.serverUserHome() : FileManager.default.temporaryDirectory
        Cleanup.removeAbandoned(in: base, tools: tools)
        let folder = base.appendingPathComponent("\(Cleanup.prefix)\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // Whose cluster this is, so that a later run can remove it if this process dies first.
        try Data("\(getpid())".utf8).write(to: folder.appendingPathComponent(Cleanup.ownerFile))
        try tools.handOver(folder)
        Cleanup.register(folder: folder, tools: tools)
        try await tools.run(
            "initdb",
            ["-D", folder.appendingPathComponent("data").path, "-U", user, "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"],
            in: folder
        )
        if passwordAuthentication {
            // pg_hba.conf: the first matching line decides.
            let rules = "local all all trust\nhost all \(user) 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 scram-sha-256\n"
            try Data(rules.utf8).write(to: folder.appendingPathComponent("data/pg_hba.conf"))
        }
        let server = PostgresTestServer(folder: folder, port: try freePort(), tools: tools)
        try await server.startServer()
        return server
    }

    /// Starts the server (again) on the same folder and port; returns once it accepts connections.
    public func startServer() async throws {
        let options = [
            "-p \(port)", "-c listen_addresses=127.0.0.1", "-c unix_socket_directories='\(folder.path)'", "-c fsync=off",
            "-c synchronous_commit=off", "-c full_page_writes=off", "-c max_connections=400", "-c shared_buffers=32MB",
        ]
        try await tools.run(
            "pg_ctl",
            [
                "-w", "-t", "60", "-D", dataPath, "-l", folder.appendingPathComponent("server.log").path, "-o",
                options.joined(separator: " "), "start",
            ],
            in: folder
        )
    }

    /// Stops the server (fast shutdown: open sessions are ended); returns once it is down.
    public func stopServer() async throws {
        try await tools.run("pg_ctl", ["-w", "-D", dataPath, "-m", "fast", "stop"], in: folder)
    }

    /// Creates a new, empty database and returns its name.
    public func createDatabase() async throws -> String {
        let name = "heroes_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased())"
        try await execute("CREATE DATABASE \(name)")
        return name
    }

    /// The libpq URL of `database` on this server, as hero-server's `HVALFANGST_DATABASE_URL`.
    public func url(database: String) -> String {
        "postgres://\(Self.user)@127.0.0.1:\(port)/\(database)?sslmode=disable"
    }

    /// Runs `sql` as the superuser on `database` (by default the maintenance database).
    public func execute(_ sql: String, database: String = "postgres") async throws {
        let connection = try await PostgresConnection.connect(
            configuration: .init(host: "127.0.0.1", port: port, username: Self.user, password: nil, database: database, tls: .disable),
            id: 1,
            logger: Logger(label: "postgres-test-server")
        )
        defer { Task { try? await connection.close() } }
        try await connection.query(PostgresQuery(unsafeSQL: sql), logger: Logger(label: "postgres-test-server"))
    }

    /// The first column of every row of `sql` on `database`, as strings.
    public func strings(_ sql: String, database: String) async throws -> [String] {
        let connection = try await PostgresConnection.connect(
            configuration: .init(host: "127.0.0.1", port: port, username: Self.user, password: nil, database: database, tls: .disable),
            id: 1,
            logger: Logger(label: "postgres-test-server")
        )
        defer { Task { try? await connection.close() } }
        var values: [String] = []
        for try await value in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: Logger(label: "postgres-test-server"))
            .decode(String.self)
        {
            values.append(value)
        }
        return values
    }

    /// Stops the server and removes its folder.
    public func remove() async throws {
        try await stopServer()
        Cleanup.forget(folder: folder)
        try? FileManager.default.removeItem(at: folder)
    }

    private var dataPath: String { folder.appendingPathComponent("data").path }

    /// A port nobody listens on now (the kernel's choice for port 0).
    private static func freePort() throws -> Int {
        let channel = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).wait()
        defer { try? channel.close().wait() }
        guard let port = channel.localAddress?.port else { throw PostgresTestServerError("no port was assigned") }
        return port
    }
}

/// Clusters to stop when the test process exits, as Swift Testing has no end-of-run hook.
enum Cleanup {
    private static let state = Mutex<(hooked: Bool, folders: [URL: PostgresTools])>((false, [:]))

    static func register(folder: URL, tools: PostgresTools) {
        let hook = state.withLock { state in
            state.folders[folder] = tools
            defer { state.hooked = true }
            return !state.hooked
        }
        if hook { atexit { Cleanup.stopAll() } }
    }

    static func forget(folder: URL) {
        _ = state.withLock { $0.folders.removeValue(forKey: folder) }
    }

    /// The start of every cluster folder's name.
    static let prefix = "hvalfangst-pg-"
    /// The file in a cluster folder that holds the test process's id.
    static let ownerFile = "owner.pid"

    /// Stops and removes the clusters in `base` left by test processes that died without
    /// cleaning up (killed, or stopped by a debugger).
    static func removeAbandoned(in base: URL, tools: PostgresTools) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? []
        for name in names where name.hasPrefix(prefix) {
            let folder = base.appendingPathComponent(name)
            guard let text = try? String(contentsOf: folder.appendingPathComponent(ownerFile), encoding: .utf8),
                let owner = pid_t(text), kill(owner, 0) != 0, errno == ESRCH
            else { continue }
            tools.runBlocking("pg_ctl", ["-w", "-D", folder.appendingPathComponent("data").path, "-m", "immediate", "stop"], in: folder)
            try? FileManager.default.removeItem(at: folder)
        }
    }

    private static func stopAll() {
        for (folder, tools) in state.withLock({ $0.folders }) {
            tools.runBlocking("pg_ctl", ["-w", "-D", folder.appendingPathComponent("data").path, "-m", "immediate", "stop"], in: folder)
            try? FileManager.default.removeItem(at: folder)
        }
    }
}

/// A failure of the test server, with what the tool said.
public struct PostgresTestServerError: Error, CustomStringConvertible {
    /// What went wrong.
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
