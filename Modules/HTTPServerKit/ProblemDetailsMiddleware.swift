import Hummingbird
import Logging

/// Makes every error leave the server as problem+json: errors that render their own problem
/// document (``ProblemResponseError``) pass through, Hummingbird's own errors (unknown route,
/// body too large...) are converted, and an unexpected error becomes a 500 whose body says
/// nothing about its cause (which is logged instead).
public struct ProblemDetailsMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Creates the middleware.
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any ProblemResponseError {
            throw error
        } catch let error as HTTPError {
            throw ProblemDetails(error.status, detail: error.body ?? Self.detail(for: error.status), headerFields: error.headers)
        } catch let error as any HTTPResponseError {
            throw ProblemDetails(error.status, detail: Self.detail(for: error.status))
        } catch {
            context.logger.error("Unhandled error", metadata: ["error": "\(error)"])
            throw ProblemDetails(.internalServerError, detail: "The server failed to handle the request")
        }
    }

    /// A sentence for a status that came without a message.
    static func detail(for status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "No resource at this path"
        case .contentTooLarge: "The request body is too large"
        case .methodNotAllowed: "This method is not allowed here"
        default: status.reasonPhrase
        }
    }
}

/// An error whose `response(from:context:)` already answers with problem+json (and any
/// headers it needs, such as `WWW-Authenticate`), so ``ProblemDetailsMiddleware`` leaves it be.
public protocol ProblemResponseError: HTTPResponseError {}

extension ProblemDetails: ProblemResponseError {}
extension BearerChallenge: ProblemResponseError {}
