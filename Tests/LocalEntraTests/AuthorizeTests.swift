import Foundation
import HTTPTypes
import HummingbirdTesting
import JOSE
import LocalEntra
import NIOCore
import SystemHarness
import TestSupport
import Testing

@Suite("local-entra: the authorize endpoint, sign-in and consent")
struct AuthorizeTests {
    @Test("sign-in page, consent page, then a redirect to the registered URI with code and state")
    func happyPath() async throws {
        try await withLocalEntra { client, _ in
            let page = try await client.execute(uri: authorizeURI(), method: .get)
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            #expect(html.contains(#"<label for="username">"#) && html.contains(#"<label for="password">"#))
            #expect(page.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            #expect(page.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
            #expect(page.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
            #expect(ScriptedBrowser.field("csrf_token", in: html) != nil)

            let (redirect, cookie) = try await signIn(client)
            #expect(redirect.status == 302)
            #expect(redirect.location?.hasPrefix(redirectURI + "?") == true)
            let parameters = redirectParameters(redirect)
            #expect(parameters["state"] == "state-123")
            #expect((parameters["code"]?.count ?? 0) >= 43)
            #expect(cookie.hasPrefix("local_entra_session="))
        }
    }

    @Test("the session cookie is HttpOnly and SameSite=Lax")
    func cookieAttributes() async throws {
        try await withLocalEntra { client, _ in
            let (browser, form) = try await openSignIn(client)
            let response = try await browser.signIn(form)
            let cookie = try #require(response.setCookie)
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"))
            #expect(response.body.contains("Permissions requested"))
        }
    }

    @Test("consent is remembered: the next authorize with the session redirects at once (single sign-on)")
    func singleSignOn() async throws {
        try await withLocalEntra { client, _ in
            let (_, cookie) = try await signIn(client)
            let again = try await client.execute(uri: authorizeURI(), method: .get, headers: [.cookie: cookie])
            #expect(again.status == .found)
            #expect(redirectParameters(again)["code"] != nil)
        }
    }

    @Test("prompt=login asks for the password even with a session; prompt=none without one is login_required")
    func prompts() async throws {
        try await withLocalEntra { client, _ in
            let (_, cookie) = try await signIn(client)
            let login = try await client.execute(uri: authorizeURI { $0["prompt"] = "login" }, method: .get, headers: [.cookie: cookie])
            #expect(login.status == .ok && String(buffer: login.body).contains("Sign in"))

            let none = try await client.execute(uri: authorizeURI { $0["prompt"] = "none" }, method: .get)
            #expect(none.status == .found)
            #expect(redirectParameters(none)["error"] == "login_required")
            #expect(redirectParameters(none)["state"] == "state-123")

            let silent = try await client.execute(uri: authorizeURI { $0["prompt"] = "none" }, method: .get, headers: [.cookie: cookie])
            #expect(redirectParameters(silent)["code"] != nil)
        }
    }

    @Test("an unknown client is an error page (AADSTS700016), never a redirect")
    func unknownClient() async throws {
        try await withLocalEntra { client, _ in
            let response = try await client.execute(
                uri: authorizeURI { $0["client_id"] = "00000000-0000-0000-0000-000000000000" },
                method: .get
            )
            #expect(response.status == .badRequest)
            #expect(response.headers[.location] == nil)
            #expect(String(buffer: response.body).contains("AADSTS700016"))
        }
    }

    @Test(
        "a redirect URI that is not registered exactly is an error page (AADSTS50011), never a redirect",
        arguments: ["http://localhost:8000/auth/callback/", "http://localhost:8000/auth/callback?x=1", "http://evil.example/cb", ""]
    )
    func redirectMismatch(uri: String) async throws {
        try await withLocalEntra { client, _ in
            let response = try await client.execute(uri: authorizeURI { $0["redirect_uri"] = uri }, method: .get)
            #expect(response.status == .badRequest)
            #expect(response.headers[.location] == nil)
            #expect(String(buffer: response.body).contains("AADSTS50011"))
        }
    }

    @Test(
        "other request errors go back to the client with error, description and state",
        arguments: [
            ("response_type", "token", "unsupported_response_type", "AADSTS700054"),
            ("scope", "openid api://5b1a9c3e-8f2d-4e6a-b7c4-1d9e0f2a3b4c/Heroes.Fly", "invalid_scope", "AADSTS70011"),
            ("scope", "openid api://unknown/Heroes.Read", "invalid_scope", "AADSTS70011"),
            ("scope", "openid api://9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a/Things.Read", "invalid_scope", "AADSTS65005"),
            ("code_challenge_method", "S512", "invalid_request", "AADSTS50149"),
            ("code_challenge", "short", "invalid_request", "AADSTS501491"),
        ]
    )
    func redirectedErrors(parameter: String, value: String, error: String, code: String) async throws {
        try await withLocalEntra { client, _ in
            let response = try await client.execute(uri: authorizeURI { $0[parameter] = value }, method: .get)
            #expect(response.status == .found)
            let parameters = redirectParameters(response)
            #expect(parameters["error"] == error)
            #expect(parameters["error_description"]?.hasPrefix(code + ":") == true)
            #expect(parameters["state"] == "state-123")
        }
    }

    @Test("the sign-in form without its CSRF token, or with another one, is refused")
    func csrf() async throws {
        try await withLocalEntra { client, _ in
            let html = String(buffer: try await client.execute(uri: authorizeURI(), method: .get).body)
            let requestID = try #require(ScriptedBrowser.field("request_id", in: html))
            for csrf in [nil, "forged"] {
                var fields = [
                    ("request_id", requestID), ("action", "signin"), ("username", "hero@localentra.dev"), ("password", "hero-password"),
                ]
                if let csrf { fields.append(("csrf_token", csrf)) }
                let response = try await postForm(client, "/\(tenant)/oauth2/v2.0/authorize", fields)
                #expect(response.status == .badRequest)
                #expect(response.headers[.setCookie] == nil)
                #expect(String(buffer: response.body).contains("CSRF"))
            }
        }
    }

    @Test("a wrong password shows the sign-in page again with an error, and no session")
    func wrongPassword() async throws {
        try await withLocalEntra { client, _ in
            let (browser, form) = try await openSignIn(client)
            let response = try await browser.signIn(form, password: "wrong")
            #expect(response.status == 401)
            #expect(response.setCookie == nil)
            #expect(response.body.contains("Your account or password is incorrect."))
        }
    }

    @Test("declining consent redirects with access_denied")
    func declined() async throws {
        try await withLocalEntra { client, _ in
            let (browser, form) = try await openSignIn(client)
            _ = try await browser.signIn(form)
            let response = try await browser.consent(form, decision: "cancel")
            #expect(redirectParameters(response)["error"] == "access_denied")
        }
    }
}
