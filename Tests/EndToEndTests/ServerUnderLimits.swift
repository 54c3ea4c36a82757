import Foundation
import SystemHarness
import Testing

/// One of the three servers started as a process with chosen connection limits (and, for
/// hero-client and hero-server, a local-entra process to trust), for tests that talk to it
/// over raw sockets.
struct ServerUnderLimits {
    /// Which server.
    enum Kind: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case heroServer = "hero-server"
        case heroClient = "hero-client"
        case localEntra = "local-entra"

        var testDescription: String { rawValue }
    }

    let kind: Kind
    let port: Int
    /// The server under test.
    let process: ChildProcess
    /// local-entra, when the server needs one (its base URL, its state folder).
    let authority: (process: ChildProcess, base: String, state: URL)?
    let folder: URL

    /// Starts `kind` with `limits`: environment variables for hero-server and hero-client,
    /// the matching options for local-entra (so both ways of giving them are exercised).
    static func start(_ kind: Kind, limits: [String: String]) async throws -> ServerUnderLimits {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-limits-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let entraState = folder.appendingPathComponent("local-entra")
        let product = try ChildProcess.builtProduct(kind.rawValue)
        if kind == .localEntra {
            let flags = limits.flatMap { name, value in ["--" + Self.flag(for: name), value] }
            let process = try ChildProcess(
                product,
                arguments: ["serve", "--port", "0", "--state", entraState.path] + flags,
                environment: [:]
            )
            let port = Int(try await process.waitForOutput(/listening on 127\.0\.0\.1:(\d+)/).1)!
            return ServerUnderLimits(kind: kind, port: port, process: process, authority: nil, folder: folder)
        }
        let entra = try ChildProcess(
            try ChildProcess.builtProduct("local-entra"),
            arguments: ["serve", "--port", "0", "--state", entraState.path],
            environment: [:]
        )
        let base = "http://127.0.0.1:\(try await entra.waitForOutput(/listening on 127\.0\.0\.1:(\d+)/).1)"
        var environment = limits.merging(["HOST": "127.0.0.1", "PORT": "0"]) { $1 }
        var arguments: [String] = []
        if kind == .heroServer {
            environment["HVALFANGST_AUTHORITY_HOST"] = base
            environment["HVALFANGST_DB_PATH"] = folder.appendingPathComponent("heroes.sqlite").path
        } else {
            environment["AZURE_AUTHORITY_HOST"] = base
            environment["HVALFANGST_TOKEN_CACHE"] = folder.appendingPathComponent("cache.json").path
            arguments = ["serve", "--no-browser"]
        }
        let process = try ChildProcess(product, arguments: arguments, environment: environment)
        let port = Int(try await process.waitForOutput(/listening on 127\.0\.0\.1:(\d+)/).1)!
        return ServerUnderLimits(kind: kind, port: port, process: process, authority: (entra, base, entraState), folder: folder)
    }

    /// `HVALFANGST_IDLE_TIMEOUT_SECONDS` → `idle-timeout`.
    static func flag(for setting: String) -> String {
        setting.replacingOccurrences(of: "HVALFANGST_", with: "").replacingOccurrences(of: "_SECONDS", with: "")
            .lowercased().replacingOccurrences(of: "_", with: "-")
    }

    /// Stops the processes and removes the folder.
    func stop() async {
        await process.stop()
        if let authority { await authority.process.stop() }
        try? FileManager.default.removeItem(at: folder)
    }

    /// A request line and headers for this server, with a Host it serves.
    func head(_ method: String, _ path: String, version: String = "HTTP/1.1", _ fields: [String] = []) -> String {
        "\(method) \(path) \(version)\r\nHost: 127.0.0.1:\(port)\r\n" + fields.map { $0 + "\r\n" }.joined() + "\r\n"
    }

    /// A route that reads a request body (a form for local-entra, a hero for the others).
    var bodyRoute: (path: String, contentType: String) {
        switch kind {
        case .localEntra: ("/7c3e1f6a-4d2b-4b8e-9a51-2f0c8d6e9b10/oauth2/v2.0/token", "application/x-www-form-urlencoded")
        case .heroServer, .heroClient: ("/api/heroes/", "application/json")
        }
    }

    /// Headers a body route needs beyond the body's: hero-server wants a valid token first.
    func authorization() async throws -> [String] {
        guard kind == .heroServer, let authority else { return [] }
        let mint = try ChildProcess(
            try ChildProcess.builtProduct("local-entra"),
            arguments: ["token", "--state", authority.state.path, "--authority", authority.base],
            environment: [:]
        )
        #expect(await mint.waitForExit() == 0)
        let token = mint.output.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
        return ["Authorization: Bearer \(token)"]
    }

    /// Connects a raw socket to the server.
    func connect() throws -> RawConnection { try RawConnection(port: port) }
}
