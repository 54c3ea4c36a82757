import Foundation
import HTTPKit
import HTTPKitURLSession
import HTTPTypes
import HummingbirdTesting
import NIOCore
import OIDCClient
import SystemHarness
import Testing

@testable import HeroClient

/// The proxy is bound to the browser that signed in (a session cookie from the callback),
/// and pending logins are bounded per browser, so one browser cannot push out another's.
@Suite("hero-client binds its proxy and its pending logins to browsers")
struct BrowserBindingTests {
    /// A GET of `/api/heroes/` on the client's real port with the test's headers.
    func api(_ harness: ClientHarness, _ headers: HTTPFields) async throws -> HTTPClientResponse {
        try await URLSessionHTTPClient().send(
            HTTPClientRequest(method: .get, url: URL(string: "\(harness.clientBase)/api/heroes/")!, headerFields: headers)
        )
    }

    @Test("the callback sets an HttpOnly, SameSite=Strict session cookie; browsers without it get 403, curl is served")
    func sessionCookie() async throws {
        try await ClientHarness.run { harness in
            let callback = try await harness.browser.open(try await harness.signInAtProvider())
            #expect(callback.status == 200)
            let setCookie = try #require(callback.setCookie)
            #expect(setCookie.hasPrefix("hero_client_session="))
            for attribute in ["Path=/", "HttpOnly", "SameSite=Strict"] {
                #expect(setCookie.contains(attribute), "\(attribute)")
            }
            #expect(!setCookie.contains("Secure"), "not on an http redirect URI")
            // The browser that signed in is served.
            #expect(try await harness.browser.open("\(harness.clientBase)/api/heroes/").status == 200)

            // Other browsers: no cookie but browser marks, or a forged cookie.
            let session = try #require(harness.browser.cookie("hero_client_session", host: "127.0.0.1"))
            let others: [HTTPFields] = [
                [HTTPField.Name("Sec-Fetch-Site")!: "cross-site", HTTPField.Name("Sec-Fetch-Mode")!: "no-cors"],
                [.userAgent: "Mozilla/5.0 (X11; Linux x86_64)"],
                [.origin: "http://127.0.0.1"],
                [.cookie: "hero_client_session=\(String(session.reversed()))"],
                [.cookie: "other=1"],
            ]
            for headers in others {
                let refused = try await api(harness, headers)
                #expect(refused.status == .forbidden, "\(headers.map(\.name.rawName))")
                #expect(refused.headerFields[.contentType] == "application/problem+json")
            }
            // curl: no browser marks at all; it acts with the token cache, as the command line does.
            #expect(try await api(harness, [.userAgent: "curl/8.5.0"]).status == 200)
            #expect(try await api(harness, [.cookie: "hero_client_session=\(session)"]).status == 200)

            // Signing out ends the browser's session too: after a new sign-in elsewhere, the old
            // cookie is not accepted.
            _ = try await harness.browser.request("POST", "\(harness.clientBase)/auth/logout")
            let other = ClientHarness(
                entra: harness.entra,
                authority: harness.authority,
                clientBase: harness.clientBase,
                services: harness.services,
                http: harness.http,
                logs: harness.logs
            )
            #expect(try await other.browser.open(try await other.signInAtProvider()).status == 200)
            #expect(try await api(harness, [.cookie: "hero_client_session=\(session)"]).status == .forbidden)
        }
    }

    @Test("1,000+ logins from other browsers do not push out a pending login")
    func pendingLoginsFlood() async throws {
        try await ClientHarness.run { harness in
            let start = try await harness.browser.open("\(harness.clientBase)/auth/login")
            #expect(start.status == 302)
            let authorize = try #require(start.location)

            // A browser that keeps its cookie, then requests that send none (each a new browser).
            let flooder = ScriptedBrowser()
            var refused = 0
            for _ in 0..<1_010 {
                #expect(try await flooder.open("\(harness.clientBase)/auth/login").status == 302)
            }
            let cookieless = URLSessionBrowserTransport()
            let login = try #require(URL(string: "\(harness.clientBase)/auth/login"))
            for _ in 0..<1_010 {
                let response = try await cookieless.exchange(HTTPClientRequest(method: .get, url: login))
                if response.status == .serviceUnavailable {
                    refused += 1
                    #expect(response.headerFields[.retryAfter] != nil)
                }
            }
            #expect(refused > 0, "when full, new browsers are refused rather than others evicted")
            #expect(await harness.services.signIn.pending.count <= 1_000)

            // The first browser finishes its sign-in.
            let answer = try await harness.browser.signIn(authorizeURL: authorize).redirect
            let callbackURL = try #require(answer.location).replacingOccurrences(of: "http://localhost:8000", with: harness.clientBase)
            #expect(try await harness.browser.open(callbackURL).status == 200)
        }
    }
}
