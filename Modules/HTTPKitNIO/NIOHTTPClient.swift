import AsyncHTTPClient
import Foundation
import HTTPKit
import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOSSL

/// ``HTTPClient`` over async-http-client (SwiftNIO, BoringSSL): hero-server's client, and the
/// client's when `HVALFANGST_CA_FILE` names extra CAs, which URLSession on Linux cannot add (see
/// ``ExtraTrustRoots``). It goes through the proxy the environment names (``OutboundProxy``),
/// as URLSession does through libcurl. Same contract as `URLSessionHTTPClient`: one deadline
/// per request, a bounded body, and redirects followed only within the same scheme, host and
/// port (or not at all, for a client that inspects each hop).
public final class NIOHTTPClient: HTTPKit.HTTPClient {
    /// The connections made directly.
    private let direct: AsyncHTTPClient.HTTPClient
    /// The connections made through each proxy: async-http-client takes one proxy per client.
    private let proxied: [OutboundProxy.Server: AsyncHTTPClient.HTTPClient]
    private let proxy: OutboundProxy
    private let timeout: Duration
    private let maximumResponseSize: Int
    private let followsRedirects: Bool

    /// Creates a client.
    /// - Parameters:
    ///   - extraTrustRoots: CAs trusted besides the system's; nil trusts the system's alone.
    ///   - proxy: which requests go through which proxy (by default, none).
    ///   - timeout: the longest wait for a whole response, redirects included.
    ///   - maximumResponseSize: responses with a larger body fail with `responseTooLarge`.
    ///   - followsRedirects: false returns every redirect to the caller as it came.
    public init(
        extraTrustRoots: ExtraTrustRoots? = nil,
        proxy: OutboundProxy = .none,
        timeout: Duration = .seconds(10),
        maximumResponseSize: Int = 1 << 20,
        followsRedirects: Bool = true
    ) {
        func client(through server: OutboundProxy.Server?) -> AsyncHTTPClient.HTTPClient {
            var configuration = AsyncHTTPClient.HTTPClient.Configuration(
                tlsConfiguration: extraTrustRoots?.tlsConfiguration ?? TLSConfiguration.makeClientConfiguration(),
                // Redirects are vetted here (same host only), never followed by the library.
                redirectConfiguration: .disallow,
                timeout: .init(connect: TimeAmount(timeout), read: TimeAmount(timeout))
            )
            // A refused connection fails the request at once, as with URLSession: the library
            // would otherwise try again until the deadline, holding up `/readyz` and the callers'
            // own retry (the key cache's back-off) for the whole timeout.
            configuration.connectionPool.retryConnectionEstablishment = false
            configuration.proxy = server.map { server in
                switch server.kind {
                case .http:
                    .server(
                        host: server.host,
                        port: server.port,
                        authorization: server.credentials.map { .basic(username: $0.user, password: $0.password) }
                    )
                case .socks5: .socksServer(host: server.host, port: server.port)
                }
            }
            return AsyncHTTPClient.HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        }
        direct = client(through: nil)
        let servers = Set([proxy.https, proxy.http].compactMap { $0 })
        proxied = Dictionary(uniqueKeysWithValues: servers.map { ($0, client(through: $0)) })
        self.proxy = proxy
        self.timeout = timeout
        self.maximumResponseSize = maximumResponseSize
        self.followsRedirects = followsRedirects
    }

    deinit {
        // Closes the pooled connections in the background; the library keeps itself alive until done.
        direct.shutdown { _ in }
        for client in proxied.values { client.shutdown { _ in } }
    }

    public func send(_ request: HTTPKit.HTTPClientRequest) async throws(HTTPKit.HTTPClientError) -> HTTPKit.HTTPClientResponse {
        let host = request.url.host ?? "unknown host"
        let deadline = NIODeadline.now() + TimeAmount(timeout)
        var current = request
        for _ in 0...10 {
            let response = try await exchange(current, deadline: deadline, host: host)
            guard followsRedirects, [301, 302, 303, 307, 308].contains(response.status.code),
                let location = response.headerFields[.location]
            else { return response }
            guard let next = URL(string: location, relativeTo: current.url)?.absoluteURL,
                next.host?.lowercased() == current.url.host?.lowercased(), next.scheme == current.url.scheme,
                next.port == current.url.port
            else {
                throw HTTPKit.HTTPClientError(.redirectRefused, host: host, reason: "a redirect to another host was refused")
            }
            // RFC 9110 §15.4.4: after a 303 (and, as user agents do, a 301 or 302 to a POST)
            // the next request is a GET without the body.
            if response.status.code == 303 || ([301, 302].contains(response.status.code) && current.method == .post) {
                current.method = .get
                current.body = nil
                current.headerFields[.contentType] = nil
            }
            current.url = next
        }
        throw HTTPKit.HTTPClientError(.redirectRefused, host: host, reason: "too many redirects")
    }

    private func exchange(
        _ request: HTTPKit.HTTPClientRequest,
        deadline: NIODeadline,
        host: String
    ) async throws(HTTPKit.HTTPClientError) -> HTTPKit.HTTPClientResponse {
        var outbound = AsyncHTTPClient.HTTPClientRequest(url: request.url.absoluteString)
        outbound.method = HTTPMethod(rawValue: request.method.rawValue)
        for field in request.headerFields { outbound.headers.add(name: field.name.rawName, value: field.value) }
        if let body = request.body { outbound.body = .bytes(ByteBuffer(bytes: body)) }
        let client = proxy.server(for: request.url).flatMap { proxied[$0] } ?? direct
        do {
            let response = try await client.execute(outbound, deadline: deadline)
            let body = try await response.body.collect(upTo: maximumResponseSize)
            var fields = HTTPFields()
            for (name, value) in response.headers {
                if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) }
            }
            return HTTPKit.HTTPClientResponse(
                status: .init(code: Int(response.status.code)),
                headerFields: fields,
                body: Data(body.readableBytesView)
            )
        } catch {
            throw Self.classify(error, host: host, limit: maximumResponseSize)
        }
    }

    /// Our error for the library's: a timeout, an oversized body, or a failed connection with
    /// a short phrase (never the library's text, which may quote the response).
    private static func classify(_ error: any Error, host: String, limit: Int) -> HTTPKit.HTTPClientError {
        switch error {
        case is NIOTooManyBytesError:
            return HTTPKit.HTTPClientError(.responseTooLarge, host: host, reason: "the response is larger than \(limit) bytes")
        case let error as AsyncHTTPClient.HTTPClientError
        where [.deadlineExceeded, .connectTimeout, .readTimeout].contains(error):
            return HTTPKit.HTTPClientError(.timedOut, host: host, reason: "no response in time")
        case let error as AsyncHTTPClient.HTTPClientError where error == .proxyAuthenticationRequired:
            return HTTPKit.HTTPClientError(.connectionFailed, host: host, reason: "the proxy asks for credentials (407)")
        case let error as AsyncHTTPClient.HTTPClientError
        where [.invalidProxyResponse, .httpProxyHandshakeTimeout, .socksHandshakeTimeout].contains(error):
            return HTTPKit.HTTPClientError(.connectionFailed, host: host, reason: "the proxy did not open a connection to the host")
        case is NIOSSLError, is BoringSSLError, is NIOSSLExtraError:
            return HTTPKit.HTTPClientError(.connectionFailed, host: host, reason: "the TLS connection failed (is the server's CA trusted?)")
        case is IOError, is ChannelError:
            return HTTPKit.HTTPClientError(.connectionFailed, host: host, reason: "the connection was refused")
        case is CancellationError:
            return HTTPKit.HTTPClientError(.connectionFailed, host: host, reason: "the request was cancelled")
        default:
            return HTTPKit.HTTPClientError(.connectionFailed, host: host, reason: "network error (\(type(of: error)))")
        }
    }
}
