/// What can go wrong with a hero operation, whatever the storage behind it.
///
/// Descriptions are safe to show to an API client: they name fields and ids, never
/// internal paths or SQL.
public enum HeroError: Error, Hashable, Sendable, CustomStringConvertible {
    /// No hero has this id.
    case notFound(HeroID)
    /// The input broke these rules (all of them, not just the first).
    case invalid([FieldError])
    /// The storage failed; the message says how, without internals a client should not see.
    case storageFailure(String)

    public var description: String {
        switch self {
        case .notFound(let id):
            "Hero with id '\(id)' not found"
        case .invalid(let errors):
            "Invalid hero: " + errors.map(\.description).joined(separator: "; ")
        case .storageFailure(let message):
            "Hero storage failed: \(message)"
        }
    }
}
