import Foundation

/// A password for new connections and, when it is a token, the moment the server stops
/// accepting it.
///
/// PostgreSQL checks a password only when a connection opens: a session opened with an Entra
/// token stays open after the token expires, but no new one opens with it. So a store whose
/// password expires needs a fresh one before then, for the connections it opens later.
public struct DatabasePassword: Sendable {
    /// What the server is sent. Never logged: `description` hides it.
    public var value: String
    /// When the server stops accepting it for new connections; nil for a password that lasts.
    public var expiresAt: Date?

    /// A password, lasting unless `expiresAt` says otherwise.
    public init(_ value: String, expiresAt: Date? = nil) {
        self.value = value
        self.expiresAt = expiresAt
    }
}

extension DatabasePassword: CustomStringConvertible {
    /// Whether it expires and when; never the value.
    public var description: String {
        expiresAt.map { "a password valid until \($0.formatted(.iso8601))" } ?? "a password"
    }
}
