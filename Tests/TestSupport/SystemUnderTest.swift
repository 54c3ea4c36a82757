import Foundation

/// The three processes of the system, started from the built executables on loopback, each
/// with its own data folder, and stopped together.
public final class SystemUnderTest: @unchecked Sendable {
    /// Ports to use; 0 picks free ones (tests), the contract's are 9000, 8080, 8000.
    public struct Ports: Sendable {
        public var authority: Int
        public var server: Int
        public var client: Int

        public static let contract = Ports(authority: 9000, server: 8080, client: 8000)
        public static let free = Ports(authority: 0, server: 0, client: 0)

        public init(authority: Int, server: Int, client: Int) {
            self.authority = authority
            self.server = server
            self.client = client
        }
    }

    public let data: URL
    public private(set) var authority: ChildProcess?
    public private(set) var server: ChildProcess?
    public private(set) var client: ChildProcess?
    public private(set) var authorityURL = ""
    public private(set) var serverURL = ""
    public private(set) var clientURL = ""
    private let binaries: URL
    private let ports: Ports
    private let authorityArguments: [String]
    private let clientSettings: [String: String]

    /// Prepares; nothing runs until ``start()``. `clientSettings` adds to hero-client's environment.
    public init(binaries: URL, data: URL, ports: Ports, authorityArguments: [String] = [], clientSettings: [String: String] = [:]) {
        self.binaries = binaries
        self.data = data
        self.ports = ports
        self.authorityArguments = authorityArguments
        self.clientSettings = clientSettings
    }

    /// Checks that the fixed ports are free, naming the port and role of the first that is not.
    public func checkPorts() throws {
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
                + authorityArguments,
            environment: [:]
        )
        self.authority = authority
        authorityURL = "http://127.0.0.1:\(try await authority.waitForOutput(/listening on 127\.0\.0\.1:(\d+)/).1)"
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
            ]
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
        ].merging(clientSettings) { $1 }
    }

    /// Stops everything that runs.
    public func stop() async {
        for process in [client, server, authority].compactMap({ $0 }) { await process.stop() }
    }
}

/// Loopback ports: is one taken, and which one is free.
public enum PortProbe {
    /// A port nothing listens on now (the kernel's choice for port 0).
    public static func freePort() -> Int {
        let socket = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether something listens on `port` of 127.0.0.1.
    public static func isInUse(_ port: Int) -> Bool {
        let socket = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return false }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
