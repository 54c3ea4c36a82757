import HTTPKit
import Hummingbird

/// Why a request's access token was not accepted.
public enum AccessTokenError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The token is not valid here; answered 401 `invalid_token` with this description.
    case invalidToken(String)
    /// The authority's signing keys could not be loaded, so no token can be checked: 503.
    case keysUnavailable

    public var description: String {
        switch self {
        case .invalidToken(let reason): reason
        case .keysUnavailable: "The signing keys of the authority are not available; try again later"
        }
    }
}

extension AccessTokenError: ProblemResponseError {
    public var status: HTTPResponse.Status {
        switch self {
        case .invalidToken: .unauthorized
        case .keysUnavailable: .serviceUnavailable
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        switch self {
        case .invalidToken(let reason):
            try BearerChallenge.invalidToken(reason).response(from: request, context: context)
        case .keysUnavailable:
            try ProblemDetails(.serviceUnavailable, detail: description, headerFields: [.retryAfter: "5"])
                .response(from: request, context: context)
        }
    }
}
