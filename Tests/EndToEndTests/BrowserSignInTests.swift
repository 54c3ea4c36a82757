import Foundation
import LocalEntra
import SystemHarness
import TestSupport
import Testing

/// The real sign-in in headless Chromium (Debian's chromium and chromium-driver, Python's
/// selenium): from hero-client's /auth/login through local-entra's sign-in and consent pages
/// to the callback's JSON. `make test` installs the tools and requires the test
/// (HVALFANGST_REQUIRE_BROWSER=1); a bare `swift test` without them skips it.
@Suite("Sign-in in a real browser")
struct BrowserSignInTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let python = root.appendingPathComponent(".build/browser-venv/bin/python")
    static let toolsInstalled =
        FileManager.default.isExecutableFile(atPath: python.path) && FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver")
    static let required = ProcessInfo.processInfo.environment["HVALFANGST_REQUIRE_BROWSER"] == "1"

    @Test(
        "headless Chromium signs in through the forms, reaches the callback's claims and the proxy with its session cookie",
        .enabled(if: toolsInstalled || required, "needs scripts/install-browser-test-tools.sh (make test runs it)")
    )
    func signIn() async throws {
        try #require(Self.toolsInstalled, "the browser tools are missing: run scripts/install-browser-test-tools.sh")
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-browser-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }

        // A real browser follows the redirect URI literally, so the client must be there.
        let clientPort = PortProbe.freePort()
        let redirectURI = "http://localhost:\(clientPort)/auth/callback"
        var registrations = Registrations.development
        registrations.clients[0].redirectURIs = [redirectURI]
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let config = data.appendingPathComponent("registrations.json")
        try JSONEncoder().encode(registrations).write(to: config)

        let system = SystemUnderTest(
            binaries: try ChildProcess.builtProduct("hero-server").deletingLastPathComponent(),
            data: data,
            ports: .init(authority: 0, server: 0, client: clientPort),
            authorityArguments: ["--config", config.path],
            clientSettings: ["REDIRECT_URI": redirectURI]
        )
        do {
            try await system.start()
            let screenshots = Self.root.appendingPathComponent(".build/browser-screenshots")
            let browser = try ChildProcess(
                Self.python,
                arguments: [
                    Self.root.appendingPathComponent("Tests/Browser/sign_in.py").path, "http://localhost:\(clientPort)/auth/login",
                    screenshots.path,
                ],
                environment: ["HOME": data.path]
            )
            let status = await browser.waitForExit(timeout: .seconds(90))
            #expect(status == 0, "\(browser.output)")
            #expect(browser.output.contains(#""name": "Demo Hero""#))
            #expect(
                browser.output.contains(#""aud": "5b1a9c3e-8f2d-4e6a-b7c4-1d9e0f2a3b4c""#),
                "the access token's claims, for the Heroes API"
            )
            #expect(
                browser.output.contains(#""browser_binding": {"with_cookie": "served", "without_cookie": 403}"#),
                "the proxy serves the browser with its session cookie and refuses it without"
            )
        } catch {
            await system.stop()
            throw error
        }
        await system.stop()
    }
}
