import HTTPServerKit
import Hummingbird
import Logging

/// A request context that can carry the authenticated caller.
public protocol AuthenticatedRequestContext: RequestContext {
    /// The caller, once ``AccessTokenMiddleware`` has validated its token.
    var principal: Principal? { get set }
}

/// Authenticates every request it guards with its bearer access token: no token is a 401 with
/// a bare `Bearer` challenge, a bad one a 401 `invalid_token`, a malformed header a 400. On
/// success the ``Principal`` goes into the context and the caller's `oid` and `azp` into
/// the request's log metadata (never the token).
public struct AccessTokenMiddleware<Context: AuthenticatedRequestContext>: RouterMiddleware {
    private let validator: AccessTokenValidator

    /// Creates the middleware.
    public init(validator: AccessTokenValidator) {
        self.validator = validator
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token = try BearerToken.extract(from: request.headers) else {
            throw BearerChallenge.credentialsRequired
        }
        let principal: Principal
        do {
            principal = try await validator.validate(token)
        } catch {
            context.logger.info("Access token refused", metadata: ["reason": "\(error)"])
            throw error
        }
        var context = context
        context.principal = principal
        // One change of the handler's metadata, not one per key: swift-log's stream handler
        // renders its whole metadata again on every change (perf showed 3 % of a read there;
        // hero-server's LineLogHandler does not, but the middleware may meet either). Set in a
        // copy, not merged from a dictionary of the caller's own: that was a second dictionary
        // on every request (callgrind).
        if principal.objectID != nil || principal.clientID != nil {
            var metadata = context.logger.handler.metadata
            metadata.reserveCapacity(metadata.count + 2)
            if let objectID = principal.objectID { metadata["oid"] = .string(objectID) }
            if let clientID = principal.clientID { metadata["azp"] = .string(clientID) }
            context.logger.handler.metadata = metadata
        }
        return try await next(request, context)
    }
}
