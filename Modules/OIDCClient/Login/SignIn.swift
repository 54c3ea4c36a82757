import Foundation
import JOSE
import Logging
import OIDCCore

/// The authorization-code flow of a confidential client, end to end: the authorization
/// request (state, nonce, PKCE S256), then the response checks (state known, single-use and
/// from this browser; provider errors; code exchange; ID token per OIDC Core §3.1.3.7), and
/// the tokens into the cache. Nothing is stored unless every check passed.
public struct SignIn: Sendable {
    /// The provider.
    public let metadata: ProviderMetadata
    /// The client's id.
    public let clientID: String
    /// The registered redirect URI.
    public let redirectURI: String
    /// The scopes asked for (`openid` among them).
    public let scopes: [String]
    /// Logins in progress.
    public let pending: PendingLogins
    /// The token endpoint.
    public let tokenEndpoint: TokenEndpoint
    /// The ID-token checks.
    public let idTokens: IDTokenValidator
    /// Where the tokens go.
    public let cache: TokenCache
    private let logger: Logger
    private let now: @Sendable () -> Date

    /// Wires the flow.
    public init(
        metadata: ProviderMetadata,
        redirectURI: String,
        scopes: [String],
        tokenEndpoint: TokenEndpoint,
        idTokens: IDTokenValidator,
        cache: TokenCache,
        pending: PendingLogins = PendingLogins(),
        logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.metadata = metadata
        self.clientID = tokenEndpoint.credentials.clientID
        self.redirectURI = redirectURI
        self.scopes = scopes
        self.tokenEndpoint = tokenEndpoint
        self.idTokens = idTokens
        self.cache = cache
        self.pending = pending
        self.logger = logger
        self.now = now
    }

    /// Starts a login: the URL to send the browser to, and the value to bind to it (a cookie).
    /// `browserBinding` is the cookie the browser already holds, if any: its logins share it,
    /// so they are bounded together (``PendingLogins``).
    public func start(
        prompt: String? = nil,
        browserBinding: String? = nil
    ) async throws(PendingLoginsFull) -> (
        url: URL, browserBinding: String
    ) {
        let login = PendingLogin(redirectURI: redirectURI, issuer: metadata.issuer, now: now(), browserBinding: browserBinding)
        try await pending.insert(login, now: now())
        return (
            login.authorizationURL(endpoint: metadata.authorizationEndpoint, clientID: clientID, scopes: scopes, prompt: prompt),
            login.browserBinding
        )
    }

    /// Finishes a login from the authorization response's query parameters and the browser's
    /// binding cookie; returns the validated ID-token claims and the access token.
    public func finish(_ parameters: [String: String], browserBinding: String?) async throws(SignInError) -> SignInResult {
        guard let state = parameters["state"], !state.isEmpty else { throw .missingState }
        // Taken, not read: a replayed response finds nothing (RFC 9700 §4.2.4).
        guard let login = await pending.take(state: state, now: now()) else { throw .unknownState }
        guard let browserBinding, browserBinding == login.browserBinding else { throw .otherBrowser }
        if let error = parameters["error"] {
            // RFC 9207 §2.4: shown, never trusted for anything else.
            throw .provider(error: error, description: parameters["error_description"])
        }
        guard let code = parameters["code"], !code.isEmpty else { throw .missingCode }

        let response: TokenResponse
        do {
            response = try await tokenEndpoint.redeem(code: code, redirectURI: login.redirectURI, codeVerifier: login.codeVerifier)
        } catch {
            throw .tokenEndpoint(error)
        }
        guard let idToken = response.idToken else { throw .missingIDToken }
        let claims: JWTClaims
        do {
            claims = try await idTokens.validate(idToken, nonce: login.nonce)
        } catch {
            throw .idToken(error)
        }
        let account = Account(claims: claims)
        do {
            try await cache.store(response, account: account, scopes: scopes)
        } catch {
            throw .storage("\(error)")
        }
        logger.info("Signed in", metadata: ["account": "\(account.username ?? account.id)"])
        return SignInResult(account: account, idTokenClaims: claims, accessToken: response.accessToken)
    }
}

/// A finished sign-in.
public struct SignInResult: Sendable {
    /// Who signed in.
    public let account: Account
    /// The validated ID token's claims.
    public let idTokenClaims: JWTClaims
    /// The access token (opaque to the client; never shown raw).
    public let accessToken: String

    /// The access token's claims if it is a JWT, decoded without verification (the token is
    /// for the API, which verifies it); nil when it is opaque.
    public var accessTokenClaims: [String: JSONValue]? {
        let parts = accessToken.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let payload = Base64URL.decode(String(parts[1])) else { return nil }
        return try? JWTClaims(payload: payload).members
    }
}

/// Why a sign-in was refused. Descriptions are safe to show: no codes, tokens or secrets.
public enum SignInError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The response had no `state`.
    case missingState
    /// The `state` is unknown, expired or already used.
    case unknownState
    /// The response reached another browser than the one that started the login.
    case otherBrowser
    /// The provider answered with an error.
    case provider(error: String, description: String?)
    /// The response had no `code`.
    case missingCode
    /// The code exchange failed.
    case tokenEndpoint(TokenEndpointError)
    /// The token response had no ID token.
    case missingIDToken
    /// The ID token failed a check.
    case idToken(IDTokenError)
    /// The tokens could not be stored.
    case storage(String)

    public var description: String {
        switch self {
        case .missingState: "The sign-in response has no state"
        case .unknownState: "The sign-in response's state is unknown, expired or already used; start again at /auth/login"
        case .otherBrowser: "The sign-in response reached a browser that did not start this sign-in"
        case .provider(let error, let description):
            "The identity provider refused the sign-in: \(error)\(description.map { ": \($0)" } ?? "")"
        case .missingCode: "The sign-in response has no code"
        case .tokenEndpoint(let error): "The code could not be redeemed: \(error.error): \(error.description)"
        case .missingIDToken: "The token response has no ID token"
        case .idToken(let error): "The ID token was refused: \(error.description)"
        case .storage(let reason): "The tokens could not be stored: \(reason)"
        }
    }
}
