import Foundation
import Logging
import OIDCClient
import SystemHarness
import TestSupport
import Testing

@Suite("The token cache file")
struct TokenCacheTests {
    @Test("a corrupt cache file is set aside with a warning, never a crash")
    func corruptFile() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("token-cache-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("token-cache.json")
        try Data("{ not json".utf8).write(to: file)

        let logs = LogCapture()
        let cache = TokenCache(file: file, logger: logs.logger) { _, _ async throws(TokenEndpointError) in
            throw TokenEndpointError(error: "unused", description: "")
        }
        #expect(await cache.currentAccount == nil)
        await #expect(throws: TokenCacheError.notSignedIn) { try await cache.accessToken(scopes: ["openid"]) }
        #expect(logs.text.contains("set aside"))
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(names.contains { $0.hasPrefix("token-cache.json.corrupt-") })
        #expect(!names.contains("token-cache.json"))

        // It works again from there.
        try await cache.store(
            TokenResponse(accessToken: "a", expiresIn: 3600, scope: nil, refreshToken: nil, idToken: nil),
            account: Account(id: "o.t", username: "u", name: nil),
            scopes: ["openid"]
        )
        #expect(try await cache.accessToken(scopes: ["openid"]) == "a")
    }
}

@Suite("The hero-client command")
struct HeroClientCommandTests {
    @Test("a wrong setting exits with status 2 naming it; whoami without a sign-in says so")
    func command() async throws {
        let bad = try ChildProcess(
            try ChildProcess.builtProduct("hero-client"),
            arguments: ["whoami"],
            environment: ["AZURE_CLIENT_ID": "x"]
        )
        #expect(await bad.waitForExit() == 2)
        #expect(bad.output.contains("AZURE_CLIENT_SECRET") || bad.output.contains("AZURE_CLIENT_ID"))
        // A certificate file that cannot be read is named too.
        let badCertificate = try ChildProcess(
            try ChildProcess.builtProduct("hero-client"),
            arguments: ["whoami"],
            environment: [
                "AZURE_CLIENT_ID": "3f2e1d0c-9b8a-4c7d-a6e5-4f3e2d1c0b9a", "AZURE_TENANT_ID": "7c3e1f6a-4d2b-4b8e-9a51-2f0c8d6e9b10",
                "AZURE_CLIENT_CERTIFICATE_PATH": "/nonexistent/client.pem",
            ]
        )
        #expect(await badCertificate.waitForExit() == 2)
        #expect(badCertificate.output.contains("AZURE_CLIENT_CERTIFICATE_PATH"))
    }
}
