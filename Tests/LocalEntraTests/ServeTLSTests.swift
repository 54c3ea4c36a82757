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

/// `local-entra serve --tls` and `local-entra ca` as processes: HTTPS that a client trusting
/// only the generated CA accepts, discovery in https, the CA kept across restarts.
@Suite("local-entra serve --tls, as a process")
struct ServeTLSTests {
    let state = FileManager.default.temporaryDirectory.appendingPathComponent("local-entra-tls-\(UUID().uuidString)")

    private func serve(_ extra: [String] = []) async throws -> (ChildProcess, Int) {
        let process = try ChildProcess(
            try ChildProcess.builtProduct("local-entra"),
            arguments: ["serve", "--tls", "--port", "0", "--state", state.path] + extra,
            environment: [:]
        )
        let port = try #require(Int(try await process.waitForOutput(/listening on 127\.0\.0\.1:(\d+)/).1))
        return (process, port)
    }

    private func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let process = try ChildProcess(try ChildProcess.builtProduct("local-entra"), arguments: arguments, environment: [:])
        let status = await process.waitForExit()
        return (status, process.output)
    }

    /// curl with `--cacert`, which trusts that file and nothing else: prints the status line
    /// and the body (discovery is public; no secret goes through here).
    private func curl(_ url: String, caFile: URL) async throws -> (status: Int32, output: String) {
        let process = try ChildProcess(
            URL(fileURLWithPath: "/usr/bin/curl"),
            arguments: ["--silent", "--show-error", "--cacert", caFile.path, "--write-out", "\nstatus %{http_code}", url],
            environment: [:]
        )
        let status = await process.waitForExit()
        // The output is read on another thread: wait for its last line, which --write-out prints.
        _ = try? await process.waitForOutput(/status \d{3}/, timeout: .seconds(5))
        return (status, process.output)
    }

    @Test("HTTPS that a client trusting only the CA accepts on localhost and 127.0.0.1; discovery advertises https")
    func servesHTTPS() async throws {
        defer { try? FileManager.default.removeItem(at: state) }
        let (process, port) = try await serve()
        let ca = DevelopmentTLS(stateFolder: state).authorityCertificate
        let tenant = DevelopmentTenant.tenantID
        for host in ["localhost", "127.0.0.1"] {
            let base = "https://\(host):\(port)"
            let answer = try await curl("\(base)/\(tenant)/v2.0/.well-known/openid-configuration", caFile: ca)
            #expect(answer.status == 0, "curl trusting only the CA: \(answer.output)")
            #expect(answer.output.contains("status 200"))
            #expect(answer.output.contains(#""issuer":"\#(base)/\#(tenant)/v2.0""#))
            #expect(answer.output.contains(#""token_endpoint":"\#(base)/\#(tenant)/oauth2/v2.0/token""#))
            #expect(!answer.output.contains("http://"), "every endpoint is https")
        }

        // SwiftNIO's client with the CA added to the system's: a client-credentials token.
        let http = NIOHTTPClient(extraTrustRoots: try ExtraTrustRoots(pemFile: ca.path))
        let token = try await http.send(
            HTTPClientRequest(
                method: .post,
                url: EntraAuthority(host: "https://127.0.0.1:\(port)", tenantID: tenant).tokenEndpoint,
                headerFields: [.contentType: "application/x-www-form-urlencoded"],
                body: Data(
                    FormEncoding.encode([
                        ("grant_type", "client_credentials"), ("client_id", DevelopmentTenant.clientID),
                        ("client_secret", DevelopmentTenant.clientSecret), ("scope", "\(DevelopmentTenant.apiAppIDURI)/.default"),
                    ]).utf8
                )
            )
        )
        #expect(token.status == .ok)

        // Without the CA, neither the system's trust nor URLSession accepts the server.
        let discovery = try #require(URL(string: "https://127.0.0.1:\(port)/\(tenant)/v2.0/.well-known/openid-configuration"))
        for client in [NIOHTTPClient(), URLSessionHTTPClient()] as [any HTTPClient] {
            await #expect {
                try await client.send(HTTPClientRequest(url: discovery))
            } throws: { error in
                (error as? HTTPClientError)?.code == .connectionFailed
            }
        }
        #expect(await process.stop() == 0)
    }

    @Test("a restart keeps the CA (trusted once), and `ca` prints its path; plain HTTP is not served")
    func restartKeepsTheCA() async throws {
        defer { try? FileManager.default.removeItem(at: state) }
        let printed = try await run(["ca", "--state", state.path])
        #expect(printed.status == 0)
        let ca = DevelopmentTLS(stateFolder: state).authorityCertificate
        #expect(printed.output.contains("created a development CA"))
        #expect(printed.output.split(separator: "\n").last.map(String.init) == ca.path)
        let first = try Data(contentsOf: ca)

        var (process, port) = try await serve()
        #expect(await process.stop() == 0)
        (process, port) = try await serve()
        #expect(try Data(contentsOf: ca) == first, "the CA made by `ca` is the one served, across restarts")
        let answer = try await curl("https://localhost:\(port)/", caFile: ca)
        #expect(answer.output.contains("status 200"))
        let plain = try #require(URL(string: "http://127.0.0.1:\(port)/"))
        await #expect(throws: HTTPClientError.self) { try await URLSessionHTTPClient().send(HTTPClientRequest(url: plain)) }
        #expect(await process.stop() == 0)

        let again = try await run(["ca", "--state", state.path])
        #expect(again.status == 0 && !again.output.contains("created"))
    }
}
