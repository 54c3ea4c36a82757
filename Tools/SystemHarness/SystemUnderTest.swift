import Foundation
import HTTPKit
import HTTPKitNIO
import HTTPKitURLSession

/// The three processes of the system, started from the built executables on loopback, each
/// with its own data folder, and stopped together. An actor: the processes and their URLs
/// change as they start and restart, from whichever task drives them (and a Ctrl-C handler).
public actor SystemUnderTest {
    /// Ports to use; 0 picks free ones (tests), the contract's are 9000, 8080, 8000.
    public struct Ports: Sendable {
        /// local-entra's port.
        public var authority: Int
        /// hero-server's port.
        public var server: Int
        /// hero-client's port.
        public var client: Int

        /// The contract's ports: 9000, 8080, 8000.
        public static let contract = Ports(authority: 9000, server: 8080, client: 8000)
        /// Free ports, chosen by the kernel.
        public static let free = Ports(authority: 0, server: 0, client: 0)

        /// Creates a set of ports.
        public init(authority: Int, server: Int, client: Int) {
            self.authority = authority
            self.server = server
            self.client = client
        }
    }

    /// The data folder: local-entra's state, the heroes database, hero-client's token cache.
    public nonisolated let data: URL
    /// local-entra, once started.
    public private(set) var authority: ChildProcess?
    /// hero-server, once started (the latest one after a restart).
    public private(set) var server: ChildProcess?
    /// hero-client, once started.
    public private(set) var client: ChildProcess?
    /// local-entra's base URL, once it listens.
    public private(set) var authorityURL = ""
    /// hero-server's base URL, once it listens.
    public private(set) var serverURL = ""
    /// hero-client's base URL, once it listens.
    public private(set) var clientURL = ""
    private let binaries: URL
    private let ports: Ports
    private let authorityArguments: [String]
    private let clientSettings: [String: String]
    /// local-entra serves HTTPS (`serve --tls`), and the other two trust its CA.
    public nonisolated let tls: Bool

    /// Prepares; nothing runs until ``start()``. `clientSettings` adds to hero-client's
    /// environment; `tls` runs local-entra on HTTPS with its development CA.
    public init(
        binaries: URL,
        data: URL,
        ports: Ports,
        authorityArguments: [String] = [],
        clientSettings: [String: String] = [:],
        tls: Bool = false
    ) {
        self.binaries = binaries
        self.data = data
        self.ports = ports
        self.authorityArguments = authorityArguments
        self.clientSettings = clientSettings
        self.tls = tls
    }

    /// local-entra's development CA certificate, with ``tls`` (where `local-entra ca` puts it).
    public nonisolated var caFile: URL? {
        tls ? data.appendingPathComponent("local-entra/tls/ca.pem") : nil
    }

    /// A client for calls of the tests' own: trusting local-entra's CA with ``tls``.
    public nonisolated func makeHTTPClient() throws -> any HTTPClient {
        guard let caFile else { return URLSessionHTTPClient() }
        return NIOHTTPClient(extraTrustRoots: try ExtraTrustRoots(pemFile: caFile.path))
    }

    /// A scripted browser for the three, trusting local-entra's CA with ``tls`` (once started).
    public nonisolated func makeBrowser() throws -> ScriptedBrowser {
        guard let caFile else { return ScriptedBrowser() }
        let client = NIOHTTPClient(extraTrustRoots: try ExtraTrustRoots(pemFile: caFile.path), followsRedirects: false)
        return ScriptedBrowser(transport: HTTPClientBrowserTransport(client))
    }

    /// Checks that the fixed ports are free, naming the port and role of the first that is not.
    public nonisolated func checkPorts() throws {
        for (port, role) in [(ports.authority, "local-entra"), (ports.server, "hero-server"), (ports.client, "hero-client")] where port != 0
        {
            if PortProbe.isInUse(port) {
                throw ChildProcessError(
                    message: "Port \(port), needed by \(role), is already in use; stop what listens there, or choose other ports"
                )
            }
        }
    }

    /// Starts local-entra, hero-server and hero-client, each once the previous one listens.
    public func start() async throws {
        try checkPorts()
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let authority = try ChildProcess(
            binaries.appendingPathComponent("local-entra"),
            arguments: ["serve", "--port", "\(ports.authority)", "--state", data.appendingPathComponent("local-entra").path]
                + (tls ? ["--tls"] : []) + authorityArguments,
            environment: [:]
        )
        self.authority = authority
        let port = try await authority.waitForOutput(/listening on 127\.0\.0\.1:(\d+)/).1
        authorityURL = "\(tls ? "https" : "http")://127.0.0.1:\(port)"
        try await startServer()
        let client = try ChildProcess(
            binaries.appendingPathComponent("hero-client"),
            arguments: ["serve", "--no-browser"],
            environment: clientEnvironment
        )
        self.client = client
        clientURL = "http://127.0.0.1:\(try await client.waitForOutput(/listening on 127\.0\.0\.1:(\d+)/).1)"
    }

    /// Starts (or restarts) hero-server on its port (a restart reuses the port it had).
    public func startServer() async throws {
        let port = serverURL.isEmpty ? ports.server : Int(serverURL.split(separator: ":").last!)!
        let server = try ChildProcess(
            binaries.appendingPathComponent("hero-server"),
            arguments: [],
            environment: [
                "HVALFANGST_AUTHORITY_HOST": authorityURL, "HVALFANGST_DB_PATH": data.appendingPathComponent("heroes.sqlite").path,
                "HOST": "127.0.0.1", "PORT": "\(port)",
            ].merging(caSettings) { $1 }
        )
        self.server = server
        serverURL = "http://127.0.0.1:\(try await server.waitForOutput(/listening on 127\.0\.0\.1:(\d+)/).1)"
    }

    /// Stops hero-server gracefully; returns its exit status.
    public func stopServer() async -> Int32 {
        await server?.stop() ?? 0
    }

    /// The environment hero-client runs with (also for its other commands).
    public var clientEnvironment: [String: String] {
        [
            "AZURE_AUTHORITY_HOST": authorityURL, "HVALFANGST_API_URL": "\(serverURL)/api", "HOST": "127.0.0.1",
            "PORT": "\(clientURL.isEmpty ? ports.client : Int(clientURL.split(separator: ":").last!)!)",
            "HVALFANGST_TOKEN_CACHE": data.appendingPathComponent("hero-client/token-cache.json").path,
        ].merging(caSettings) { $1 }.merging(clientSettings) { $1 }
    }

    /// `HVALFANGST_CA_FILE` for hero-server and hero-client, with ``tls``.
    private nonisolated var caSettings: [String: String] {
        caFile.map { ["HVALFANGST_CA_FILE": $0.path] } ?? [:]
    }

    /// Stops everything that runs.
    public func stop() async {
        for process in [client, server, authority].compactMap({ $0 }) { await process.stop() }
    }
}
