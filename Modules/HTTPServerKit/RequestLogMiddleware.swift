import Hummingbird
import Logging

/// One log line per request: method, path, status and duration, plus what `metadata` adds
/// (e.g. the caller's `oid` and `azp`). The query string is left out: a client may put
/// anything in it, tokens included, and logs must never hold a token.
public struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    private let metadata: @Sendable (Context, inout Logger.Metadata) -> Void

    /// Creates the middleware; `metadata` adds fields from the context to the line's, after
    /// the request is handled. It adds them in place: returning a dictionary of its own to
    /// merge cost a read a second dictionary and a merge, on every request (callgrind).
    public init(metadata: @escaping @Sendable (Context, inout Logger.Metadata) -> Void = { _, _ in }) {
        self.metadata = metadata
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, context, status: response.status.code, since: start)
            return response
        } catch {
            log(request, context, status: (error as? any HTTPResponseError)?.status.code ?? 500, since: start)
            throw error
        }
    }

    private func log(_ request: Request, _ context: Context, status: Int, since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        // Each text once, for its field and the message: `uri.path` builds a new string on
        // every call.
        let method = request.method.rawValue
        let path = request.uri.path
        let statusCode = String(status)
        // Room for these four and what `metadata` adds (the caller's two, in hero-server).
        var fields = Logger.Metadata(minimumCapacity: 8)
        fields["method"] = .string(method)
        fields["path"] = .string(path)
        fields["status"] = .string(statusCode)
        fields["duration_ms"] = .string(String(Int(milliseconds.rounded())))
        metadata(context, &fields)
        context.logger.info("\(method) \(path) \(statusCode)", metadata: fields)
    }
}
