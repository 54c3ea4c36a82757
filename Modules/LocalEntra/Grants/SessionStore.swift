import Foundation
import JOSE

/// The browser side of signing in: requests waiting at the sign-in or consent page (each
/// with its CSRF token), sign-in sessions (the single sign-on cookie), and consents given.
public actor SessionStore {
    /// A request waiting for the user, and the token its form must echo.
    struct Pending {
        var request: AuthorizationRequest
        let csrfToken: String
        let createdAt: Date
        var userObjectID: String?
    }

    /// How long a sign-in page stays usable, and how long a sign-in session lasts.
    static let pendingLifetime: TimeInterval = 15 * 60
    static let sessionLifetime: TimeInterval = 8 * 3600
    /// Bounds on what strangers can make us remember.
    static let maximumPending = 10_000

    private var pending: [String: Pending] = [:]
    private var sessions: [String: (userObjectID: String, expiresAt: Date)] = [:]
    private var consents: Set<String> = []
    private var formTokens: [String: FormToken] = [:]

    /// A single-use CSRF token of a device-login form, and what it was issued for.
    struct FormToken {
        let userObjectID: String?
        let userCode: String?
        let expiresAt: Date
    }

    /// Creates an empty store.
    public init() {}

    /// Remembers a request shown on the sign-in page; returns its id and CSRF token.
    func begin(_ request: AuthorizationRequest, userObjectID: String?, now: Date) -> (id: String, csrfToken: String) {
        if pending.count >= Self.maximumPending {
            pending = pending.filter { now.timeIntervalSince($0.value.createdAt) < Self.pendingLifetime }
            if pending.count >= Self.maximumPending { pending.remove(at: pending.startIndex) }
        }
        let id = Base64URL.random(byteCount: 16)
        let csrf = Base64URL.random()
        pending[id] = Pending(request: request, csrfToken: csrf, createdAt: now, userObjectID: userObjectID)
        return (id, csrf)
    }

    /// The pending request `id`, if `csrfToken` is its token and it is not stale.
    func pendingRequest(_ id: String, csrfToken: String?, now: Date) -> Pending? {
        guard let entry = pending[id], let csrfToken, Secrets.equal(csrfToken, entry.csrfToken),
            now.timeIntervalSince(entry.createdAt) < Self.pendingLifetime
        else { return nil }
        return entry
    }

    /// Records who signed in for pending request `id`.
    func setUser(_ userObjectID: String, for id: String) {
        pending[id]?.userObjectID = userObjectID
    }

    /// Forgets pending request `id` (done or abandoned).
    func finish(_ id: String) {
        pending[id] = nil
    }

    /// Starts a sign-in session; returns the cookie value.
    func startSession(userObjectID: String, now: Date) -> String {
        sessions = sessions.filter { $0.value.expiresAt > now }
        let id = Base64URL.random()
        sessions[Secrets.hash(id)] = (userObjectID, now.addingTimeInterval(Self.sessionLifetime))
        return id
    }

    /// The user of a session cookie, if it is live.
    func user(ofSession cookie: String?, now: Date) -> String? {
        guard let cookie, let session = sessions[Secrets.hash(cookie)], session.expiresAt > now else { return nil }
        return session.userObjectID
    }

    /// Whether the user (or an administrator, for every user) already consented to every
    /// permission the request asks; parsing the request kept it to the client's permissions.
    func hasConsented(_ userObjectID: String, to request: AuthorizationRequest) -> Bool {
        request.client.adminConsented || Self.consentKeys(userObjectID, request).allSatisfy(consents.contains)
    }

    /// Remembers the user's consent to the request's permissions.
    func recordConsent(_ userObjectID: String, to request: AuthorizationRequest) {
        consents.formUnion(Self.consentKeys(userObjectID, request))
    }

    /// A CSRF token for a form, optionally bound to the signed-in user and the user code.
    func issueFormToken(now: Date, userObjectID: String? = nil, userCode: String? = nil) -> String {
        if formTokens.count >= Self.maximumPending {
            formTokens = formTokens.filter { $0.value.expiresAt > now }
            if formTokens.count >= Self.maximumPending { formTokens.remove(at: formTokens.startIndex) }
        }
        let token = Base64URL.random()
        formTokens[token] = FormToken(
            userObjectID: userObjectID,
            userCode: userCode,
            expiresAt: now.addingTimeInterval(Self.pendingLifetime)
        )
        return token
    }

    /// Uses up a form's CSRF token; nil when it is missing, unknown or stale.
    func consumeFormToken(_ token: String?, now: Date) -> FormToken? {
        guard let token, let entry = formTokens.removeValue(forKey: token), entry.expiresAt > now else { return nil }
        return entry
    }

    /// Whether the user consented to `clientID` for the API scopes of `scopes` (on-behalf-of
    /// asks no consent for the OpenID Connect scopes MSAL adds).
    func hasConsented(_ userObjectID: String, clientID: String, apiScopesOf scopes: RequestedScopes) -> Bool {
        let apiOnly = RequestedScopes(openID: false, offlineAccess: false, oidc: [], api: scopes.api, apiScopes: scopes.apiScopes)
        return Self.consentKeys(userObjectID, clientID, apiOnly).allSatisfy(consents.contains)
    }

    private static func consentKeys(_ userObjectID: String, _ request: AuthorizationRequest) -> [String] {
        consentKeys(userObjectID, request.client.clientID, request.scopes)
    }

    private static func consentKeys(_ userObjectID: String, _ clientID: String, _ scopes: RequestedScopes) -> [String] {
        let names = scopes.oidc + (scopes.api.map { api in scopes.apiScopes.map { "\(api.clientID)/\($0)" } } ?? [])
        return names.map { "\(userObjectID)|\(clientID.lowercased())|\($0)" }
    }
}
