import HTTPServerKit
import Hummingbird
import JOSE

/// Why a request's access token was not accepted. Each case names its cause, so callers and
/// tests can tell them apart; the ``description`` is what the `WWW-Authenticate` header says.
public enum AccessTokenError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The token failed a JOSE check (format, signature, issuer, audience, lifetime): 401.
    case invalidToken(JOSEError)
    /// An Entra token without a `tid` claim: 401.
    case missingTenant
    /// An Entra token of another tenant (the same keys sign for every tenant): 401.
    case wrongTenant
    /// The authority's signing keys could not be loaded, so no token can be checked: 503.
    case keysUnavailable

    public var description: String {
        switch self {
        case .invalidToken(let error): error.description
        case .missingTenant: "The token has no tid claim"
        case .wrongTenant: "The token was issued for another tenant"
        case .keysUnavailable: "The signing keys of the authority are not available; try again later"
        }
    }
}

extension AccessTokenError: ProblemResponseError {
    public var status: HTTPResponse.Status {
        switch self {
        case .invalidToken, .missingTenant, .wrongTenant: .unauthorized
        case .keysUnavailable: .serviceUnavailable
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        switch self {
        case .invalidToken, .missingTenant, .wrongTenant:
            try BearerChallenge.invalidToken(description).response(from: request, context: context)
        case .keysUnavailable:
            try ProblemDetails(.serviceUnavailable, detail: description, headerFields: [.retryAfter: "5"])
                .response(from: request, context: context)
        }
    }
}
