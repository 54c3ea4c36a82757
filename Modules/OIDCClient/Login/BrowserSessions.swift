import Crypto
import Foundation
import JOSE

/// The browsers that signed in here: each gets a random session value at the callback (a
/// cookie), and the proxy serves a browser only when it presents one. Kept as SHA-256
/// digests, in memory: a restart or a sign-out ends every browser's session (the token cache,
/// for the command line, is unaffected by a restart).
public actor BrowserSessions {
    /// The most sessions kept; the oldest make way.
    public let capacity: Int
    private var digests: [String] = []

    /// Creates an empty store.
    public init(capacity: Int = 64) {
        self.capacity = capacity
    }

    /// A new session value (256 random bits, base64url) for a browser that just signed in.
    public func open() -> String {
        let value = Base64URL.random()
        if digests.count >= capacity { digests.removeFirst() }
        digests.append(Self.digest(value))
        return value
    }

    /// Whether `value` is the cookie of a browser that signed in here.
    public func isOpen(_ value: String?) -> Bool {
        guard let value, !value.isEmpty else { return false }
        return digests.contains(Self.digest(value))
    }

    /// Ends every session (sign-out).
    public func closeAll() {
        digests.removeAll()
    }

    private static func digest(_ value: String) -> String {
        Base64URL.encode(Array(SHA256.hash(data: Data(value.utf8))))
    }
}
