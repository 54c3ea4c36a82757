import HTTPTypes
import Hummingbird

/// Guards a local server that acts for a signed-in user (hero-client's proxy adds the user's
/// bearer token) against other web pages in the same browser:
///
/// - DNS rebinding: a page on `evil.example` whose name now resolves to 127.0.0.1 reaches this
///   server with `Host: evil.example:8000`. Only the configured host names are served; others
///   get 421 Misdirected Request (RFC 9110 §15.5.20).
/// - Cross-site requests: an unsafe method (POST, PUT, PATCH, DELETE) with an `Origin` that is
///   not this server's is refused with 403. Without `Origin` (curl, the command line) it passes:
///   browsers send `Origin` on every cross-origin unsafe request (Fetch, "Origin header").
public struct SameOriginMiddleware<Context: RequestContext>: RouterMiddleware {
    private let allowedHosts: Set<String>

    /// Serves `allowedHosts` (names or addresses, compared without case and without the
    /// brackets of an IPv6 address), on whatever port the request came to.
    public init(allowedHosts: some Sequence<String>) {
        self.allowedHosts = Set(allowedHosts.map { Self.hostName(of: $0) })
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let authority = request.head.authority, !authority.isEmpty else {
            throw ProblemDetails(.badRequest, detail: "The request has no Host header")
        }
        guard allowedHosts.contains(Self.hostName(of: authority)) else {
            throw ProblemDetails(.misdirectedRequest, detail: "This server does not serve the host in the Host header")
        }
        if !Self.safeMethods.contains(request.method), let origin = request.headers[.origin] {
            // Same origin: the Origin's host and port are those the request was sent to.
            guard let rest = origin.split(separator: "://", maxSplits: 1).last, origin.contains("://"),
                rest.lowercased() == authority.lowercased()
            else {
                throw ProblemDetails(.forbidden, detail: "Requests that change state are accepted from this server's own pages only")
            }
        }
        return try await next(request, context)
    }

    /// Methods that change nothing (RFC 9110 §9.2.1).
    static var safeMethods: Set<HTTPRequest.Method> { [.get, .head, .options] }

    /// The host name of `authority` (`host`, `host:port`, `[v6]:port`, or a bare IPv6
    /// address such as `::1`), lowercased, without port or brackets.
    static func hostName(of authority: String) -> String {
        let lowered = authority.lowercased()
        if lowered.hasPrefix("["), let close = lowered.firstIndex(of: "]") {
            return String(lowered[lowered.index(after: lowered.startIndex)..<close])
        }
        // Two colons or more without brackets: an IPv6 address alone (a Host header has brackets).
        if lowered.filter({ $0 == ":" }).count > 1 { return lowered }
        return String(lowered.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
    }
}
