import Foundation

/// A successful token endpoint response (RFC 6749 §5.1), checked: the token type must be
/// Bearer (compared case-insensitively, §7.1), unknown members are ignored.
public struct TokenResponse: Sendable, Hashable {
    /// The access token; opaque to the client.
    public var accessToken: String
    /// Seconds until it expires, when the provider says.
    public var expiresIn: Int?
    /// The granted scopes, when the provider says.
    public var scope: String?
    /// The refresh token, with `offline_access`.
    public var refreshToken: String?
    /// The ID token, with `openid`.
    public var idToken: String?

    /// Creates a response.
    public init(accessToken: String, expiresIn: Int?, scope: String?, refreshToken: String?, idToken: String?) {
        self.accessToken = accessToken
        self.expiresIn = expiresIn
        self.scope = scope
        self.refreshToken = refreshToken
        self.idToken = idToken
    }

    /// Parses a 200 response body.
    static func parse(_ body: Data) throws(TokenEndpointError) -> TokenResponse {
        struct Wire: Decodable {
            let access_token: String
            let token_type: String
            let expires_in: Int?
            let scope: String?
            let refresh_token: String?
            let id_token: String?
        }
        let wire: Wire
        do {
            wire = try JSONDecoder().decode(Wire.self, from: body)
        } catch {
            throw TokenEndpointError(
                error: "invalid_response",
                description: "The token endpoint answered something that is not a token response"
            )
        }
        // RFC 6749 §7.1: a client must not use a token whose type it does not understand.
        guard wire.token_type.lowercased() == "bearer" else {
            throw TokenEndpointError(error: "invalid_response", description: "The token type '\(wire.token_type)' is not supported")
        }
        return TokenResponse(
            accessToken: wire.access_token,
            expiresIn: wire.expires_in,
            scope: wire.scope,
            refreshToken: wire.refresh_token,
            idToken: wire.id_token
        )
    }
}

/// An error from the token endpoint, parsed from Entra's JSON (RFC 6749 §5.2 plus Entra's
/// `error_codes`). The description is the provider's first line, without trace ids.
public struct TokenEndpointError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The OAuth error code, e.g. `invalid_grant`, or `invalid_response`/`unreachable` when the
    /// endpoint itself failed.
    public let error: String
    /// The provider's explanation (first line).
    public let description: String
    /// Entra's AADSTS number, when given.
    public let aadstsCode: Int?

    /// Creates an error.
    public init(error: String, description: String, aadstsCode: Int? = nil) {
        self.error = error
        self.description = description
        self.aadstsCode = aadstsCode
    }

    /// Parses an error body; anything unparseable becomes `invalid_response` with the status.
    static func parse(_ body: Data, status: Int) -> TokenEndpointError {
        struct Wire: Decodable {
            let error: String
            let error_description: String?
            let error_codes: [Int]?
        }
        guard let wire = try? JSONDecoder().decode(Wire.self, from: body) else {
            return TokenEndpointError(
                error: "invalid_response",
                description: "The token endpoint answered \(status) without an OAuth error"
            )
        }
        let firstLine = wire.error_description?.split(whereSeparator: \.isNewline).first.map(String.init) ?? wire.error
        return TokenEndpointError(error: wire.error, description: firstLine, aadstsCode: wire.error_codes?.first)
    }
}
