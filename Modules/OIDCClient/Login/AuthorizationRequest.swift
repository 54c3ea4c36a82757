import Crypto
import Foundation
import HTTPKit
import JOSE
import OIDCCore

/// A client's registration at the provider, as the client sees it.
public struct ClientCredentials: Sendable, Hashable {
    /// How the client authenticates at the token endpoint.
    public enum Method: String, Sendable, Hashable {
        /// `client_id` and `client_secret` in the form body (Entra's default).
        case clientSecretPost = "client_secret_post"
        /// HTTP Basic with the form-encoded id and secret (RFC 6749 §2.3.1).
        case clientSecretBasic = "client_secret_basic"
    }

    /// The application (client) id.
    public var clientID: String
    /// The secret; nil for a public client or one with a certificate.
    public var clientSecret: String?
    /// How the secret is sent.
    public var method: Method
    /// A certificate credential, used instead of a secret (`private_key_jwt`).
    public var certificate: ClientCertificate?

    /// Creates credentials.
    public init(clientID: String, clientSecret: String?, method: Method = .clientSecretPost, certificate: ClientCertificate? = nil) {
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.method = method
        self.certificate = certificate
    }
}

/// A sign-in in progress: what the client sent with the authorization request and must check
/// the response against. Kept server-side in ``PendingLogins``, never sent to the browser
/// except `state`.
public struct PendingLogin: Sendable, Hashable {
    /// The `state` sent (256 random bits); the key of the pending login.
    public let state: String
    /// The `nonce` sent (256 random bits); the ID token must carry it.
    public let nonce: String
    /// The PKCE verifier (RFC 7636 §4.1: 32 random octets, base64url: 43 characters).
    public let codeVerifier: String
    /// A value also set as a cookie in the browser that started the login, so a response
    /// delivered to another browser is refused (RFC 9700 §4.7, login CSRF).
    public let browserBinding: String
    /// The redirect URI sent; the token request repeats it.
    public let redirectURI: String
    /// The issuer the request went to (RFC 9700 §4.4.2).
    public let issuer: String
    /// When it started.
    public let createdAt: Date

    /// Starts a login with fresh random values; `browserBinding` is the browser's existing
    /// binding when it has a well-formed one (so its logins are counted together), else new.
    public init(redirectURI: String, issuer: String, now: Date, browserBinding: String? = nil) {
        self.state = Base64URL.random()
        self.nonce = Base64URL.random()
        self.codeVerifier = PKCE.makeVerifier()
        self.browserBinding = browserBinding.flatMap(Self.wellFormedBinding) ?? Base64URL.random()
        self.redirectURI = redirectURI
        self.issuer = issuer
        self.createdAt = now
    }

    /// A binding as this client makes them (256 bits, base64url: 43 characters), else nil.
    static func wellFormedBinding(_ value: String) -> String? {
        guard value.utf8.count == 43, Base64URL.decode(value)?.count == 32 else { return nil }
        return value
    }

    /// The S256 code challenge: BASE64URL(SHA256(ASCII(verifier))) (RFC 7636 §4.2).
    public var codeChallenge: String { PKCE.challenge(for: codeVerifier) }

    /// The authorization request URL (`response_type=code`, `response_mode=query`, PKCE S256,
    /// state and nonce) for the provider's authorization endpoint.
    public func authorizationURL(endpoint: URL, clientID: String, scopes: [String], prompt: String? = nil) -> URL {
        var parameters = [
            ("client_id", clientID),
            ("response_type", "code"),
            ("redirect_uri", redirectURI),
            ("response_mode", "query"),
            ("scope", scopes.joined(separator: " ")),
            ("state", state),
            ("nonce", nonce),
            ("code_challenge", codeChallenge),
            // RFC 7636 §4.2: S256 always; never plain (§7.2: no downgrade).
            ("code_challenge_method", "S256"),
        ]
        if let prompt { parameters.append(("prompt", prompt)) }
        let separator = endpoint.query == nil ? "?" : "&"
        return URL(string: endpoint.absoluteString + separator + FormEncoding.encodeQuery(parameters))!
    }
}
