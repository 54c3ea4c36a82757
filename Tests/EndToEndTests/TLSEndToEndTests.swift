import Foundation
import HTTPKit
import HTTPKitNIO
import HTTPKitURLSession
import HTTPTypes
import LocalEntra
import OIDCCore
import SystemHarness
import TestSupport
import Testing

/// The whole system with local-entra on HTTPS (`serve --tls`): hero-server and hero-client
/// trust its development CA through `HVALFANGST_CA_FILE`, and nothing else changes.
@Suite("End to end over HTTPS: local-entra serve --tls")
struct TLSEndToEndTests {
    private func folder(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(name)-\(UUID().uuidString)")
    }

    /// A client-credentials token for the Heroes API from the authority at `authority`.
    private func appToken(authority: String, http: any HTTPClient) async throws -> String {
        let response = try await http.send(
            HTTPClientRequest(
                method: .post,
                url: EntraAuthority(host: authority, tenantID: DevelopmentTenant.tenantID).tokenEndpoint,
                headerFields: [.contentType: "application/x-www-form-urlencoded"],
                body: Data(
                    FormEncoding.encode([
                        ("grant_type", "client_credentials"), ("client_id", DevelopmentTenant.clientID),
                        ("client_secret", DevelopmentTenant.clientSecret), ("scope", "\(DevelopmentTenant.apiAppIDURI)/.default"),
                    ]).utf8
                )
            )
        )
        #expect(response.status == .ok)
        let body = try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any])
        return try #require(body["access_token"] as? String)
    }

    private func heroes(_ serverURL: String, token: String) async throws -> Int {
        let url = try #require(URL(string: "\(serverURL)/api/heroes/"))
        return try await URLSessionHTTPClient().send(HTTPClientRequest(url: url, headerFields: [.authorization: "Bearer \(token)"])).status
            .code
    }

    @Test("the demo over HTTPS: browser sign-in at the https authority, create, list, get, delete, restart")
    func demo() async throws {
        let data = folder("demo-tls")
        defer { try? FileManager.default.removeItem(at: data) }
        let demo = try ChildProcess(
            try ChildProcess.builtProduct("hero-demo"),
            arguments: ["--tls", "--ports", "0", "--ports", "0", "--ports", "0", "--data", data.path],
            environment: [:]
        )
        let status = await demo.waitForExit(timeout: .seconds(120))
        #expect(status == 0, "\(demo.output)")
        #expect(demo.output.contains("listening on https://127.0.0.1:"))
        #expect(demo.output.contains("All 18 steps passed."))
        #expect(!demo.output.contains("eyJ"), "no raw token in the transcript")
    }

    @Test("a token from the https authority is accepted by hero-server, which fetched the keys over HTTPS trusting the CA")
    func tokenRound() async throws {
        let data = folder("tls")
        defer { try? FileManager.default.removeItem(at: data) }
        let binaries = try ChildProcess.builtProduct("hero-server").deletingLastPathComponent()
        let system = SystemUnderTest(binaries: binaries, data: data, ports: .free, tls: true)
        do {
            try await system.start()
            let authority = await system.authorityURL
            #expect(authority.hasPrefix("https://127.0.0.1:"))
            let token = try await appToken(authority: authority, http: try system.makeHTTPClient())
            #expect(try await heroes(await system.serverURL, token: token) == 200)
            let server = try #require(await system.server)
            #expect(server.output.contains("Outbound HTTPS also trusts the CAs in \(try #require(system.caFile).path)"))

            // The same authority, a hero-server without the CA: it cannot fetch the keys, so
            // the same token is not accepted (503: keys unavailable), and the server keeps running.
            let untrusting = try ChildProcess(
                binaries.appendingPathComponent("hero-server"),
                environment: [
                    "HVALFANGST_AUTHORITY_HOST": authority, "PORT": "0",
                    "HVALFANGST_DB_PATH": data.appendingPathComponent("other.sqlite").path,
                ]
            )
            let port = try await untrusting.waitForOutput(/listening on 127\.0\.0\.1:(\d+)/).1
            #expect(try await heroes("http://127.0.0.1:\(port)", token: token) == 503)
            #expect(untrusting.isRunning)
            await untrusting.stop()
        } catch {
            await system.stop()
            throw error
        }
        await system.stop()
    }

    @Test("hero-server fetches the keys through the proxy HTTPS_PROXY names (a CONNECT tunnel), and loads no libcurl")
    func throughAProxy() async throws {
        let data = folder("proxy")
        defer { try? FileManager.default.removeItem(at: data) }
        let binaries = try ChildProcess.builtProduct("hero-server").deletingLastPathComponent()
        let system = SystemUnderTest(binaries: binaries, data: data, ports: .free, tls: true)
        let proxy = try await ForwardProxy.start()
        do {
            try await system.start()
            let authority = await system.authorityURL
            let token = try await appToken(authority: authority, http: try system.makeHTTPClient())
            let server = try ChildProcess(
                binaries.appendingPathComponent("hero-server"),
                environment: [
                    "HVALFANGST_AUTHORITY_HOST": authority, "PORT": "0", "HVALFANGST_CA_FILE": try #require(system.caFile).path,
                    "HVALFANGST_DB_PATH": data.appendingPathComponent("proxied.sqlite").path,
                    "HTTPS_PROXY": "http://127.0.0.1:\(proxy.port)",
                ]
            )
            let port = try await server.waitForOutput(/listening on 127\.0\.0\.1:(\d+)/).1
            #expect(try await heroes("http://127.0.0.1:\(port)", token: token) == 200)
            let authorityAddress = try #require(authority.split(separator: "/").last)
            #expect(proxy.targets.contains(String(authorityAddress)), "the keys came through the proxy: \(proxy.targets)")
            #expect(server.output.contains("Outbound HTTPS goes through http://127.0.0.1:\(proxy.port), HTTP directly"))

            // What URLSession would have loaded: FoundationNetworking, libcurl and its libraries.
            // (`/proc` files have no size: read to the end, not by the size.)
            let file = try FileHandle(forReadingFrom: URL(fileURLWithPath: "/proc/\(server.processIdentifier)/maps"))
            let maps = String(decoding: try file.readToEnd() ?? Data(), as: UTF8.self)
            try file.close()
            #expect(maps.contains("libswiftCore"), "the map is the server's")
            #expect(!maps.contains("libcurl"))
            #expect(!maps.contains("FoundationNetworking"))
            await server.stop()
        } catch {
            await system.stop()
            try await proxy.stop()
            throw error
        }
        await system.stop()
        try await proxy.stop()
    }

    @Test("a CA file that is missing or not PEM stops hero-server and hero-client with status 2, naming HVALFANGST_CA_FILE")
    func badCAFile() async throws {
        let data = folder("bad-ca")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: data) }
        let garbage = data.appendingPathComponent("garbage.pem")
        try Data("no certificate here".utf8).write(to: garbage)
        for file in [data.appendingPathComponent("missing.pem").path, garbage.path] {
            let server = try ChildProcess(
                try ChildProcess.builtProduct("hero-server"),
                environment: ["HVALFANGST_CA_FILE": file, "PORT": "0", "HVALFANGST_DB_PATH": data.appendingPathComponent("h.sqlite").path]
            )
            #expect(await server.waitForExit() == 2)
            #expect(server.output.contains("HVALFANGST_CA_FILE '\(file)'"))
            let client = try ChildProcess(
                try ChildProcess.builtProduct("hero-client"),
                arguments: ["whoami"],
                environment: ["HVALFANGST_CA_FILE": file, "HOME": data.path],
                directory: data
            )
            #expect(await client.waitForExit() == 2)
            #expect(client.output.contains("HVALFANGST_CA_FILE '\(file)'"))
        }
    }
}
