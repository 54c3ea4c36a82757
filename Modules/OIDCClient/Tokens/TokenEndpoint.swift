import Foundation
import HTTPKit
import HTTPTypes
import OIDCCore

/// Calls a provider's token and device authorization endpoints for one client.
public struct TokenEndpoint: Sendable {
    /// The token endpoint.
    public let url: URL
    /// The device authorization endpoint, if the provider has one.
    public let deviceAuthorizationURL: URL?
    /// The client.
    public let credentials: ClientCredentials
    private let httpClient: any HTTPClient

    /// Creates a client of the endpoints in `metadata`.
    public init(metadata: ProviderMetadata, credentials: ClientCredentials, httpClient: any HTTPClient) {
        self.url = metadata.tokenEndpoint
        self.deviceAuthorizationURL = metadata.deviceAuthorizationEndpoint
        self.credentials = credentials
        self.httpClient = httpClient
    }

    /// Redeems an authorization code with its PKCE verifier and the same redirect URI.
    public func redeem(code: String, redirectURI: String, codeVerifier: String) async throws(TokenEndpointError) -> TokenResponse {
        try await request([
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI), ("code_verifier", codeVerifier),
        ])
    }

    /// Uses a refresh token (the response usually carries a new one: keep it).
    public func refresh(_ refreshToken: String, scopes: [String]) async throws(TokenEndpointError) -> TokenResponse {
        try await request([("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("scope", scopes.joined(separator: " "))])
    }

    /// An app-only token: `scope` is `{App ID URI}/.default`.
    public func clientCredentials(scope: String) async throws(TokenEndpointError) -> TokenResponse {
        try await request([("grant_type", "client_credentials"), ("scope", scope)])
    }

    /// One poll of the device-code grant; `authorization_pending` and `slow_down` come back as
    /// errors, the caller waits and polls again.
    public func pollDeviceCode(_ deviceCode: String) async throws(TokenEndpointError) -> TokenResponse {
        try await request([("grant_type", "urn:ietf:params:oauth:grant-type:device_code"), ("device_code", deviceCode)])
    }

    /// Starts the device authorization grant (RFC 8628 §3.1).
    public func startDeviceAuthorization(scopes: [String]) async throws(TokenEndpointError) -> DeviceAuthorization {
        guard let deviceAuthorizationURL else {
            throw TokenEndpointError(error: "unsupported", description: "The provider has no device authorization endpoint")
        }
        let body = try await post(deviceAuthorizationURL, [("scope", scopes.joined(separator: " "))], authenticate: false)
        do {
            return try JSONDecoder().decode(DeviceAuthorization.self, from: body)
        } catch {
            throw TokenEndpointError(
                error: "invalid_response",
                description: "The device authorization endpoint answered something unusable"
            )
        }
    }

    private func request(_ parameters: [(String, String)]) async throws(TokenEndpointError) -> TokenResponse {
        try TokenResponse.parse(try await post(url, parameters, authenticate: true))
    }

    /// POSTs a form with the client's identification (and credential, when `authenticate`:
    /// a fresh client assertion for this endpoint, or the secret).
    private func post(_ url: URL, _ parameters: [(String, String)], authenticate: Bool) async throws(TokenEndpointError) -> Data {
        var form = parameters
        var fields: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .accept: "application/json"]
        switch (credentials.method, credentials.clientSecret) {
        case _ where authenticate && credentials.certificate != nil:
            // RFC 7523 §2.2, §3: the assertion's audience is the token endpoint itself.
            guard let assertion = try? credentials.certificate?.assertion(clientID: credentials.clientID, audience: url.absoluteString)
            else { throw TokenEndpointError(error: "invalid_client", description: "The client assertion could not be signed") }
            form += [
                ("client_id", credentials.clientID),
                ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"), ("client_assertion", assertion),
            ]
        case (.clientSecretBasic, let secret?) where authenticate:
            // RFC 6749 §2.3.1: id and secret are form-encoded before Base64.
            let pair = FormEncoding.encodeComponent(credentials.clientID) + ":" + FormEncoding.encodeComponent(secret)
            fields[.authorization] = "Basic " + Data(pair.utf8).base64EncodedString()
        case (_, let secret?) where authenticate:
            form += [("client_id", credentials.clientID), ("client_secret", secret)]
        default:
            form.append(("client_id", credentials.clientID))
        }
        let response: HTTPClientResponse
        do {
            response = try await httpClient.send(
                HTTPClientRequest(method: .post, url: url, headerFields: fields, body: Data(FormEncoding.encode(form).utf8))
            )
        } catch {
            throw TokenEndpointError(error: "unreachable", description: error.description)
        }
        guard response.status == .ok else { throw TokenEndpointError.parse(response.body, status: response.status.code) }
        return response.body
    }
}

/// The device authorization response (RFC 8628 §3.2).
public struct DeviceAuthorization: Decodable, Sendable, Hashable {
    /// What the device polls with; secret.
    public let deviceCode: String
    /// What the user types.
    public let userCode: String
    /// Where the user types it.
    public let verificationURI: String
    /// Seconds until the codes expire.
    public let expiresIn: Int
    /// Seconds between polls.
    public let interval: Int?
    /// A message to show the user.
    public let message: String?

    enum CodingKeys: String, CodingKey {
        case deviceCode = "device_code"
        case userCode = "user_code"
        case verificationURI = "verification_uri"
        case expiresIn = "expires_in"
        case interval, message
    }
}
