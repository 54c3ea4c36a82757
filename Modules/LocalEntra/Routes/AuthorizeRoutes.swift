import Foundation
import HTTPKit
import Hummingbird

/// The sign-in session cookie: HttpOnly (no script reads it), SameSite=Lax (sent on the
/// top-level redirect back from a client, not on cross-site posts).
let sessionCookieName = "local_entra_session"

extension LocalEntra {
    func addAuthorizeRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get(":tenant/oauth2/v2.0/authorize") { request, context in
            do {
                try checkTenant(context)
                let parameters = Dictionary(FormEncoding.decode(request.uri.query ?? "") ?? [], uniquingKeysWith: { first, _ in first })
                return try await authorize(parameters, request: request)
            } catch let error as EntraError {
                return Pages.response(Pages.error(error), status: .badRequest)
            }
        }
        router.post(":tenant/oauth2/v2.0/authorize") { request, context in
            do {
                try checkTenant(context)
                return try await submitSignIn(try await FormBody.read(request, context: context), request: request)
            } catch let error as EntraError {
                return Pages.response(Pages.error(error), status: .badRequest)
            }
        }
        router.get(":tenant/oauth2/v2.0/logout") { request, context in
            try checkTenant(context)
            var response = Pages.response(Pages.signedOut())
            response.headers[.setCookie] = "\(sessionCookieName)=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"
            return response
        }
    }

    /// GET /authorize: checks the request; errors about the client or redirect URI are shown
    /// here (never redirected to an unregistered URI), the rest go back to the client.
    func authorize(_ parameters: [String: String], request: Request) async throws(EntraError) -> Response {
        let clientID = parameters["client_id"] ?? ""
        guard let client = registrations.client(clientID) else { throw .applicationNotFound(clientID) }
        // AADSTS50011: exact match only, so a code can never be sent somewhere unregistered.
        guard let redirectURI = parameters["redirect_uri"], client.redirectURIs.contains(redirectURI) else {
            throw .redirectURIMismatch(client.clientID)
        }
        let state = parameters["state"]
        let authorizationRequest: AuthorizationRequest
        do {
            authorizationRequest = try checkedRequest(parameters, client: client, redirectURI: redirectURI)
        } catch {
            return Redirect.error(error, to: redirectURI, state: state)
        }

        let prompt = authorizationRequest.prompt
        let sessionUser = prompt == "login" ? nil : await sessions.user(ofSession: request.cookies[sessionCookieName]?.value, now: now())
        if let userID = sessionUser, let user = registrations.user(objectID: userID) {
            if prompt != "consent", await sessions.hasConsented(userID, to: authorizationRequest) {
                return await issueCode(for: authorizationRequest, user: user)
            }
            if prompt == "none" {
                return Redirect.error(
                    EntraError("consent_required", 65001, "The user or administrator has not consented to use the application."),
                    to: redirectURI,
                    state: state
                )
            }
            let (id, csrf) = await sessions.begin(authorizationRequest, userObjectID: userID, now: now())
            return Pages.response(Pages.consent(authorizationRequest, user: user, requestID: id, csrfToken: csrf, action: request.uri.path))
        }
        if prompt == "none" {
            return Redirect.error(
                EntraError("login_required", 50058, "A silent sign-in request was sent but no user is signed in."),
                to: redirectURI,
                state: state
            )
        }
        let (id, csrf) = await sessions.begin(authorizationRequest, userObjectID: nil, now: now())
        return Pages.response(
            Pages.signIn(client: client, requestID: id, csrfToken: csrf, action: request.uri.path, username: authorizationRequest.loginHint)
        )
    }

    /// The checks whose failures are redirected back to the client with `error`.
    func checkedRequest(
        _ parameters: [String: String],
        client: ClientRegistration,
        redirectURI: String
    ) throws(EntraError) -> AuthorizationRequest {
        guard parameters["response_type"] == "code" else {
            throw EntraError(
                "unsupported_response_type",
                700054,
                "response_type '\(parameters["response_type"] ?? "")' is not enabled for the application."
            )
        }
        if let mode = parameters["response_mode"], mode != "query" {
            throw EntraError("invalid_request", 70007, "The response_mode '\(mode)' is not supported by local-entra; use query.")
        }
        let scopes = try RequestedScopes.parse(parameters["scope"] ?? "", registrations: registrations, client: client)
        let challenge = parameters["code_challenge"]
        let method = parameters["code_challenge_method"] ?? "plain"  // RFC 7636 §4.3: absent means plain.
        if challenge != nil || parameters["code_challenge_method"] != nil {
            guard method == "S256" || method == "plain" else {
                throw EntraError("invalid_request", 50149, "The code_challenge_method '\(method)' is not supported; use S256 or plain.")
            }
            // RFC 7636 §4.2: 43 to 128 characters.
            guard let challenge, (43...128).contains(challenge.count) else {
                throw EntraError("invalid_request", 501491, "Invalid size of Code_Challenge parameter.")
            }
        }
        let prompt = parameters["prompt"]
        if let prompt, !["login", "none", "consent", "select_account"].contains(prompt) {
            throw .invalidRequest("The prompt '\(prompt)' is not valid.")
        }
        return AuthorizationRequest(
            client: client,
            redirectURI: redirectURI,
            scopes: scopes,
            state: parameters["state"],
            nonce: parameters["nonce"],
            codeChallenge: challenge,
            codeChallengeMethod: method,
            prompt: prompt,
            loginHint: parameters["login_hint"]
        )
    }

    /// POST /authorize: the sign-in form, then the consent form.
    func submitSignIn(_ form: [String: String], request: Request) async throws(EntraError) -> Response {
        let requestID = form["request_id"] ?? ""
        // CSRF: the form must echo the token its page was given, for its own pending request.
        guard let pending = await sessions.pendingRequest(requestID, csrfToken: form["csrf_token"], now: now()) else {
            throw EntraError(
                "invalid_request",
                90023,
                "The sign-in form is missing its CSRF token, or it expired. Start the sign-in again."
            )
        }
        let authorizationRequest = pending.request
        switch form["action"] {
        case "signin":
            guard let user = registrations.user(named: form["username"] ?? ""), Secrets.equal(user.password, form["password"] ?? "") else {
                return Pages.response(
                    Pages.signIn(
                        client: authorizationRequest.client,
                        requestID: requestID,
                        csrfToken: pending.csrfToken,
                        action: request.uri.path,
                        username: form["username"],
                        error: "Your account or password is incorrect."
                    ),
                    status: .unauthorized
                )
            }
            let cookie = await sessions.startSession(userObjectID: user.objectID, now: now())
            var response: Response
            if authorizationRequest.prompt != "consent", await sessions.hasConsented(user.objectID, to: authorizationRequest) {
                await sessions.finish(requestID)
                response = await issueCode(for: authorizationRequest, user: user)
            } else {
                await sessions.setUser(user.objectID, for: requestID)
                response = Pages.response(
                    Pages.consent(
                        authorizationRequest,
                        user: user,
                        requestID: requestID,
                        csrfToken: pending.csrfToken,
                        action: request.uri.path
                    )
                )
            }
            response.headers[.setCookie] = "\(sessionCookieName)=\(cookie); Path=/; HttpOnly; SameSite=Lax"
            return response
        case "consent":
            guard let userID = pending.userObjectID, let user = registrations.user(objectID: userID) else {
                throw .invalidRequest("Sign in before consenting.")
            }
            await sessions.finish(requestID)
            await sessions.recordConsent(userID, to: authorizationRequest)
            return await issueCode(for: authorizationRequest, user: user)
        case "cancel":
            await sessions.finish(requestID)
            return Redirect.error(
                EntraError("access_denied", 65004, "User declined to consent to access the app."),
                to: authorizationRequest.redirectURI,
                state: authorizationRequest.state
            )
        default:
            throw .invalidRequest("Unknown form action.")
        }
    }

    /// Issues a code and sends the browser back to the client with it.
    func issueCode(for request: AuthorizationRequest, user: UserAccount) async -> Response {
        let grant = Grant(
            userObjectID: user.objectID,
            clientID: request.client.clientID,
            scope: request.scopes.grantedScope,
            nonce: request.nonce
        )
        let code = await codes.issue(grant, for: request, now: now())
        var parameters = [("code", code)]
        if let state = request.state { parameters.append(("state", state)) }
        return Redirect.to(request.redirectURI, parameters)
    }
}

/// Redirects back to a client's (registered) redirect URI.
enum Redirect {
    static func to(_ uri: String, _ parameters: [(String, String)]) -> Response {
        let separator = uri.contains("?") ? "&" : "?"
        return Response(
            status: .found,
            headers: [.location: uri + separator + FormEncoding.encodeQuery(parameters), .cacheControl: "no-store"]
        )
    }

    static func error(_ error: EntraError, to uri: String, state: String?) -> Response {
        var parameters = [("error", error.error), ("error_description", "AADSTS\(error.code): \(error.message)")]
        if let state { parameters.append(("state", state)) }
        return to(uri, parameters)
    }
}

/// Form bodies of the browser pages and the token endpoint.
enum FormBody {
    /// The largest form accepted.
    static let maximumSize = 16 * 1024

    static func read(_ request: Request, context: some RequestContext) async throws(EntraError) -> [String: String] {
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        guard contentType.hasPrefix("application/x-www-form-urlencoded") else {
            throw .invalidRequest("The request body must be application/x-www-form-urlencoded.")
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: maximumSize)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw .invalidRequest("The request body is too large.")
        } catch {
            // A malformed chunk or a body cut short: the client's error, as Entra answers it.
            throw .invalidRequest("The request body could not be read.")
        }
        guard let pairs = FormEncoding.decode(String(buffer: body)) else { throw .invalidRequest("The request body is not a valid form.") }
        // A repeated parameter is ambiguous (RFC 6749 §3.1): refuse it.
        var form: [String: String] = [:]
        for (name, value) in pairs {
            guard form.updateValue(value, forKey: name) == nil else { throw .invalidRequest("The parameter '\(name)' is repeated.") }
        }
        return form
    }
}
