import HTTPServerKit
import HTTPTypes
import HeroDomain

extension ProblemDetails {
    /// The response for a domain error: 404, 422 with every field error, or 503 with
    /// `Retry-After` when the store failed (its reason is logged, not shown): a lost database
    /// connection is usually back within seconds.
    public init(_ error: HeroError) {
        switch error {
        case .notFound:
            self.init(.notFound, detail: error.description)
        case .invalid(let fields):
            self.init(
                .unprocessableContent,
                detail: error.description,
                errors: fields.map { InvalidField(field: $0.field, message: $0.message) }
            )
        case .storageFailure:
            self.init(
                .serviceUnavailable,
                detail: "The hero store is unavailable; try again later",
                headerFields: [.retryAfter: Self.storageRetryAfter]
            )
        }
    }

    /// Seconds a client should wait before retrying after a storage failure (RFC 9110 §10.2.3).
    public static let storageRetryAfter = "5"
}
