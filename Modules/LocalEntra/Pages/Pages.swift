import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// local-entra's HTML pages: plain forms that work without JavaScript, every field labelled.
enum Pages {
    static func response(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                // The sign-in page must not be framed by another site (clickjacking). No
                // form-action: the consent form's answer redirects to the client's origin.
                .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
                // The browser keeps the declared type; the next site learns no URL of ours.
                HTTPField.Name("X-Content-Type-Options")!: "nosniff", HTTPField.Name("Referrer-Policy")!: "no-referrer",
            ],
            body: .init(byteBuffer: ByteBuffer(string: html))
        )
    }

    static func page(_ title: String, _ body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title)) - local-entra</title>
        <style>
        body { font-family: system-ui, sans-serif; max-width: 28rem; margin: 3rem auto; padding: 0 1rem; }
        label { display: block; margin-top: 1rem; }
        input[type=text], input[type=password], input[type=email] { width: 100%; padding: .4rem; box-sizing: border-box; }
        button { margin-top: 1.2rem; padding: .5rem 1.2rem; }
        .error { color: #a4262c; }
        .note { color: #605e5c; font-size: .85rem; }
        </style>
        </head>
        <body>
        <h1>\(escape(title))</h1>
        \(body)
        <p class="note">local-entra: a development stand-in for Microsoft Entra ID. Never use it in production.</p>
        </body>
        </html>
        """
    }

    static func home(tenantID: String) -> String {
        page(
            "local-entra",
            """
            <p>Tenant <code>\(escape(tenantID))</code>.</p>
            <p><a href="/\(escape(tenantID))/v2.0/.well-known/openid-configuration">Discovery document</a> ·
            <a href="/\(escape(tenantID))/discovery/v2.0/keys">Signing keys</a> · <a href="/devicelogin">Device sign-in</a></p>
            """
        )
    }

    static func error(_ error: EntraError) -> String {
        page(
            "Sorry, but we're having trouble signing you in.",
            """
            <p class="error" role="alert">AADSTS\(error.code): \(escape(error.message))</p>
            <p class="note">Error: \(escape(error.error))</p>
            """
        )
    }

    static func signIn(
        client: ClientRegistration,
        requestID: String,
        csrfToken: String,
        action: String,
        username: String?,
        error: String? = nil
    ) -> String {
        page(
            "Sign in",
            """
            <p>to continue to <strong>\(escape(client.name))</strong></p>
            \(error.map { "<p class=\"error\" role=\"alert\">\(escape($0))</p>" } ?? "")
            <form method="post" action="\(escape(action))">
            <input type="hidden" name="request_id" value="\(escape(requestID))">
            <input type="hidden" name="csrf_token" value="\(escape(csrfToken))">
            <input type="hidden" name="action" value="signin">
            <label for="username">Email, phone, or Skype</label>
            <input type="email" id="username" name="username" value="\(escape(username ?? ""))" autocomplete="username" required autofocus>
            <label for="password">Password</label>
            <input type="password" id="password" name="password" autocomplete="current-password" required>
            <button type="submit" id="signin">Sign in</button>
            </form>
            """
        )
    }

    static func consent(_ request: AuthorizationRequest, user: UserAccount, requestID: String, csrfToken: String, action: String) -> String
    {
        page(
            "Permissions requested",
            """
            <p><strong>\(escape(request.client.name))</strong> would like to, for \(escape(user.username)):</p>
            <ul>\(request.scopes.permissions.map { "<li>\(escape($0))</li>" }.joined())</ul>
            <form method="post" action="\(escape(action))">
            <input type="hidden" name="request_id" value="\(escape(requestID))">
            <input type="hidden" name="csrf_token" value="\(escape(csrfToken))">
            <button type="submit" id="accept" name="action" value="consent">Accept</button>
            <button type="submit" id="cancel" name="action" value="cancel">Cancel</button>
            </form>
            """
        )
    }

    static func signedOut() -> String {
        page("You signed out of your account", "<p>It's a good idea to close all browser windows.</p>")
    }

    static func deviceCode(csrfToken: String, userCode: String? = nil, error: String? = nil) -> String {
        page(
            "Enter code",
            """
            <p>Enter the code displayed on your app or device, then sign in.</p>
            \(error.map { "<p class=\"error\" role=\"alert\">\(escape($0))</p>" } ?? "")
            <form method="post" action="/devicelogin">
            <input type="hidden" name="csrf_token" value="\(escape(csrfToken))">
            <input type="hidden" name="action" value="signin">
            <label for="user_code">Code</label>
            <input type="text" id="user_code" name="user_code" value="\(escape(userCode ?? ""))" autocomplete="one-time-code" required autofocus>
            <label for="username">Email</label>
            <input type="email" id="username" name="username" autocomplete="username" required>
            <label for="password">Password</label>
            <input type="password" id="password" name="password" autocomplete="current-password" required>
            <button type="submit" id="signin">Next</button>
            </form>
            """
        )
    }

    static func deviceConsent(clientName: String, scopes: RequestedScopes, user: UserAccount, userCode: String, csrfToken: String) -> String
    {
        page(
            "Are you trying to sign in to \(clientName)?",
            """
            <p>Signed in as \(escape(user.username)). <strong>\(escape(clientName))</strong> would like to:</p>
            <ul>\(scopes.permissions.map { "<li>\(escape($0))</li>" }.joined())</ul>
            <p>Only continue if you started this sign-in on your own device.</p>
            <form method="post" action="/devicelogin">
            <input type="hidden" name="csrf_token" value="\(escape(csrfToken))">
            <input type="hidden" name="user_code" value="\(escape(userCode))">
            <button type="submit" id="approve" name="action" value="approve">Continue</button>
            <button type="submit" id="decline" name="action" value="decline">Cancel</button>
            </form>
            """
        )
    }

    static func deviceDone(approved: Bool) -> String {
        approved
            ? page("You're signed in", "<p>You can close this window and return to your device.</p>")
            : page("Sign-in declined", "<p>The device was not signed in. You can close this window.</p>")
    }

    /// HTML-escapes text for element content and quoted attribute values.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }
}
