import Foundation
import HTTPTypes
import JOSE
import LocalEntra
import OIDCClient
import OIDCCore
import SystemHarness
import TestSupport
import Testing

@testable import HeroClient

@Suite("hero-client against local-entra on loopback")
struct SignInFlowTests {
    @Test("a full sign-in, as a browser does it, ends with the decoded claims and never a raw token")
    func fullSignIn() async throws {
        try await ClientHarness.run { harness in
            let start = try await harness.browser.open("\(harness.clientBase)/auth/login")
            let authorize = try #require(start.location.flatMap(URLComponents.init(string:)))
            let query = Dictionary(uniqueKeysWithValues: (authorize.queryItems ?? []).map { ($0.name, $0.value ?? "") })
            // What the client sent: code flow, PKCE S256 (43-character challenge), fresh state and nonce.
            #expect(query["response_type"] == "code" && query["response_mode"] == "query")
            #expect(query["code_challenge_method"] == "S256" && query["code_challenge"]?.count == 43)
            #expect((query["state"]?.count ?? 0) >= 43 && (query["nonce"]?.count ?? 0) >= 43)
            #expect(start.setCookie?.contains("HttpOnly") == true)

            let callback = try await harness.browser.open(try await harness.signInAtProvider())
            #expect(callback.status == 200, "\(callback.body)")
            let body = try #require(try JSONSerialization.jsonObject(with: Data(callback.body.utf8)) as? [String: [String: Any]])
            #expect(body["id_token"]?["name"] as? String == "Demo Hero")
            #expect(body["id_token"]?["aud"] as? String == harness.services.configuration.clientID)
            #expect(body["access_token"]?["aud"] as? String == "5b1a9c3e-8f2d-4e6a-b7c4-1d9e0f2a3b4c")
            #expect(!callback.body.contains("eyJ"), "no raw JWT in the answer")
            #expect(await harness.services.cache.currentAccount?.username == "hero@localentra.dev")
        }
    }

    @Test("no secret appears in the logs of a whole sign-in")
    func noSecretsInLogs() async throws {
        try await ClientHarness.run { harness in
            let callbackURL = try await harness.signInAtProvider()
            let code = try #require(URLComponents(string: callbackURL)?.queryItems?.first { $0.name == "code" }?.value)
            #expect(try await harness.browser.open(callbackURL).status == 200)
            let tokens = try #require(await harness.services.cache.cachedTokens(scopes: harness.services.configuration.scopes))
            _ = try await harness.browser.open("\(harness.clientBase)/api/heroes/")
            let logs = harness.logs.text
            #expect(logs.contains("Signed in"))
            for secret in [
                code, tokens.accessToken, try #require(tokens.refreshToken), try #require(harness.services.configuration.clientSecret),
            ] {
                #expect(!logs.contains(secret))
            }
            #expect(!logs.contains("eyJ"))
        }
    }

    @Test("a wrong, missing or replayed state is refused, and the token endpoint is not called for it")
    func state() async throws {
        try await ClientHarness.run { harness in
            let callbackURL = try await harness.signInAtProvider()
            let wrong = callbackURL.replacingOccurrences(of: "state=", with: "state=x")
            #expect(try await harness.browser.open(wrong).status == 400)
            let missing = try #require(
                callbackURL.split(separator: "&").filter { !$0.hasPrefix("state=") }.joined(separator: "&") as String?
            )
            #expect(try await harness.browser.open(missing).status == 400)
            #expect(harness.http.tokenRequests == 0)

            #expect(try await harness.browser.open(callbackURL).status == 200)
            let replay = try await harness.browser.open(callbackURL)
            #expect(replay.status == 400)
            #expect(replay.body.contains("already used"))
            #expect(harness.http.tokenRequests == 1)
        }
    }

    @Test("a response delivered to another browser is refused (login CSRF)")
    func otherBrowser() async throws {
        try await ClientHarness.run { harness in
            let callbackURL = try await harness.signInAtProvider()
            let stranger = ScriptedBrowser()
            #expect(try await stranger.open(callbackURL).status == 400)
            #expect(harness.http.tokenRequests == 0)
        }
    }

    @Test("PKCE is enforced: a code from another login, delivered with this login's state, is refused")
    func codeInjection() async throws {
        try await ClientHarness.run { harness in
            // The victim's login: state and binding cookie in the victim's browser.
            let victimStart = try await harness.browser.open("\(harness.clientBase)/auth/login")
            let victimState = try #require(URLComponents(string: victimStart.location!)?.queryItems?.first { $0.name == "state" }?.value)
            // The attacker signs in elsewhere and obtains a code bound to another PKCE challenge.
            let attacker = ClientHarness(
                entra: harness.entra,
                authority: harness.authority,
                clientBase: harness.clientBase,
                services: harness.services,
                http: harness.http,
                logs: harness.logs
            )
            let attackerCallback = try await attacker.signInAtProvider(username: "sidekick@localentra.dev", password: "sidekick-password")
            let code = try #require(URLComponents(string: attackerCallback)?.queryItems?.first { $0.name == "code" }?.value)
            let injected = try await harness.browser.open("\(harness.clientBase)/auth/callback?code=\(code)&state=\(victimState)")
            #expect(injected.status == 400)
            #expect(injected.body.contains("AADSTS501481"))
            #expect(await harness.services.cache.currentAccount == nil)
        }
    }

    @Test("an error from the provider is shown, no token is requested")
    func providerError() async throws {
        try await ClientHarness.run { harness in
            let start = try await harness.browser.open("\(harness.clientBase)/auth/login")
            let state = try #require(URLComponents(string: start.location!)?.queryItems?.first { $0.name == "state" }?.value)
            let response = try await harness.browser.open(
                "\(harness.clientBase)/auth/callback?error=access_denied&error_description=%3Cscript%3E&state=\(state)"
            )
            #expect(response.status == 400)
            #expect(response.body.contains("access_denied"))
            #expect(harness.http.tokenRequests == 0)
        }
    }

    @Test("the proxy adds the bearer token; without a sign-in it answers 401 pointing to /auth/login")
    func proxy() async throws {
        try await ClientHarness.run { harness in
            let anonymous = try await harness.browser.open("\(harness.clientBase)/api/heroes/")
            #expect(anonymous.status == 401)
            #expect(anonymous.body.contains("/auth/login"))

            #expect(try await harness.browser.open(try await harness.signInAtProvider()).status == 200)
            let listed = try await harness.browser.open("\(harness.clientBase)/api/heroes/")
            #expect(listed.status == 200)
            #expect(listed.body.contains("bearer-jwt"))
        }
    }

    @Test("a 401 from the API gets one renewed token and one retry through the proxy")
    func renewalAfter401() async throws {
        try await ClientHarness.run { harness in
            #expect(try await harness.browser.open(try await harness.signInAtProvider()).status == 200)
            let before = harness.http.tokenRequests
            let answer = try await harness.browser.open("\(harness.clientBase)/api/heroes/00000000-0000-4000-8000-00000000f1a7")
            #expect(answer.status == 200, "the retry with the renewed token is accepted")
            #expect(harness.http.tokenRequests == before + 1, "one refresh, although the cached token was still valid")
            let apiCalls = harness.http.requests.filter { $0.hasSuffix("/api/heroes/00000000-0000-4000-8000-00000000f1a7") }
            #expect(apiCalls.count == 2)
        }
    }

    @Test("logout deletes the tokens: the proxy asks for a sign-in again")
    func logout() async throws {
        try await ClientHarness.run { harness in
            #expect(try await harness.browser.open(try await harness.signInAtProvider()).status == 200)
            #expect(try await harness.browser.open("\(harness.clientBase)/api/heroes/").status == 200)
            // A GET only shows the button: a cross-site link or image cannot sign anyone out.
            let page = try await harness.browser.open("\(harness.clientBase)/auth/logout")
            #expect(page.status == 200 && page.body.contains(#"<form method="post" action="/auth/logout">"#))
            #expect(page.headerFields[.contentSecurityPolicy] == "default-src 'none'; form-action 'self'; frame-ancestors 'none'")
            #expect(page.headerFields[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            #expect(await harness.services.cache.currentAccount != nil)
            let out = try await harness.browser.open("\(harness.clientBase)/auth/logout", form: [])
            #expect(out.status == 200 && out.body.contains("Signed out"))
            #expect(await harness.services.cache.currentAccount == nil)
            #expect(try await harness.browser.open("\(harness.clientBase)/api/heroes/").status == 401)
        }
    }

    @Test("tokens are renewed before they expire, with one refresh for concurrent callers")
    func renewal() async throws {
        // 60-second tokens are always within the 5-minute renewal margin.
        try await ClientHarness.run(tokenLifetime: 60...60) { harness in
            #expect(try await harness.browser.open(try await harness.signInAtProvider()).status == 200)
            let first = try #require(await harness.services.cache.cachedTokens(scopes: harness.services.configuration.scopes))
            let before = harness.http.tokenRequests
            let scopes = harness.services.configuration.scopes
            let cache = harness.services.cache
            let tokens = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<10 { group.addTask { try await cache.accessToken(scopes: scopes) } }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(tokens.count == 1 && !tokens.contains(first.accessToken))
            #expect(harness.http.tokenRequests == before + 1)
            let renewed = try #require(await cache.cachedTokens(scopes: scopes))
            #expect(renewed.refreshToken != first.refreshToken, "local-entra rotates refresh tokens")
        }
    }

    @Test("the cache survives a restart")
    func cacheSurvivesRestart() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("hero-client-cache-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try await ClientHarness.run(cacheFile: file) { harness in
            #expect(try await harness.browser.open(try await harness.signInAtProvider()).status == 200)
            let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            let reopened = TokenCache(file: file, logger: harness.logs.logger) { _, _ async throws(TokenEndpointError) in
                throw TokenEndpointError(error: "unexpected", description: "no renewal expected")
            }
            #expect(await reopened.currentAccount?.username == "hero@localentra.dev")
            _ = try await reopened.accessToken(scopes: harness.services.configuration.scopes)
        }
    }

    @Test("the device flow signs in without a browser on this machine")
    func deviceFlow() async throws {
        // local-entra's clock moves only when the flow waits: the test waits for nothing.
        let clock = ManualClock()
        try await ClientHarness.run(entraClock: clock) { harness in
            let endpoint = harness.services.tokenEndpoint
            let authorization = try await endpoint.startDeviceAuthorization(scopes: harness.services.configuration.scopes)
            await #expect(throws: TokenEndpointError.self) { try await endpoint.pollDeviceCode(authorization.deviceCode) }

            let answers = try await harness.browser.completeDeviceCode(
                verificationURI: authorization.verificationURI,
                userCode: authorization.userCode
            )
            #expect(answers.signedIn.status == 200 && answers.decided.status == 200)
            let flow = DeviceCodeFlow(
                tokenEndpoint: endpoint,
                scopes: harness.services.configuration.scopes,
                sleep: { clock.advance(by: $0) },
                now: { clock.date }
            )
            let response = try await flow.poll(authorization)
            let claims = try await harness.services.signIn.idTokens.validate(try #require(response.idToken), nonce: nil)
            #expect(claims["preferred_username"] == "hero@localentra.dev")
        }
    }
}
