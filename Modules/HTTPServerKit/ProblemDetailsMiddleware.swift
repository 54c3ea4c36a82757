import Hummingbird
import Logging
import NIOHTTP1

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
        } catch let error as HTTPParserError {
            // The decoder's verdict on the request as it streamed in (a bad chunk size, a
            // body cut short by a client that went away): the client's error, not ours. The
            // connection cannot be reused; if the client is gone, the answer goes nowhere.
            throw ProblemDetails(.badRequest, detail: Self.detail(for: error), headerFields: [.connection: "close"])
        } catch {
            context.logger.error("Unhandled error", metadata: ["error": "\(error)"])
            throw ProblemDetails(.internalServerError, detail: "The server failed to handle the request")
        }
    }

    /// A sentence for a request the HTTP/1 decoder refused while the body was read.
    static func detail(for error: HTTPParserError) -> String {
        switch error {
        case .invalidEOFState: "The connection ended before the request body was complete"
        case .invalidChunkSize: "The request body's chunked encoding is malformed (RFC 9112 §7.1)"
        default: "The request is malformed (\(error))"
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
