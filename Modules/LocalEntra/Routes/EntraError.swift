import Foundation
import HTTPTypes
import Hummingbird
import JOSE
import NIOCore
import NIOFoundationCompat

/// An error as Entra ID answers it: `error`, `error_description` beginning with the AADSTS
/// code and ending with trace, correlation and timestamp lines, `error_codes`, `timestamp`,
/// `trace_id`, `correlation_id`. `invalid_client` is a 401, everything else a 400.
public struct EntraError: Error, Hashable, Sendable {
    /// The OAuth 2.0 error code, e.g. `invalid_grant`.
    public let error: String
    /// The AADSTS number, e.g. 70008.
    public let code: Int
    /// The sentence after `AADSTSnnnn: `.
    public let message: String
    /// Entra's `suberror`, e.g. `consent_required` with AADSTS65001.
    public var suberror: String?

    /// Creates an error.
    public init(_ error: String, _ code: Int, _ message: String, suberror: String? = nil) {
        self.error = error
        self.code = code
        self.message = message
        self.suberror = suberror
    }

    /// The HTTP status Entra uses for it.
    public var status: HTTPResponse.Status { error == "invalid_client" ? .unauthorized : .badRequest }

    /// The JSON body, with fresh trace and correlation ids.
    public func body(now: Date = Date()) -> Data {
        let traceID = UUID().uuidString.lowercased()
        let correlationID = UUID().uuidString.lowercased()
        let timestamp = Self.timestamp(now)
        var document: JSONValue = [
            "error": .string(error),
            "error_description": .string(
                "AADSTS\(code): \(message)\r\nTrace ID: \(traceID)\r\nCorrelation ID: \(correlationID)\r\nTimestamp: \(timestamp)"
            ),
            "error_codes": [.number(Double(code))],
            "timestamp": .string(timestamp),
            "trace_id": .string(traceID),
            "correlation_id": .string(correlationID),
        ]
        if let suberror, case .object(var members) = document {
            members["suberror"] = .string(suberror)
            document = .object(members)
        }
        return Data(document.serialized())
    }

    /// "2026-11-29 13:00:00Z", Entra's format.
    static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss'Z'"
        return formatter.string(from: date)
    }
}

extension EntraError: HTTPResponseError {
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(data: body()))
        )
    }
}

extension EntraError {
    static func tenantNotFound(_ tenant: String) -> EntraError {
        EntraError(
            "invalid_request",
            90002,
            "Tenant '\(tenant)' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud."
        )
    }
    static func applicationNotFound(_ clientID: String) -> EntraError {
        EntraError("unauthorized_client", 700016, "Application with identifier '\(clientID)' was not found in the directory.")
    }
    static func redirectURIMismatch(_ clientID: String) -> EntraError {
        EntraError(
            "invalid_request",
            50011,
            "The redirect URI specified in the request does not match the redirect URIs configured for the application '\(clientID)'."
        )
    }
    static func invalidScope(_ scope: String) -> EntraError {
        EntraError(
            "invalid_scope",
            70011,
            "The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid: '\(scope)'."
        )
    }
    static func scopeNotConfigured(_ clientID: String, _ scope: String) -> EntraError {
        EntraError(
            "invalid_scope",
            65005,
            "The application '\(clientID)' asked for scope '\(scope)' that is not among the API permissions configured for it."
        )
    }
    static let invalidClientSecret = EntraError(
        "invalid_client",
        7_000_215,
        "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID."
    )
    static let codeRedeemed = EntraError(
        "invalid_grant",
        54005,
        "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token."
    )
    static let grantExpired = EntraError(
        "invalid_grant",
        70008,
        "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource."
    )
    static let pkceMismatch = EntraError(
        "invalid_grant",
        501481,
        "The Code_Verifier does not match the code_challenge supplied in the authorization request."
    )
    static let invalidGrant = EntraError(
        "invalid_grant",
        9_002_313,
        "Invalid request. Request is malformed or invalid."
    )
    /// AADSTS90023 InvalidRequest; a missing parameter is ``missingParameter(_:)`` (AADSTS900144).
    static func invalidRequest(_ message: String) -> EntraError {
        EntraError("invalid_request", 90023, message)
    }
    static func unsupportedGrantType(_ grantType: String) -> EntraError {
        EntraError("unsupported_grant_type", 70003, "The app requested an unsupported grant type '\(grantType)'.")
    }
    static let authorizationPending = EntraError(
        "authorization_pending",
        70016,
        "OAuth 2.0 device flow error. Authorization is pending. Continue polling."
    )
    static let invalidUsernameOrPassword = EntraError(
        "invalid_grant",
        50126,
        "Error validating credentials due to invalid username or password."
    )
    static func userNotFound(tenant: String) -> EntraError {
        EntraError("invalid_grant", 50034, "The user account {EUII Hidden} does not exist in the \(tenant) directory.")
    }
    static let slowDown = EntraError("slow_down", 70016, "OAuth 2.0 device flow error. Polling too often; slow down.")
    static let deviceCodeExpired = EntraError("expired_token", 70019, "Verification code expired.")
    // AADSTS65004 UserDeclinedConsent (AADSTS70000 is an invalid grant in Microsoft's table).
    static let accessDenied = EntraError("access_denied", 65004, "The user declined to consent to access the app.")
}
