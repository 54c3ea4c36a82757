import Foundation
import SystemHarness

/// The demo's steps: start, sign in as a browser would, create, list, get and delete heroes
/// through the client, restart hero-server, and check the heroes survived.
struct DemoScript {
    let system: SystemUnderTest
    let transcript: Transcript

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    func run() async throws {
        try await system.start()
        let browser = try system.makeBrowser()
        transcript.step("Start local-entra (development Entra ID)", "listening on \(await system.authorityURL)")
        transcript.step("Start hero-server (Heroes API)", "listening on \(await system.serverURL)")
        transcript.step("Start hero-client (signed-in proxy)", "listening on \(await system.clientURL)")

        try await signIn(browser)

        var created: [String] = []
        for (name, race, heroClass) in [("Aragorn", "Human", "Ranger"), ("Legolas", "Elf", "Fighter"), ("Gimli", "Dwarf", "Fighter")] {
            let hero =
                #"{"name": "\#(name)", "race": "\#(race)", "class_": "\#(heroClass)", "level": 10, "hit_points": 90, "armor_class": 16, "speed": 30}"#
            let page = try await call(browser, "POST /api/heroes/ (\(name))", "/api/heroes/", method: "POST", json: hero, expect: 201)
            created.append(try field("id", of: page.body))
        }
        let listed = try await call(browser, "GET /api/heroes/", "/api/heroes/", expect: 200)
        transcript.detail("\(try names(listed.body))")
        _ = try await call(browser, "GET /api/heroes/\(created[1].prefix(8))…", "/api/heroes/\(created[1])", expect: 200)
        _ = try await call(
            browser,
            "DELETE /api/heroes/\(created[0].prefix(8))… (Aragorn)",
            "/api/heroes/\(created[0])",
            method: "DELETE",
            expect: 200
        )

        let status = await system.stopServer()
        guard status == 0 else { throw Failure(description: "hero-server stopped with status \(status)") }
        transcript.step("Stop hero-server (SIGTERM)", "exit 0")
        try await system.startServer()
        transcript.step("Start hero-server again", "listening on \(await system.serverURL)")
        let after = try await call(browser, "GET /api/heroes/ after the restart", "/api/heroes/", expect: 200)
        let remaining = try names(after.body)
        transcript.detail("\(remaining)")
        guard remaining == ["Legolas", "Gimli"] else {
            throw Failure(description: "expected Legolas and Gimli after the restart, got \(remaining)")
        }
        transcript.step("Heroes survived the restart", "yes")
    }

    /// Sign-in through the client, as a browser: redirects followed, forms submitted.
    private func signIn(_ browser: ScriptedBrowser) async throws {
        let clientURL = await system.clientURL
        let start = try await browser.open("\(clientURL)/auth/login")
        guard start.status == 302, let authorize = start.location else {
            throw Failure(description: "/auth/login answered \(start.status)")
        }
        transcript.step("GET /auth/login", "302 to local-entra's authorize endpoint")
        let form = try await browser.openSignIn(authorize)
        guard form.page.status == 200 else { throw Failure(description: "no sign-in page (\(form.page.status))") }
        transcript.step("GET authorize", "200 sign-in page")
        let signedIn = try await browser.signIn(form, username: ScriptedBrowser.demoUser, password: ScriptedBrowser.demoPassword)
        transcript.step("POST sign-in form (\(ScriptedBrowser.demoUser))", "\(signedIn.status) consent page")
        let consented = try await browser.consent(form)
        guard consented.status == 302, let callback = consented.location else {
            throw Failure(description: "consent answered \(consented.status)")
        }
        transcript.step("POST consent form", "302 to the client's redirect URI with code and state")
        // The registered redirect URI is localhost:8000; follow it to wherever the client runs.
        let finished = try await browser.open(callback.replacingOccurrences(of: "http://localhost:8000", with: clientURL))
        guard finished.status == 200 else { throw Failure(description: "/auth/callback answered \(finished.status): \(finished.body)") }
        transcript.step("GET /auth/callback", "200 signed in")
        let claims = try JSONSerialization.jsonObject(with: Data(finished.body.utf8)) as? [String: [String: Any]] ?? [:]
        for token in ["id_token", "access_token"] {
            let shown = (claims[token] ?? [:]).filter { ["name", "preferred_username", "aud", "scp", "ver", "nonce"].contains($0.key) }
            transcript.detail(
                "\(token) claims: " + shown.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
            )
        }
    }

    /// A call through hero-client's proxy; fails unless the status is `expect`.
    private func call(
        _ browser: ScriptedBrowser,
        _ what: String,
        _ path: String,
        method: String = "GET",
        json: String? = nil,
        expect: Int
    ) async throws -> ScriptedBrowser.Page {
        let page = try await browser.request(method, "\(await system.clientURL)\(path)", json: json)
        transcript.step(what, "\(page.status)")
        guard page.status == expect else { throw Failure(description: "\(what) answered \(page.status), expected \(expect): \(page.body)") }
        return page
    }

    private func field(_ name: String, of body: String) throws -> String {
        guard let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any], let value = object[name] as? String
        else {
            throw Failure(description: "no \(name) in \(body)")
        }
        return value
    }

    private func names(_ body: String) throws -> [String] {
        let heroes = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [[String: Any]] ?? []
        return heroes.compactMap { $0["name"] as? String }
    }
}
