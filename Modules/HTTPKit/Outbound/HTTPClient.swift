import Foundation
import HTTPTypes

/// An outbound HTTP request: what OIDC discovery, key fetching and token calls send.
public struct HTTPClientRequest: Sendable {
    /// The method, e.g. `.get`.
    public var method: HTTPRequest.Method
    /// The absolute URL.
    public var url: URL
    /// Header fields to send.
    public var headerFields: HTTPFields
    /// The body, if any.
    public var body: Data?

    /// Creates a request.
    public init(method: HTTPRequest.Method = .get, url: URL, headerFields: HTTPFields = [:], body: Data? = nil) {
        self.method = method
        self.url = url
        self.headerFields = headerFields
        self.body = body
    }
}

/// A complete outbound response, its body read to the end.
public struct HTTPClientResponse: Sendable {
    /// The status.
    public var status: HTTPResponse.Status
    /// The header fields.
    public var headerFields: HTTPFields
    /// The whole body.
    public var body: Data

    /// Creates a response.
    public init(status: HTTPResponse.Status, headerFields: HTTPFields = [:], body: Data = Data()) {
        self.status = status
        self.headerFields = headerFields
        self.body = body
    }
}

/// Sends HTTP requests. `NIOHTTPClient` (module HTTPKitNIO, hero-server's) and
/// `URLSessionHTTPClient` (module HTTPKitURLSession, hero-client's) are the real ones; tests
/// substitute their own.
///
/// Implementations enforce a timeout and a response size limit, and never follow a redirect to
/// another host, so a fetched document always comes from the host that was asked.
public protocol HTTPClient: Sendable {
    /// Sends `request` and returns the whole response, whatever its status.
    func send(_ request: HTTPClientRequest) async throws(HTTPClientError) -> HTTPClientResponse
}

/// Why an outbound request produced no response. Descriptions name the host, never a body.
public struct HTTPClientError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What failed.
    public let code: Code
    /// The host that was asked.
    public let host: String
    /// Details, safe to log.
    public let reason: String

    /// Creates an error.
    public init(_ code: Code, host: String, reason: String) {
        self.code = code
        self.host = host
        self.reason = reason
    }

    public var description: String { "Request to \(host) failed: \(reason)" }

    /// The kind of failure, for callers that retry some and not others.
    public enum Code: Hashable, Sendable {
        /// No response within the timeout.
        case timedOut
        /// The response body was larger than the limit.
        case responseTooLarge
        /// A redirect pointed to another host or scheme.
        case redirectRefused
        /// The connection failed (refused, DNS, TLS...).
        case connectionFailed
    }
}
