import HTTPTypes

/// A `WWW-Authenticate: Bearer ...` challenge (RFC 6750 §3) and the error it answers.
///
/// Thrown by the resource-server layers; ``ProblemDetails`` turns it into the response: 400
/// for `invalid_request`, 401 for `invalid_token` or no error, 403 for `insufficient_scope`.
public struct BearerChallenge: Error, Hashable, Sendable, CustomStringConvertible {
    /// The error codes of RFC 6750 §3.1.
    public enum ErrorCode: String, Hashable, Sendable {
        /// The request is malformed (400).
        case invalidRequest = "invalid_request"
        /// The token is expired, revoked, malformed or invalid for other reasons (401).
        case invalidToken = "invalid_token"
        /// The token lacks the privileges the request needs (403).
        case insufficientScope = "insufficient_scope"
    }

    /// The error, or nil for a request that sent no credentials at all (RFC 6750 §3.1: then
    /// the challenge carries no error code).
    public var error: ErrorCode?
    /// A human-readable explanation, safe to show: it never contains the token.
    public var errorDescription: String?
    /// The scope the request needs, for `insufficient_scope`.
    public var scope: String?
    /// The protection space, if the server names one.
    public var realm: String?

    /// Creates a challenge.
    public init(error: ErrorCode? = nil, errorDescription: String? = nil, scope: String? = nil, realm: String? = nil) {
        self.error = error
        self.errorDescription = errorDescription
        self.scope = scope
        self.realm = realm
    }

    /// No credentials were sent: 401 with a bare `Bearer` challenge.
    public static let credentialsRequired = BearerChallenge()

    /// A malformed request (400).
    public static func invalidRequest(_ description: String) -> BearerChallenge {
        BearerChallenge(error: .invalidRequest, errorDescription: description)
    }

    /// An unusable token (401).
    public static func invalidToken(_ description: String) -> BearerChallenge {
        BearerChallenge(error: .invalidToken, errorDescription: description)
    }

    /// A valid token without the permission `scope` (403).
    public static func insufficientScope(_ scope: String, description: String) -> BearerChallenge {
        BearerChallenge(error: .insufficientScope, errorDescription: description, scope: scope)
    }

    /// The HTTP status this challenge goes with.
    public var status: HTTPResponse.Status {
        switch error {
        case .invalidRequest: .badRequest
        case .insufficientScope: .forbidden
        case .invalidToken, nil: .unauthorized
        }
    }

    /// The `WWW-Authenticate` field value, e.g.
    /// `Bearer error="invalid_token", error_description="The token expired at ..."`.
    public var headerValue: String {
        var parameters: [String] = []
        if let realm { parameters.append("realm=\(Self.quoted(realm))") }
        if let error { parameters.append("error=\"\(error.rawValue)\"") }
        // RFC 6750 §3: error_description and scope admit only printable ASCII without `"`
        // and `\`, so anything else is replaced rather than escaped.
        if let errorDescription { parameters.append("error_description=\"\(Self.restricted(errorDescription))\"") }
        if let scope { parameters.append("scope=\"\(Self.restricted(scope))\"") }
        return parameters.isEmpty ? "Bearer" : "Bearer " + parameters.joined(separator: ", ")
    }

    public var description: String { errorDescription ?? "Bearer authentication is required" }

    /// A quoted-string (RFC 9110 §5.6.4): `"` and `\` escaped with a backslash.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for character in restricted(text, allowing: ["\"", "\\"]) {
            if character == "\"" || character == "\\" { result.append("\\") }
            result.append(character)
        }
        return result + "\""
    }

    /// `text` with every character outside %x20-7E (and `"` and `\` unless allowed) replaced.
    static func restricted(_ text: String, allowing extra: Set<Character> = []) -> String {
        // Descriptions are almost always plain printable ASCII: one pass over the bytes says so,
        // where walking `Character`s cost a 401 about 30,000 instructions (callgrind).
        let printable = text.utf8.allSatisfy { byte in
            (0x20...0x7E).contains(byte) && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\")
        }
        if printable { return text }
        return String(
            text.map { character -> Character in
                guard let ascii = character.asciiValue, (0x20...0x7E).contains(ascii) else { return "?" }
                if extra.contains(character) { return character }
                switch character {
                case "\"": return "'"
                case "\\": return "/"
                default: return character
                }
            }
        )
    }
}
