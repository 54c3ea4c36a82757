import Foundation
import OIDCCore

/// The sign-in page of an authorization request, as the browser holds it: where its form
/// posts, its request id and its CSRF token.
public struct SignInPage: Sendable {
    /// The form's target: the authorize endpoint, without the query.
    public let action: String
    /// The pending authorization request.
    public let requestID: String
    /// The form's CSRF token.
    public let csrf: String
    /// The page itself.
    public let page: ScriptedBrowser.Page
}

/// The two answers of a device-code sign-in: after signing in (the consent page) and after
/// the decision.
public struct DeviceCodeAnswers: Sendable {
    /// The answer to the sign-in form: the consent page.
    public let signedIn: ScriptedBrowser.Page
    /// The answer to the decision.
    public let decided: ScriptedBrowser.Page
}

extension ScriptedBrowser {
    /// The development user's name, as local-entra's built-in registrations have it.
    public static let demoUser = DevelopmentTenant.hero.username
    /// The development user's password.
    public static let demoPassword = DevelopmentTenant.hero.password

    /// Loads the sign-in page of an authorization request (an authorize URL with its query).
    public func openSignIn(_ authorizeURL: String) async throws -> SignInPage {
        let page = try await open(authorizeURL)
        guard let requestID = Self.field("request_id", in: page.body), let csrf = Self.field("csrf_token", in: page.body) else {
            throw BrowserError("no sign-in form at the authorize endpoint (status \(page.status))")
        }
        let action = String(authorizeURL.split(separator: "?", maxSplits: 1).first ?? "")
        return SignInPage(action: action, requestID: requestID, csrf: csrf, page: page)
    }

    /// Posts `action` (`signin`, `consent`, `cancel`) on a sign-in page, with `extra` fields.
    public func submit(_ form: SignInPage, action: String, extra: [(String, String)] = []) async throws -> Page {
        try await open(form.action, form: [("request_id", form.requestID), ("csrf_token", form.csrf), ("action", action)] + extra)
    }

    /// Posts the user's credentials on a sign-in page; the answer is the consent page, or the
    /// redirect when consent was given before.
    public func signIn(_ form: SignInPage, username: String = demoUser, password: String = demoPassword) async throws -> Page {
        try await submit(form, action: "signin", extra: [("username", username), ("password", password)])
    }

    /// Answers the consent page of `form`: `consent` grants, `cancel` declines.
    public func consent(_ form: SignInPage, decision: String = "consent") async throws -> Page {
        try await submit(form, action: decision)
    }

    /// The whole sign-in at the authority: loads the page, signs in, and consents when asked.
    /// Returns the last answer, normally the redirect to the client with code and state.
    public func signIn(
        authorizeURL: String,
        username: String = demoUser,
        password: String = demoPassword
    ) async throws -> (form: SignInPage, signedIn: Page, redirect: Page) {
        let form = try await openSignIn(authorizeURL)
        let signedIn = try await signIn(form, username: username, password: password)
        guard signedIn.status == 200 else { return (form, signedIn, signedIn) }
        return (form, signedIn, try await consent(form))
    }

    /// The device-code sign-in at `verificationURI`: enters `userCode`, signs in, then answers
    /// the consent page with `decision` (`approve` or `decline`).
    public func completeDeviceCode(
        verificationURI: String,
        userCode: String,
        username: String = demoUser,
        password: String = demoPassword,
        decision: String = "approve"
    ) async throws -> DeviceCodeAnswers {
        let page = try await open(verificationURI)
        guard let csrf = Self.field("csrf_token", in: page.body) else {
            throw BrowserError("no device-code form at \(verificationURI) (status \(page.status))")
        }
        let signedIn = try await open(
            verificationURI,
            form: [
                ("csrf_token", csrf), ("action", "signin"), ("user_code", userCode), ("username", username), ("password", password),
            ]
        )
        guard let consentCSRF = Self.field("csrf_token", in: signedIn.body) else {
            throw BrowserError("no consent form after the device-code sign-in (status \(signedIn.status))")
        }
        let decided = try await open(
            verificationURI,
            form: [("csrf_token", consentCSRF), ("action", decision), ("user_code", userCode)]
        )
        return DeviceCodeAnswers(signedIn: signedIn, decided: decided)
    }
}
