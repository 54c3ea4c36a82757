import Foundation
import JOSE
import LocalEntra
import SystemHarness
import TestSupport
import Testing

@Suite("The local-entra command")
struct CommandLineTests {
    let state = FileManager.default.temporaryDirectory.appendingPathComponent("local-entra-cli-\(UUID().uuidString)")

    private func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let process = try ChildProcess(try ChildProcess.builtProduct("local-entra"), arguments: arguments, environment: [:])
        let status = await process.waitForExit()
        return (status, process.output)
    }

    @Test("token prints an access token with the asked scopes; --app-only one with the client's roles")
    func token() async throws {
        defer { try? FileManager.default.removeItem(at: state) }
        let user = try await run(["token", "--state", state.path, "--scopes", "Heroes.Read"])
        #expect(user.status == 0)
        let token = user.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(claims(token)["scp"] == "Heroes.Read")
        #expect(claims(token)["iss"] == .string("http://127.0.0.1:9000/\(tenant)/v2.0"))

        let app = try await run(["token", "--state", state.path, "--app-only"])
        #expect(claims(app.output.trimmingCharacters(in: .whitespacesAndNewlines))["roles"] == ["Heroes.Read", "Heroes.Write"])

        let unknown = try await run(["token", "--state", state.path, "--scopes", "Heroes.Fly"])
        #expect(unknown.status != 0 && unknown.output.contains("Heroes.Fly"))
    }

    @Test("token --count prints that many distinct tokens, one per line; a count out of range is refused")
    func tokenCount() async throws {
        defer { try? FileManager.default.removeItem(at: state) }
        let many = try await run(["token", "--state", state.path, "--count", "25"])
        #expect(many.status == 0)
        let tokens = many.output.split(separator: "\n").map(String.init)
        #expect(tokens.count == 25)
        #expect(Set(tokens).count == 25)
        #expect(tokens.allSatisfy { claims($0)["scp"] == "Heroes.Read Heroes.Write Heroes.Delete" })

        let none = try await run(["token", "--state", state.path, "--count", "0"])
        #expect(none.status != 0 && none.output.contains("--count"))
    }

    @Test("rotate-keys publishes a new key and keeps the old one")
    func rotateKeys() async throws {
        defer { try? FileManager.default.removeItem(at: state) }
        let before = try await SigningKeyStore(stateFolder: state).current().keyID
        let rotated = try await run(["rotate-keys", "--state", state.path])
        #expect(rotated.status == 0)
        let keys = try await SigningKeyStore(stateFolder: state).publishedKeys().map(\.keyID)
        #expect(keys.count == 2 && keys.first == before)
    }

    @Test("a malformed --config exits with status 2 naming the problem")
    func malformedConfig() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("registrations-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(#"{"tenantID": "not-a-guid", "apis": [], "clients": [], "users": []}"#.utf8).write(to: file)
        let result = try await run(["serve", "--config", file.path, "--state", state.path, "--port", "0"])
        #expect(result.status == 2)
        #expect(result.output.contains("tenantID 'not-a-guid' is not a GUID"))
    }

    @Test("binding beyond loopback needs --allow-remote")
    func loopbackOnly() async throws {
        let result = try await run(["serve", "--host", "0.0.0.0", "--state", state.path])
        #expect(result.status != 0)
        #expect(result.output.contains("--allow-remote"))
    }

    @Test("--public-url is the base of the issuer and endpoints; a bad one is refused naming it")
    func publicURL() async throws {
        defer { try? FileManager.default.removeItem(at: state) }
        let process = try ChildProcess(
            try ChildProcess.builtProduct("local-entra"),
            arguments: ["serve", "--port", "0", "--state", state.path, "--public-url", "https://entra.localtest.me:8443/"],
            environment: [:]
        )
        let port = try await process.waitForOutput(/listening on 127\.0\.0\.1:(\d+)/).1
        let document = try await ScriptedBrowser().open("http://127.0.0.1:\(port)/\(tenant)/v2.0/.well-known/openid-configuration")
        _ = await process.stop()
        #expect(document.body.contains(#""issuer":"https://entra.localtest.me:8443/\#(tenant)/v2.0""#))
        #expect(document.body.contains(#""token_endpoint":"https://entra.localtest.me:8443/\#(tenant)/oauth2/v2.0/token""#))
        #expect(!document.body.contains("127.0.0.1"), "the Host the request came to does not leak into the document")

        for bad in ["http://entra.example", "https://entra.example/sub/path", "ftp://x"] {
            let refused = try await run(["serve", "--port", "0", "--state", state.path, "--public-url", bad])
            #expect(refused.status != 0 && refused.output.contains("--public-url"), "\(bad)")
        }
    }
}
