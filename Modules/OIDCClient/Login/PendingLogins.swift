import Foundation

/// Sign-ins waiting for their authorization response, keyed by `state`: each can be taken
/// once and lives 10 minutes. Bounded twice, so that strangers opening `/auth/login` can
/// neither exhaust memory nor push out someone else's sign-in: one browser (its binding
/// cookie) holds at most ``perBrowser`` (its own oldest make way), and when ``capacity`` is
/// reached a browser with none is refused rather than another browser's login evicted.
public actor PendingLogins {
    /// How long a login may take.
    public static let lifetime: TimeInterval = 600
    /// The most logins kept at once.
    public let capacity: Int
    /// The most logins one browser keeps at once.
    public let perBrowser: Int
    private var logins: [String: PendingLogin] = [:]

    /// Creates an empty store.
    public init(capacity: Int = 1000, perBrowser: Int = 5) {
        self.capacity = capacity
        self.perBrowser = perBrowser
    }

    /// Remembers a login, making way among the same browser's logins if needed; throws
    /// ``PendingLoginsFull`` when the store is full of other browsers' logins.
    public func insert(_ login: PendingLogin, now: Date) throws(PendingLoginsFull) {
        logins = logins.filter { now.timeIntervalSince($0.value.createdAt) < Self.lifetime }
        let own = logins.values.filter { $0.browserBinding == login.browserBinding }
        if own.count >= perBrowser || (logins.count >= capacity && !own.isEmpty),
            let oldest = own.min(by: { $0.createdAt < $1.createdAt })
        {
            logins[oldest.state] = nil
        }
        guard logins.count < capacity else {
            let oldest = logins.values.map(\.createdAt).min() ?? now
            throw PendingLoginsFull(retryAfter: max(1, Int((Self.lifetime - now.timeIntervalSince(oldest)).rounded(.up))))
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

/// Too many sign-ins are in progress from other browsers; one expires within `retryAfter` seconds.
public struct PendingLoginsFull: Error, Hashable, Sendable, CustomStringConvertible {
    /// Seconds until the oldest pending login expires and makes room.
    public let retryAfter: Int

    public var description: String {
        "Too many sign-ins are in progress; try again in \(retryAfter) seconds"
    }
}
