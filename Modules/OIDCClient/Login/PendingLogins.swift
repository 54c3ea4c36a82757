import Foundation

/// Sign-ins waiting for their authorization response, keyed by `state`: each can be taken
/// once, lives 10 minutes, and there are at most ``capacity`` (the oldest make way), so
/// strangers opening `/auth/login` cannot exhaust memory.
public actor PendingLogins {
    /// How long a login may take.
    public static let lifetime: TimeInterval = 600
    /// The most logins kept at once.
    public let capacity: Int
    private var logins: [String: PendingLogin] = [:]

    /// Creates an empty store.
    public init(capacity: Int = 1000) {
        self.capacity = capacity
    }

    /// Remembers a login.
    public func insert(_ login: PendingLogin, now: Date) {
        logins = logins.filter { now.timeIntervalSince($0.value.createdAt) < Self.lifetime }
        if logins.count >= capacity, let oldest = logins.min(by: { $0.value.createdAt < $1.value.createdAt }) {
            logins[oldest.key] = nil
        }
        logins[login.state] = login
    }

    /// Takes the login of `state` (it cannot be taken again); nil when unknown or expired.
    public func take(state: String, now: Date) -> PendingLogin? {
        guard let login = logins.removeValue(forKey: state), now.timeIntervalSince(login.createdAt) < Self.lifetime else { return nil }
        return login
    }

    /// How many are waiting.
    public var count: Int { logins.count }
}
