import Hummingbird
import Logging

/// One log line per request: method, path, status and duration, plus what `metadata` adds
/// (e.g. the caller's `oid` and `azp`). The query string is left out: a client may put
/// anything in it, tokens included, and logs must never hold a token.
public struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    private let metadata: @Sendable (Context) -> Logger.Metadata

    /// Creates the middleware; `metadata` is read from the context after the request is handled.
    public init(metadata: @escaping @Sendable (Context) -> Logger.Metadata = { _ in [:] }) {
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
        let extra = metadata(context)
        // Room for every field at once, rather than growing the dictionary as `extra` merges.
        var fields = Logger.Metadata(minimumCapacity: 4 + extra.count)
        fields["method"] = .string(request.method.rawValue)
        fields["path"] = .string(request.uri.path)
        fields["status"] = "\(status)"
        fields["duration_ms"] = "\(Int(milliseconds.rounded()))"
        fields.merge(extra) { $1 }
        context.logger.info("\(request.method.rawValue) \(request.uri.path) \(status)", metadata: fields)
    }
}
