import HTTPTypes
import Hummingbird

/// Answers 405 with an `Allow` header, where Hummingbird's router answers 404, when the path
/// exists but not for the request's method (RFC 9110 §15.5.6).
///
/// Paths are given in OpenAPI form, `{name}` matching any one segment; trailing slashes do not
/// matter, as in the router.
public struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    private let routes: [(segments: [Substring], methods: [HTTPRequest.Method])]

    /// Creates the middleware for these paths and the methods each allows.
    public init(methodsByPath: [String: [HTTPRequest.Method]]) {
        routes = methodsByPath.map { path, methods in
            (path.split(separator: "/"), methods)
        }
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            guard let allowed = allowedMethods(for: request.uri.path), !allowed.contains(request.method) else { throw error }
            let allow = allowed.map(\.rawValue).joined(separator: ", ")
            throw ProblemDetails(
                .methodNotAllowed,
                detail: "\(request.method.rawValue) is not allowed here; allowed: \(allow)",
                headerFields: [.allow: allow]
            )
        }
    }

    /// The methods the route matching `path` allows, or nil when no route matches.
    func allowedMethods(for path: String) -> [HTTPRequest.Method]? {
        let segments = path.split(separator: "/")
        return routes.first { route in
            route.segments.count == segments.count
                && zip(route.segments, segments).allSatisfy { pattern, segment in
                    pattern.first == "{" || pattern == segment
                }
        }?.methods
    }
}
