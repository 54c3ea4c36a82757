import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// An RFC 9457 problem document, answered as `application/problem+json`: the one error format
/// of every HTTP API in this project.
///
/// `detail` is shown to the caller, so it says what was wrong with the request and never
/// contains a token, secret or internal detail.
public struct ProblemDetails: Error, Sendable, Hashable {
    /// A field of the request that broke a rule; listed in the `errors` member.
    public struct InvalidField: Codable, Hashable, Sendable {
        /// The JSON key or parameter name.
        public var field: String
        /// What is wrong with it.
        public var message: String

        /// Creates an entry.
        public init(field: String, message: String) {
            self.field = field
            self.message = message
        }
    }

    /// The media type of problem documents (RFC 9457 §3).
    public static let mediaType = "application/problem+json"

    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// The explanation for this occurrence.
    public var detail: String
    /// A URI reference identifying the problem type; `about:blank` means "see the status".
    public var type: String
    /// The field errors, for a 422.
    public var errors: [InvalidField]?
    /// Header fields to send with it, e.g. `WWW-Authenticate` or `Allow`.
    public var headerFields: HTTPFields

    /// Creates a problem.
    public init(
        _ status: HTTPResponse.Status,
        detail: String,
        type: String = "about:blank",
        errors: [InvalidField]? = nil,
        headerFields: HTTPFields = [:]
    ) {
        self.status = status
        self.detail = detail
        self.type = type
        self.errors = errors
        self.headerFields = headerFields
    }

    /// The problem for a bearer-token failure, with its `WWW-Authenticate` challenge.
    public init(_ challenge: BearerChallenge) {
        self.init(
            challenge.status,
            detail: challenge.description,
            headerFields: [.wwwAuthenticate: challenge.headerValue]
        )
    }

    /// The JSON body.
    public var body: Data { Data(json.bytes) }

    /// The document's JSON members (RFC 9457 §3.1), `title` being the status's reason phrase,
    /// as `JSONEncoder` with `.sortedKeys` and `.withoutEscapingSlashes` writes them, written
    /// by hand (``JSONText``): every 401 of a hostile client pays for this, and the encoder
    /// cost it about 23,000 instructions (callgrind). `ProblemDetailsTests` holds it to the
    /// encoder's bytes.
    var json: JSONText {
        var json = JSONText(capacity: 256)
        json.append("{\"detail\":", string: detail)
        if let errors {
            json.append(",\"errors\":[")
            for (index, error) in errors.enumerated() {
                json.append(index == 0 ? "{\"field\":" : ",{\"field\":", string: error.field)
                json.append(",\"message\":", string: error.message)
                json.append("}")
            }
            json.append("]")
        }
        json.append(",\"status\":", status.code)
        json.append(",\"title\":", string: status.reasonPhrase)
        json.append(",\"type\":", string: type)
        json.append("}")
        return json
    }
}

extension ProblemDetails: HTTPResponseError {
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var fields = headerFields
        fields[.contentType] = Self.mediaType
        fields[.cacheControl] = "no-store"
        return Response(status: status, headers: fields, body: .init(byteBuffer: json.byteBuffer))
    }
}

extension BearerChallenge: HTTPResponseError {
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        try ProblemDetails(self).response(from: request, context: context)
    }
}
