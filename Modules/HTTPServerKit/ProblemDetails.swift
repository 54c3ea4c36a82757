import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOFoundationCompat

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

    /// The document's JSON members (RFC 9457 §3.1), `title` being the status's reason phrase.
    private struct Document: Encodable {
        let type: String
        let title: String
        let status: Int
        let detail: String
        let errors: [InvalidField]?
    }

    /// The JSON body.
    public var body: Data {
        let document = Document(type: type, title: status.reasonPhrase, status: status.code, detail: detail, errors: errors)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding five plain members cannot fail; fall back to a minimal document if it ever did.
        return (try? encoder.encode(document)) ?? Data(#"{"status":\#(status.code)}"#.utf8)
    }
}

extension ProblemDetails: HTTPResponseError {
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var fields = headerFields
        fields[.contentType] = Self.mediaType
        fields[.cacheControl] = "no-store"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(data: body)))
    }
}

extension BearerChallenge: HTTPResponseError {
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        try ProblemDetails(self).response(from: request, context: context)
    }
}
