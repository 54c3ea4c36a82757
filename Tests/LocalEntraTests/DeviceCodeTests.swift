import Foundation
import HTTPTypes
import HummingbirdTesting
import JOSE
import LocalEntra
import NIOCore
import SystemHarness
import TestSupport
import Testing

@Suite("local-entra: the device-code grant")
struct DeviceCodeTests {
    private func start(_ client: some TestClientProtocol) async throws -> (deviceCode: String, userCode: String) {
        let response = try await postForm(
            client,
            "/\(tenant)/oauth2/v2.0/devicecode",
            [("client_id", heroClient.clientID), ("scope", "openid offline_access \(heroesAPI.appIDURI)/Heroes.Read")]
        )
        #expect(response.status == .ok)
        let body = json(response)
        #expect(body["verification_uri"] as? String == "\(authorityURL)/devicelogin")
        #expect(body["interval"] as? Int == 5 && body["expires_in"] as? Int == 900)
        #expect((body["message"] as? String)?.contains("/devicelogin") == true)
        return (try #require(body["device_code"] as? String), try #require(body["user_code"] as? String))
    }

    private func poll(_ client: some TestClientProtocol, _ deviceCode: String) async throws -> TestResponse {
        try await postForm(
            client,
            "/\(tenant)/oauth2/v2.0/token",
            [
                ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"), ("client_id", heroClient.clientID),
                ("client_secret", heroClient.secret!), ("device_code", deviceCode),
            ]
        )
    }

    /// Enters the code (in lower case: it is not case-sensitive) and signs in at /devicelogin,
    /// then answers the consent page with `action`.
    private func answer(_ client: some TestClientProtocol, userCode: String, action: String) async throws {
        let answers = try await browser(client).completeDeviceCode(
            verificationURI: "/devicelogin",
            userCode: userCode.lowercased(),
            decision: action
        )
        #expect(answers.signedIn.status == 200)
        #expect(answers.decided.status == 200)
    }

    @Test("pending, then slow_down when polling too fast, then tokens once the user approves")
    func approved() async throws {
        let clock = ManualClock()
        try await withLocalEntra(clock: clock) { client, _ in
            let (deviceCode, userCode) = try await start(client)
            #expect(json(try await poll(client, deviceCode))["error"] as? String == "authorization_pending")
            clock.advance(by: .seconds(1))
            #expect(json(try await poll(client, deviceCode))["error"] as? String == "slow_down")

            try await answer(client, userCode: userCode, action: "approve")
            clock.advance(by: .seconds(6))
            let tokens = try await poll(client, deviceCode)
            #expect(tokens.status == .ok)
            let body = json(tokens)
            #expect(claims(try #require(body["access_token"] as? String))["scp"] == "Heroes.Read")
            #expect(body["id_token"] is String && body["refresh_token"] is String)
        }
    }

    @Test("a declined sign-in is access_denied")
    func declined() async throws {
        try await withLocalEntra { client, _ in
            let (deviceCode, userCode) = try await start(client)
            try await answer(client, userCode: userCode, action: "decline")
            #expect(json(try await poll(client, deviceCode))["error"] as? String == "access_denied")
        }
    }

    @Test("an unused device code expires")
    func expired() async throws {
        let clock = ManualClock()
        try await withLocalEntra(clock: clock) { client, _ in
            let (deviceCode, _) = try await start(client)
            clock.advance(by: .seconds(901))
            #expect(json(try await poll(client, deviceCode))["error"] as? String == "expired_token")
        }
    }

    @Test("the device-login form needs its CSRF token, and a wrong code is refused")
    func deviceLoginChecks() async throws {
        try await withLocalEntra { client, _ in
            let (_, userCode) = try await start(client)
            let noToken = try await postForm(
                client,
                "/devicelogin",
                [("action", "signin"), ("user_code", userCode), ("username", "hero@localentra.dev"), ("password", "hero-password")]
            )
            #expect(noToken.status == .badRequest)

            let page = String(buffer: try await client.execute(uri: "/devicelogin", method: .get).body)
            let wrongCode = try await postForm(
                client,
                "/devicelogin",
                [
                    ("csrf_token", ScriptedBrowser.field("csrf_token", in: page)!), ("action", "signin"), ("user_code", "ZZZZZZZZ"),
                    ("username", "hero@localentra.dev"), ("password", "hero-password"),
                ]
            )
            #expect(wrongCode.status == .badRequest)
            #expect(String(buffer: wrongCode.body).contains("not valid"))
        }
    }
}
