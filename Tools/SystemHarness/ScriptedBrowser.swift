import Foundation
import HTTPKit
import HTTPTypes
import Synchronization

/// A scripted browser for the sign-in pages: a cookie jar per host, form posts, and
/// redirects returned to the caller instead of followed, so each hop can be inspected. The
/// steps through local-entra's forms (sign-in, consent, device code) are in
/// `ScriptedBrowser+Steps.swift`.
///
/// It speaks through a ``BrowserTransport``: real HTTP by default, or a router in memory.
public final class ScriptedBrowser: Sendable {
    /// One answer.
    public struct Page: Sendable {
        /// The status code.
        public let status: Int
        /// The `Location` field, for a redirect.
        public let location: String?
        /// The `Set-Cookie` field.
        public let setCookie: String?
        /// The body as text.
        public let body: String
        /// All the header fields.
        public let headerFields: HTTPFields

        /// Creates a page from a response.
        public init(_ response: HTTPClientResponse) {
            status = response.status.code
            location = response.headerFields[.location]
            setCookie = response.headerFields[.setCookie]
            body = String(decoding: response.body, as: UTF8.self)
            headerFields = response.headerFields
        }
    }

    private let transport: any BrowserTransport
    private let cookies = Mutex<[String: [String: String]]>([:])

    /// A browser over `transport`; by default real HTTP that follows no redirect.
    public init(transport: any BrowserTransport = URLSessionBrowserTransport()) {
        self.transport = transport
    }

    /// GET `url` (or POST `form` to it), sending and keeping the host's cookies.
    public func open(_ url: String, form: [(String, String)]? = nil) async throws -> Page {
        guard let target = URL(string: url) else { throw BrowserError("'\(url)' is not a URL") }
        let host = target.host ?? ""
        var request = HTTPClientRequest(method: .get, url: target)
        if let form {
            request.method = .post
            request.headerFields[.contentType] = "application/x-www-form-urlencoded"
            request.body = Data(FormEncoding.encode(form).utf8)
        }
        let jar = cookies.withLock { $0[host] ?? [:] }
        if !jar.isEmpty {
            request.headerFields[.cookie] = jar.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        }
        let page = Page(try await transport.exchange(request))
        if let setCookie = page.setCookie, let pair = setCookie.split(separator: ";").first, let equals = pair.firstIndex(of: "=") {
            let name = String(pair[..<equals]).trimmingCharacters(in: .whitespaces)
            let value = String(pair[pair.index(after: equals)...])
            cookies.withLock { $0[host, default: [:]][name] = value.isEmpty ? nil : value }
        }
        return page
    }

    /// Any method, with an optional JSON body (for calling an API as the browser's page would).
    public func request(_ method: String, _ url: String, json: String? = nil) async throws -> Page {
        guard let target = URL(string: url) else { throw BrowserError("'\(url)' is not a URL") }
        var request = HTTPClientRequest(method: HTTPRequest.Method(method) ?? .get, url: target)
        if let json {
            request.headerFields[.contentType] = "application/json"
            request.body = Data(json.utf8)
        }
        return Page(try await transport.exchange(request))
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
        guard let pattern = try? Regex(#"name="\#(name)" value="([^"]*)""#) else { return nil }
        return html.firstMatch(of: pattern).flatMap { $0.output[1].substring.map(String.init) }
    }
}

/// A page did not hold what the script expected (no form, a missing field, a bad URL).
public struct BrowserError: Error, CustomStringConvertible {
    /// What was missing, safe to print (never a token or a code).
    public let description: String

    /// Creates an error.
    public init(_ description: String) { self.description = description }
}
