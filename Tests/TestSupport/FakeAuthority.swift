import Foundation
import HTTPKit
import HTTPTypes
import JOSE
import OIDCCore
import Synchronization

/// An OpenID provider in memory: answers discovery and JWKS requests through ``HTTPClient``,
/// counts them, and can rotate its keys, go down, or answer slowly.
public final class FakeAuthority: HTTPClient {
    public static let tenantID = DevelopmentTenant.tenantID
    public static let apiClientID = DevelopmentTenant.apiClientID
    public static let otherAPIClientID = DevelopmentTenant.secondAPIClientID
    public static let clientAppID = DevelopmentTenant.clientID

    public let host: String
    /// The tenant at this host, as Entra spells its addresses.
    public var authority: EntraAuthority { EntraAuthority(host: host, tenantID: Self.tenantID) }
    public var issuer: String { authority.issuer }
    public var jwksURL: String { authority.jwksURI.absoluteString }

    private struct State {
        var keys: JWKSet
        var isDown = false
        var delay: Duration = .zero
        var advertisedIssuer: String?
        var tokenResponse: Data?
        var requests: [String] = []
    }

    private let state: Mutex<State>

    public init(host: String = "https://login.microsoftonline.com", keys: [any JWSSigningKey]) {
        self.host = host
        self.state = Mutex(State(keys: JWKSet(publicKeysOf: keys)))
    }

    /// Publishes these keys from now on.
    public func publish(_ keys: JWKSet) { state.withLock { $0.keys = keys } }
    /// Makes every request fail (true) or work again (false).
    public func setDown(_ down: Bool) { state.withLock { $0.isDown = down } }
    /// Delays every answer.
    public func setDelay(_ delay: Duration) { state.withLock { $0.delay = delay } }
    /// Makes discovery claim another issuer.
    public func advertise(issuer: String) { state.withLock { $0.advertisedIssuer = issuer } }
    /// Makes the token endpoint answer 200 with this body.
    public func setTokenResponse(_ body: Data) { state.withLock { $0.tokenResponse = body } }
    /// Every URL requested so far.
    public var requests: [String] { state.withLock { $0.requests } }
    /// How many times the key set was fetched.
    public var jwksFetches: Int { requests.filter { $0 == jwksURL }.count }

    public func send(_ request: HTTPClientRequest) async throws(HTTPClientError) -> HTTPClientResponse {
        let url = request.url.absoluteString
        let (down, delay, keys, advertised, tokenResponse) = state.withLock { state in
            state.requests.append(url)
            return (state.isDown, state.delay, state.keys, state.advertisedIssuer, state.tokenResponse)
        }
        if delay > .zero { try? await Task.sleep(for: delay) }
        if down { throw HTTPClientError(.connectionFailed, host: request.url.host ?? "", reason: "the connection was refused") }
        switch url {
        case "\(issuer)/.well-known/openid-configuration":
            let document: [String: String] = [
                "issuer": advertised ?? issuer,
                "authorization_endpoint": authority.authorizationEndpoint.absoluteString,
                "token_endpoint": authority.tokenEndpoint.absoluteString,
                "jwks_uri": jwksURL,
            ]
            return HTTPClientResponse(status: .ok, body: try! JSONEncoder().encode(document))
        case jwksURL:
            return HTTPClientResponse(status: .ok, body: keys.jsonData())
        case "\(host)/\(Self.tenantID)/oauth2/v2.0/token":
            return HTTPClientResponse(
                status: tokenResponse == nil ? .badRequest : .ok,
                body: tokenResponse ?? Data(#"{"error":"invalid_grant"}"#.utf8)
            )
        default:
            return HTTPClientResponse(status: .notFound)
        }
    }
}
