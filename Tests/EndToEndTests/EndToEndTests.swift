import Foundation
import HTTPKit
import HTTPKitURLSession
import HTTPTypes
import JOSE
import LocalEntra
import OIDCCore
import SystemHarness
import TestSupport
import Testing

/// The three real processes on free loopback ports, each test with its own data folder.
@Suite("End to end: local-entra, hero-server and hero-client as processes")
struct EndToEndTests {
    static let heroesAPI = DevelopmentTenant.apiAppIDURI
    static let secondAPI = "api://\(DevelopmentTenant.secondAPIClientID)"

    private func withSystem(authorityArguments: [String] = [], _ test: (SystemUnderTest) async throws -> Void) async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let binaries = try ChildProcess.builtProduct("hero-server").deletingLastPathComponent()
        let system = SystemUnderTest(binaries: binaries, data: data, ports: .free, authorityArguments: authorityArguments)
        do {
            try await system.start()
            try await test(system)
        } catch {
            await system.stop()
            throw error
        }
        await system.stop()
    }

    /// A client-credentials token from local-entra.
    private func appToken(_ system: SystemUnderTest, scope: String) async throws -> String {
        let response = try await URLSessionHTTPClient().send(
            HTTPClientRequest(
                method: .post,
                url: EntraAuthority(host: await system.authorityURL, tenantID: DevelopmentTenant.tenantID).tokenEndpoint,
                headerFields: [.contentType: "application/x-www-form-urlencoded"],
                body: Data(
                    FormEncoding.encode([
                        ("grant_type", "client_credentials"), ("client_id", DevelopmentTenant.clientID),
                        ("client_secret", DevelopmentTenant.clientSecret), ("scope", scope),
                    ]).utf8
                )
            )
        )
        let body = try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any])
        return try #require(body["access_token"] as? String)
    }

    /// Calls hero-server directly with `token`; returns the status.
    private func callServer(
        _ system: SystemUnderTest,
        _ method: HTTPRequest.Method,
        _ path: String,
        token: String,
        json: String? = nil
    ) async throws -> Int {
        var fields: HTTPFields = [.authorization: "Bearer \(token)"]
        if json != nil { fields[.contentType] = "application/json" }
        let response = try await URLSessionHTTPClient().send(
            HTTPClientRequest(
                method: method,
                url: URL(string: "\(await system.serverURL)\(path)")!,
                headerFields: fields,
                body: json.map { Data($0.utf8) }
            )
        )
        return response.status.code
    }

    @Test("the demo's flow: browser sign-in, create, list, get, delete, restart, heroes kept")
    func demo() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let demo = try ChildProcess(
            try ChildProcess.builtProduct("hero-demo"),
            arguments: ["--ports", "0", "--ports", "0", "--ports", "0", "--data", data.path],
            environment: [:]
        )
        let status = await demo.waitForExit(timeout: .seconds(120))
        #expect(status == 0, "\(demo.output)")
        #expect(demo.output.contains("All 18 steps passed."))
        #expect(demo.output.contains("Heroes survived the restart"))
        #expect(!demo.output.contains("eyJ"), "no raw token in the transcript")
    }

    @Test("a busy port is reported with the role that needed it, and the demo exits 1")
    func busyPort() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-busy-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        // Something already listens on the port meant for hero-server.
        let blocker = try ChildProcess(
            try ChildProcess.builtProduct("local-entra"),
            arguments: ["serve", "--port", "0", "--state", data.appendingPathComponent("blocker").path],
            environment: [:]
        )
        let port = try await blocker.waitForOutput(/listening on 127\.0\.0\.1:(\d+)/).1
        let demo = try ChildProcess(
            try ChildProcess.builtProduct("hero-demo"),
            arguments: ["--ports", "0", "--ports", String(port), "--ports", "0", "--data", data.path],
            environment: [:]
        )
        #expect(await demo.waitForExit() == 1)
        #expect(demo.output.contains("Port \(port), needed by hero-server, is already in use"))
        await blocker.stop()
    }

    @Test("device-code sign-in with hero-client login --device-code, then heroes list with the cached tokens")
    func deviceCode() async throws {
        try await withSystem(authorityArguments: ["--device-poll-interval", "1"]) { system in
            let binaries = try ChildProcess.builtProduct("hero-client")
            let environment = await system.clientEnvironment
            let login = try ChildProcess(binaries, arguments: ["login", "--device-code"], environment: environment)
            let (_, url, code) = try await login.waitForOutput(/open the page (\S+) and enter the code ([A-Z]+)/)
            let answers = try await ScriptedBrowser().completeDeviceCode(verificationURI: String(url), userCode: String(code))
            #expect(answers.decided.status == 200)
            #expect(await login.waitForExit(timeout: .seconds(30)) == 0)
            #expect(login.output.contains("Signed in as hero@localentra.dev"))

            let list = try ChildProcess(binaries, arguments: ["heroes", "list"], environment: environment)
            #expect(await list.waitForExit() == 0)
            #expect(list.output.contains("[]"))

            let file = system.data.appendingPathComponent("hero.json")
            try Data(
                #"{"name": "Eowyn", "race": "Human", "class_": "Fighter", "level": 8, "hit_points": 70, "armor_class": 15, "speed": 30}"#
                    .utf8
            )
            .write(to: file)
            let create = try ChildProcess(
                binaries,
                arguments: ["heroes", "create", "--json", file.path],
                environment: environment
            )
            #expect(await create.waitForExit() == 0)
            let id = try #require(create.output.firstMatch(of: /"id":"([0-9a-f-]{36})"/)?.1)
            let get = try ChildProcess(binaries, arguments: ["heroes", "get", String(id)], environment: environment)
            #expect(await get.waitForExit() == 0 && get.output.contains("Eowyn"))
            let delete = try ChildProcess(binaries, arguments: ["heroes", "delete", String(id)], environment: environment)
            #expect(await delete.waitForExit() == 0 && delete.output.contains("deleted successfully"))
            let again = try ChildProcess(binaries, arguments: ["heroes", "delete", String(id)], environment: environment)
            #expect(await again.waitForExit() == 1, "a 404 ends the command with status 1")

            let whoami = try ChildProcess(binaries, arguments: ["whoami"], environment: environment)
            #expect(await whoami.waitForExit() == 0)
            #expect(whoami.output.contains("hero@localentra.dev") && !whoami.output.contains("eyJ"))

            let logout = try ChildProcess(binaries, arguments: ["logout"], environment: environment)
            #expect(await logout.waitForExit() == 0)
            let anonymous = try ChildProcess(binaries, arguments: ["whoami"], environment: environment)
            #expect(await anonymous.waitForExit() == 1 && anonymous.output.contains("Not signed in"))
        }
    }

    @Test("app-only: a client-credentials token carries roles and is accepted; one for the second API is refused")
    func appOnly() async throws {
        try await withSystem { system in
            let token = try await appToken(system, scope: "\(Self.heroesAPI)/.default")
            #expect(try await callServer(system, .get, "/api/heroes/", token: token) == 200)
            let hero =
                #"{"name": "Robot", "race": "Construct", "class_": "Fighter", "level": 1, "hit_points": 10, "armor_class": 10, "speed": 20}"#
            #expect(try await callServer(system, .post, "/api/heroes/", token: token, json: hero) == 201)
            #expect(
                try await callServer(system, .delete, "/api/heroes/\(UUID())", token: token) == 403,
                "the client has no Heroes.Delete role"
            )

            let other = try await appToken(system, scope: "\(Self.secondAPI)/.default")
            #expect(try await callServer(system, .get, "/api/heroes/", token: other) == 401)
        }
    }

    @Test("an API registered for v1 tokens: hero-server accepts local-entra's v1 token (api:// audience)")
    func v1() async throws {
        var registrations = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(Registrations.development)) as! [String: Any]
        var apis = registrations["apis"] as! [[String: Any]]
        apis[0]["accessTokenAcceptedVersion"] = 1
        registrations["apis"] = apis
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("registrations-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try JSONSerialization.data(withJSONObject: registrations).write(to: file)

        try await withSystem(authorityArguments: ["--config", file.path]) { system in
            let token = try await appToken(system, scope: "\(Self.heroesAPI)/.default")
            let payload = try #require(Base64URL.decode(String(token.split(separator: ".")[1])))
            let claims = try #require(try JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any])
            #expect(claims["ver"] as? String == "1.0" && claims["aud"] as? String == Self.heroesAPI)
            #expect(try await callServer(system, .get, "/api/heroes/", token: token) == 200)
        }
    }

    @Test("key rotation while all three run: tokens signed with the new key are accepted without restarting hero-server")
    func keyRotation() async throws {
        try await withSystem { system in
            let before = try await appToken(system, scope: "\(Self.heroesAPI)/.default")
            #expect(try await callServer(system, .get, "/api/heroes/", token: before) == 200)

            let rotate = try ChildProcess(
                try ChildProcess.builtProduct("local-entra"),
                arguments: ["rotate-keys", "--state", system.data.appendingPathComponent("local-entra").path],
                environment: [:]
            )
            #expect(await rotate.waitForExit() == 0)

            let after = try await appToken(system, scope: "\(Self.heroesAPI)/.default")
            #expect(after.split(separator: ".")[0] != before.split(separator: ".")[0], "a new kid in the header")
            #expect(try await callServer(system, .get, "/api/heroes/", token: after) == 200)
            #expect(
                try await callServer(system, .get, "/api/heroes/", token: before) == 200,
                "the old key stays valid for its grace period"
            )
        }
    }
}
