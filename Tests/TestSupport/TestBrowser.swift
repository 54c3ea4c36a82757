import Foundation
import HTTPKit
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A scripted browser for sign-in tests: real HTTP, a cookie jar per host, and redirects
/// returned to the test instead of followed, so each hop can be inspected.
public final class TestBrowser: Sendable {
    /// One answer.
    public struct Page: Sendable {
        public let status: Int
        public let location: String?
        public let setCookie: String?
        public let body: String
    }

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
    private let cookies = Mutex<[String: [String: String]]>([:])

    public init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        session = URLSession(configuration: configuration, delegate: NoRedirects(), delegateQueue: nil)
    }

    /// GET `url` (or POST `form` to it), sending and keeping the host's cookies.
    public func open(_ url: String, form: [(String, String)]? = nil) async throws -> Page {
        let target = URL(string: url)!
        var request = URLRequest(url: target)
        let host = target.host ?? ""
        if let form {
            request.httpMethod = "POST"
            request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(FormEncoding.encode(form).utf8)
        }
        let jar = cookies.withLock { $0[host] ?? [:] }
        if !jar.isEmpty { request.setValue(jar.map { "\($0.key)=\($0.value)" }.joined(separator: "; "), forHTTPHeaderField: "Cookie") }
        let (data, response) = try await session.data(for: request)
        let http = response as! HTTPURLResponse
        let setCookie = http.value(forHTTPHeaderField: "Set-Cookie")
        if let setCookie, let pair = setCookie.split(separator: ";").first, let equals = pair.firstIndex(of: "=") {
            let name = String(pair[..<equals]).trimmingCharacters(in: .whitespaces)
            let value = String(pair[pair.index(after: equals)...])
            cookies.withLock { $0[host, default: [:]][name] = value.isEmpty ? nil : value }
        }
        return Page(
            status: http.statusCode,
            location: http.value(forHTTPHeaderField: "Location"),
            setCookie: setCookie,
            body: String(decoding: data, as: UTF8.self)
        )
    }

    /// Any method, with an optional JSON body (for calling an API as the browser).
    public func request(_ method: String, _ url: String, json: String? = nil) async throws -> Page {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        if let json {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(json.utf8)
        }
        let (data, response) = try await session.data(for: request)
        let http = response as! HTTPURLResponse
        return Page(
            status: http.statusCode,
            location: http.value(forHTTPHeaderField: "Location"),
            setCookie: http.value(forHTTPHeaderField: "Set-Cookie"),
            body: String(decoding: data, as: UTF8.self)
        )
    }

    /// A cookie the browser holds for `host`.
    public func cookie(_ name: String, host: String) -> String? {
        cookies.withLock { $0[host]?[name] }
    }

    /// Sets a cookie, as if a page had.
    public func setCookie(_ name: String, _ value: String, host: String) {
        cookies.withLock { $0[host, default: [:]][name] = value }
    }

    /// A hidden form field's value.
    public static func field(_ name: String, in html: String) -> String? {
        let pattern = try! Regex(#"name="\#(name)" value="([^"]*)""#)
        return html.firstMatch(of: pattern).flatMap { $0.output[1].substring.map(String.init) }
    }
}
