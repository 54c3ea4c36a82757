import Foundation
import HTTPKit
import HTTPServerKit
import HTTPTypes
import Hummingbird
import JOSE
import NIOCore
import NIOFoundationCompat
import OIDCClient
import OIDCCore

/// The cookie binding a login to the browser that started it.
let loginCookie = "hero_client_login"

/// The cookie of a browser that signed in here, which the proxy requires of browsers.
let sessionCookie = "hero_client_session"

/// hero-client's local API: `/auth/login`, `/auth/callback`, `/auth/logout`, and the
/// `/api/heroes` proxy that adds the bearer token.
func buildClientRouter(_ services: ClientServices) -> Router<BasicRequestContext> {
    let router = Router()
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: ProblemDetailsMiddleware())
    router.add(middleware: HTMLPageHeadersMiddleware())
    // The proxy acts with the user's token: only our own host names, and state changes only
    // from our own pages (DNS rebinding, cross-site requests).
    router.add(middleware: SameOriginMiddleware(allowedHosts: services.configuration.servedHostNames))

    router.get("auth/login") { request, _ in
        // The browser's binding is reused for all its logins, so they are bounded together
        // and a flood from one browser cannot push out another's (PendingLogins).
        let url: URL
        let binding: String
        do throws(PendingLoginsFull) {
            (url, binding) = try await services.signIn.start(browserBinding: request.cookies[loginCookie]?.value)
        } catch {
            throw ProblemDetails(.serviceUnavailable, detail: error.description, headerFields: [.retryAfter: "\(error.retryAfter)"])
        }
        return Response(
            status: .found,
            headers: [
                .location: url.absoluteString, .cacheControl: "no-store",
                .setCookie: "\(loginCookie)=\(binding); Path=/auth; Max-Age=600; HttpOnly; SameSite=Lax",
            ]
        )
    }

    router.get("auth/callback") { request, _ in
        let parameters = Dictionary(FormEncoding.decode(request.uri.query ?? "") ?? [], uniquingKeysWith: { first, _ in first })
        let result: SignInResult
        do {
            result = try await services.signIn.finish(parameters, browserBinding: request.cookies[loginCookie]?.value)
        } catch let error as SignInError {
            throw ProblemDetails(.badRequest, detail: error.description)
        }
        // Binds the proxy to this browser: it serves browsers only with this cookie. Strict:
        // never sent with a request another site started.
        let session = await services.sessions.open()
        let secure = services.configuration.redirectURI.lowercased().hasPrefix("https:") ? "; Secure" : ""
        // As the Python demo: the decoded claims of both tokens, never the tokens themselves.
        let body = JSONValue.object([
            "id_token": .object(result.idTokenClaims.members),
            "access_token": result.accessTokenClaims.map { .object($0) } ?? .null,
        ])
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/json", .cacheControl: "no-store",
                // RFC 9700 §4.2.4: the page of the authorization response leaks nothing onward.
                HTTPField.Name("Referrer-Policy")!: "no-referrer",
                .setCookie: "\(sessionCookie)=\(session); Path=/; HttpOnly; SameSite=Strict\(secure)",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: body.serialized()))
        )
    }

    // Signing out changes state, so it is a POST; a GET shows the button (a cross-site link
    // or image cannot sign the user out).
    router.get("auth/logout") { _, _ in
        Response(
            status: .ok,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                // One form posting to ourselves; nothing to load, nobody may frame it.
                .contentSecurityPolicy: "default-src 'none'; form-action 'self'; frame-ancestors 'none'",
            ],
            body: .init(byteBuffer: ByteBuffer(string: LogoutPage.html))
        )
    }
    router.post("auth/logout") { _, _ in
        try await services.cache.signOut()
        await services.sessions.closeAll()
        var message = ["message": "Signed out: the tokens are deleted from this client"]
        if let endSession = services.signIn.metadata.endSessionEndpoint {
            message["provider_logout_url"] = endSession.absoluteString
        }
        return Response(
            status: .ok,
            headers: [.contentType: "application/json", .setCookie: "\(sessionCookie)=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"],
            body: .init(byteBuffer: ByteBuffer(data: try JSONEncoder().encode(message)))
        )
    }

    let proxy = HeroesProxy(services: services)
    for path in ["api/heroes", "api/heroes/{id}"] {
        for method in [HTTPRequest.Method.get, .post, .put, .delete] {
            router.on(RouterPath(path), method: method) { request, context in
                // A browser must be the one that signed in here; curl and scripts (no browser
                // marks, see BrowserRequest) act with the token cache, as the command line does.
                // (With nobody signed in, the proxy's own 401 says what to do.)
                if BrowserRequest.isBrowser(request.headers), await services.cache.currentAccount != nil,
                    await !services.sessions.isOpen(request.cookies[sessionCookie]?.value)
                {
                    throw ProblemDetails(
                        .forbidden,
                        detail: "This browser has not signed in to this client: sign in at /auth/login in this browser first"
                    )
                }
                return try await proxy.forward(request, context: context)
            }
        }
    }
    return router
}
