import Foundation
import HTTPKit
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JOSE
import LocalEntra
import NIOCore
import NIOFoundationCompat
import TestSupport
import Testing

let tenant = Registrations.development.tenantID
let heroesAPI = Registrations.development.apis[0]
let secondAPI = Registrations.development.apis[1]
let heroClient = Registrations.development.clients[0]
let redirectURI = "http://localhost:8000/auth/callback"
let authorityURL = "http://127.0.0.1:9000"

/// RFC 7636 Appendix B.
let pkceVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
let pkceChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"

/// local-entra over a fresh state folder, tested through the router.
func withLocalEntra<T>(
    registrations: Registrations = .development,
    clock: ManualClock = ManualClock(),
    stateFolder: URL? = nil,
    _ test: @Sendable (any TestClientProtocol, LocalEntra) async throws -> T
) async throws -> T {
    let folder = stateFolder ?? FileManager.default.temporaryDirectory.appendingPathComponent("local-entra-\(UUID().uuidString)")
    defer { if stateFolder == nil { try? FileManager.default.removeItem(at: folder) } }
    let entra = try LocalEntra(
        configuration: .init(registrations: registrations, stateFolder: folder, publicURL: authorityURL, devicePollInterval: 5),
        now: { clock.date }
    )
    let router = Router()
    entra.addRoutes(to: router)
    return try await Application(router: router).test(.router) { client in try await test(client, entra) }
}

/// The query of an authorize request; `change` edits the parameters.
func authorizeURI(_ change: (inout [String: String]) -> Void = { _ in }) -> String {
    var parameters = [
        "client_id": heroClient.clientID, "response_type": "code", "redirect_uri": redirectURI,
        "scope": "openid profile offline_access \(heroesAPI.appIDURI)/Heroes.Read \(heroesAPI.appIDURI)/Heroes.Write",
        "state": "state-123", "nonce": "nonce-456", "code_challenge": pkceChallenge, "code_challenge_method": "S256",
    ]
    change(&parameters)
    return "/\(tenant)/oauth2/v2.0/authorize?" + FormEncoding.encodeQuery(parameters.sorted { $0.key < $1.key })
}

/// The query parameters of a redirect.
func redirectParameters(_ response: TestResponse) -> [String: String] {
    guard let location = response.headers[.location], let query = location.split(separator: "?", maxSplits: 1).last else { return [:] }
    return Dictionary(FormEncoding.decode(query) ?? [], uniquingKeysWith: { a, _ in a })
}

/// A form POST.
func postForm(
    _ client: some TestClientProtocol,
    _ uri: String,
    _ fields: [(String, String)],
    headers: HTTPFields = [:]
) async throws -> TestResponse {
    var headers = headers
    headers[.contentType] = "application/x-www-form-urlencoded"
    return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: FormEncoding.encode(fields)))
}

/// The JSON object of a response body.
func json(_ response: TestResponse) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any] ?? [:]
}

/// Signs in as the demo user and consents, as a browser would; returns the code redirect and the session cookie.
func signIn(
    _ client: some TestClientProtocol,
    uri: String = authorizeURI(),
    username: String = "hero@localentra.dev",
    password: String = "hero-password"
) async throws -> (redirect: TestResponse, cookie: String) {
    let form = try await SignInForm.open(client, uri: uri)
    let signedIn = try await form.submit(client, username: username, password: password)
    let cookie = try #require(signedIn.headers[.setCookie]?.split(separator: ";").first.map(String.init))
    if signedIn.status == .found { return (signedIn, cookie) }
    return (try await form.submit(client, action: "consent"), cookie)
}

/// The authorize endpoint's sign-in page, as a browser holds it: its request id and CSRF token.
struct SignInForm {
    let requestID: String
    let csrf: String

    /// Loads the sign-in page of an authorization request.
    static func open(_ client: some TestClientProtocol, uri: String = authorizeURI()) async throws -> SignInForm {
        let html = String(buffer: try await client.execute(uri: uri, method: .get).body)
        return SignInForm(
            requestID: try #require(TestBrowser.field("request_id", in: html)),
            csrf: try #require(TestBrowser.field("csrf_token", in: html))
        )
    }

    /// Posts the form with the demo user's credentials (or others).
    func submit(
        _ client: some TestClientProtocol,
        username: String = "hero@localentra.dev",
        password: String = "hero-password"
    ) async throws -> TestResponse {
        try await submit(client, action: "signin", extra: [("username", username), ("password", password)])
    }

    /// Posts `action` (signin, consent, cancel) with the page's request id and CSRF token.
    func submit(_ client: some TestClientProtocol, action: String, extra: [(String, String)] = []) async throws -> TestResponse {
        try await postForm(
            client,
            "/\(tenant)/oauth2/v2.0/authorize",
            [("request_id", requestID), ("csrf_token", csrf), ("action", action)] + extra
        )
    }
}

/// Redeems a code with the client's secret and the RFC 7636 verifier.
func redeem(
    _ client: some TestClientProtocol,
    code: String,
    verifier: String = pkceVerifier,
    extra: [(String, String)] = []
) async throws -> TestResponse {
    try await postForm(
        client,
        "/\(tenant)/oauth2/v2.0/token",
        [
            ("grant_type", "authorization_code"), ("client_id", heroClient.clientID), ("client_secret", heroClient.secret!),
            ("code", code), ("redirect_uri", redirectURI), ("code_verifier", verifier),
        ] + extra
    )
}

/// The claims of a JWT, unverified (the tests verify separately).
func claims(_ token: String) -> [String: JSONValue] {
    let payload = Base64URL.decode(String(token.split(separator: ".")[1])) ?? []
    return (try? JWTClaims(payload: payload).members) ?? [:]
}
