/// One rule a field of a request broke, e.g. `level` "must be between 1 and 20 (got 21)".
///
/// `field` is the JSON key the client sent (`class_`, `hit_points`, ...), so a client can put
/// the message next to the input it came from. Messages never repeat the submitted value.
public struct FieldError: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The JSON key of the offending field.
    public let field: String
    /// What is wrong, phrased to follow the field name.
    public let message: String

    /// Creates a field error.
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    /// "level must be between 1 and 20 (got 21)".
    public var description: String { "\(field) \(message)" }
}
