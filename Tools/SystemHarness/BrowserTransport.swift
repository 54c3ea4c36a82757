import Foundation
import HTTPKit
import HTTPTypes

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// How a ``ScriptedBrowser`` exchanges one request for one response, redirects not followed.
public protocol BrowserTransport: Sendable {
    /// Sends `request` and returns the response as it came, a redirect included.
    func exchange(_ request: HTTPClientRequest) async throws -> HTTPClientResponse
}

/// Real HTTP over URLSession, following no redirect and keeping no cookie of its own.
public final class URLSessionBrowserTransport: BrowserTransport {
    private final class NoRedirects: NSObject, URLSessionTaskDelegate, Sendable {
        func urlSession(
            _ session: URLSession,
            task: URLSessionTask,
            willPerformHTTPRedirection response: HTTPURLResponse,
            newRequest request: URLRequest,
            completionHandler: @escaping @Sendable (URLRequest?) -> Void
        ) {
            completionHandler(nil)
        }
    }

    private let session: URLSession

    /// Creates a transport with its own ephemeral session.
    public init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        session = URLSession(configuration: configuration, delegate: NoRedirects(), delegateQueue: nil)
    }

    /// Sends `request` with URLSession.
    public func exchange(_ request: HTTPClientRequest) async throws -> HTTPClientResponse {
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method.rawValue
        urlRequest.httpBody = request.body
        // One line per name, combined as HTTPFields does (`; ` for Cookie, which HTTPFields
        // keeps as separate fields, `, ` for the others).
        for name in Set(request.headerFields.map(\.name)) {
            urlRequest.setValue(request.headerFields[name], forHTTPHeaderField: name.rawName)
        }
        let (data, response) = try await session.data(for: urlRequest)
        guard let http = response as? HTTPURLResponse else { throw BrowserError("\(request.url.absoluteString) answered without HTTP") }
        var fields = HTTPFields()
        for case let (name as String, value as String) in http.allHeaderFields {
            if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) }
        }
        return HTTPClientResponse(status: .init(code: http.statusCode), headerFields: fields, body: data)
    }
}

/// Real HTTP over an ``HTTPClient`` made to follow no redirect (a ``NIOHTTPClient`` with
/// `followsRedirects: false`): for pages behind HTTPS with a development CA, which URLSession
/// on Linux cannot trust.
public struct HTTPClientBrowserTransport: BrowserTransport {
    private let client: any HTTPClient

    /// A transport over `client`, which must return redirects as they come.
    public init(_ client: any HTTPClient) {
        self.client = client
    }

    /// Sends `request` with the client.
    public func exchange(_ request: HTTPClientRequest) async throws -> HTTPClientResponse {
        try await client.send(request)
    }
}
