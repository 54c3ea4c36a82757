import HTTPTypes
import Hummingbird

/// Adds the headers every HTML page of ours carries: `X-Content-Type-Options: nosniff` (the
/// browser keeps the declared type) and `Referrer-Policy: no-referrer` (no URL, with its codes
/// or states, leaks to the next site). Each page sets its own Content-Security-Policy.
public struct HTMLPageHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Creates the middleware.
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        if response.headers[.contentType]?.lowercased().hasPrefix("text/html") == true {
            response.headers[Self.contentTypeOptions] = "nosniff"
            response.headers[Self.referrerPolicy] = "no-referrer"
        }
        return response
    }

    static var contentTypeOptions: HTTPField.Name { HTTPField.Name("X-Content-Type-Options")! }
    static var referrerPolicy: HTTPField.Name { HTTPField.Name("Referrer-Policy")! }
}
