/// What went wrong talking to an OpenID provider. Descriptions are safe to log and show: they
/// name URLs and claims, never tokens, codes or secrets.
public enum OIDCError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The settings cannot work (e.g. an http authority on a public host).
    case invalidConfiguration(String)
    /// The provider could not be reached.
    case unreachable(String)
    /// The provider answered with something unusable.
    case invalidDocument(String)

    public var description: String {
        switch self {
        case .invalidConfiguration(let message), .unreachable(let message), .invalidDocument(let message):
            message
        }
    }
}
