import Foundation
import HTTPKit
import HTTPTypes

/// Sends requests to a protected API with `Authorization: Bearer` from a token provider; a
/// 401 gets one renewed token and one retry (the token may have been revoked or the API's
/// clock may disagree with ours).
///
/// It has ``HTTPClient``'s shape but not its conformance: that protocol throws only
/// ``HTTPClientError``, and a caller must tell "no usable sign-in" (the provider's error, e.g.
/// `TokenCacheError`) from "the API cannot be reached" (``HTTPClientError``). Both are thrown
/// unchanged.
public struct AuthorizingHTTPClient: Sendable {
    /// Returns an access token; `forceRenewal` asks for a new one even when the cached one looks valid.
    public typealias TokenProvider = @Sendable (_ forceRenewal: Bool) async throws -> String

    private let base: any HTTPClient
    private let token: TokenProvider

    /// Wraps `base`, authorizing each request with a token from `token`.
    public init(_ base: any HTTPClient, token: @escaping TokenProvider) {
        self.base = base
        self.token = token
    }

    /// Sends `request` with a bearer token; on a 401, renews the token once and sends it once
    /// more, returning the second answer whatever it is. Throws the token provider's error
    /// when there is no token, ``HTTPClientError`` when the API cannot be reached.
    public func send(_ request: HTTPClientRequest) async throws -> HTTPClientResponse {
        let response = try await send(request, forceRenewal: false)
        guard response.status == .unauthorized else { return response }
        return try await send(request, forceRenewal: true)
    }

    private func send(_ request: HTTPClientRequest, forceRenewal: Bool) async throws -> HTTPClientResponse {
        var request = request
        request.headerFields[.authorization] = "Bearer \(try await token(forceRenewal))"
        return try await base.send(request)
    }
}
