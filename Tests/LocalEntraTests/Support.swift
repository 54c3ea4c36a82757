import Foundation
import HTTPKit
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JOSE
import LocalEntra
import NIOCore
import NIOFoundationCompat
import SystemHarness
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
    redirectParameters(location: response.headers[.location])
}

/// The query parameters of a redirect the browser received.
func redirectParameters(_ page: ScriptedBrowser.Page) -> [String: String] {
    redirectParameters(location: page.location)
}

private func redirectParameters(location: String?) -> [String: String] {
    guard let location, let query = location.split(separator: "?", maxSplits: 1).last else { return [:] }
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

/// A browser whose requests go to local-entra's router in memory.
struct RouterTransport: BrowserTransport {
    let client: any TestClientProtocol

    func exchange(_ request: HTTPClientRequest) async throws -> HTTPClientResponse {
        let response = try await client.execute(
            uri: request.url.absoluteString,
            method: request.method,
            headers: request.headerFields,
            body: request.body.map { ByteBuffer(data: $0) }
        )
        return HTTPClientResponse(status: response.status, headerFields: response.headers, body: Data(buffer: response.body))
    }
}

/// A fresh browser over the router.
func browser(_ client: some TestClientProtocol) -> ScriptedBrowser {
    ScriptedBrowser(transport: RouterTransport(client: client))
}

/// Signs in as the demo user and consents, as a browser would; returns the code redirect and the session cookie.
func signIn(
    _ client: some TestClientProtocol,
    uri: String = authorizeURI(),
    username: String = ScriptedBrowser.demoUser,
    password: String = ScriptedBrowser.demoPassword
) async throws -> (redirect: ScriptedBrowser.Page, cookie: String) {
    let result = try await browser(client).signIn(authorizeURL: uri, username: username, password: password)
    let cookie = try #require(result.signedIn.setCookie?.split(separator: ";").first.map(String.init))
    return (result.redirect, cookie)
}

/// The sign-in page of an authorization request, loaded in a fresh browser over the router.
func openSignIn(_ client: some TestClientProtocol, uri: String = authorizeURI()) async throws -> (ScriptedBrowser, SignInPage) {
    let browser = browser(client)
    return (browser, try await browser.openSignIn(uri))
}

/// An authorization code for the demo user, through the sign-in and consent pages.
func code(_ client: some TestClientProtocol, uri: String = authorizeURI()) async throws -> String {
    try #require(redirectParameters(try await signIn(client, uri: uri).redirect)["code"])
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

/// Checks an Entra error answer: status, `error`, `error_codes` and the AADSTS prefix.
func expectEntraError(
    _ response: TestResponse,
    _ error: String,
    _ code: Int,
    status: HTTPResponse.Status = .badRequest,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(response.status == status, sourceLocation: sourceLocation)
    let body = json(response)
    #expect(body["error"] as? String == error, "error code \(code)", sourceLocation: sourceLocation)
    #expect(body["error_codes"] as? [Int] == [code], "expected AADSTS\(code)", sourceLocation: sourceLocation)
    #expect((body["error_description"] as? String)?.hasPrefix("AADSTS\(code):") == true, sourceLocation: sourceLocation)
    #expect(body["trace_id"] is String && body["correlation_id"] is String && body["timestamp"] is String, sourceLocation: sourceLocation)
}
