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

    router.get("auth/login") { _, _ in
        let (url, binding) = await services.signIn.start()
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
                .setCookie: "\(loginCookie)=; Path=/auth; Max-Age=0; HttpOnly; SameSite=Lax",
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
        var message = ["message": "Signed out: the tokens are deleted from this client"]
        if let endSession = services.signIn.metadata.endSessionEndpoint {
            message["provider_logout_url"] = endSession.absoluteString
        }
        return Response(
            status: .ok,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(data: try JSONEncoder().encode(message)))
        )
    }

    let proxy = HeroesProxy(services: services)
    for path in ["api/heroes", "api/heroes/{id}"] {
        for method in [HTTPRequest.Method.get, .post, .put, .delete] {
            router.on(RouterPath(path), method: method) { request, context in try await proxy.forward(request, context: context) }
        }
    }
    return router
}
