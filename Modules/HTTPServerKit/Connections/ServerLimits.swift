/// How long a connection may wait and how many may be open at once: what keeps a slow or
/// stalled client (or a few hundred of them) from holding sockets and file descriptors forever.
/// The defaults follow nginx's (`client_header_timeout` 60 s, `keepalive_timeout` 75 s,
/// `client_body_timeout` 60 s).
public struct ServerLimits: Sendable, Hashable {
    /// How long a connection may sit between requests (keep-alive) before it is closed.
    public var idleTimeout: Duration
    /// How long a client may take to send a request's head, from its first byte; then 408.
    public var requestHeadTimeout: Duration
    /// How long a request body may make no progress (no byte received) before the connection is closed.
    public var requestBodyTimeout: Duration
    /// The most connections served at once; more are answered 503 and closed.
    public var maxConnections: Int

    /// nginx's yardsticks: 75 s idle, 60 s for the head, 60 s without body progress, 512 connections.
    public static let standard = ServerLimits(
        idleTimeout: .seconds(75),
        requestHeadTimeout: .seconds(60),
        requestBodyTimeout: .seconds(60),
        maxConnections: 512
    )

    /// Creates limits.
    public init(idleTimeout: Duration, requestHeadTimeout: Duration, requestBodyTimeout: Duration, maxConnections: Int) {
        self.idleTimeout = idleTimeout
        self.requestHeadTimeout = requestHeadTimeout
        self.requestBodyTimeout = requestBodyTimeout
        self.maxConnections = maxConnections
    }

    /// The settings behind each limit, as every app names them (environment and `.env`).
    public enum Setting {
        /// Seconds an idle keep-alive connection is kept.
        public static let idleTimeout = "HVALFANGST_IDLE_TIMEOUT_SECONDS"
        /// Seconds to receive a request's head.
        public static let requestHeadTimeout = "HVALFANGST_REQUEST_HEAD_TIMEOUT_SECONDS"
        /// Seconds a request body may make no progress.
        public static let requestBodyTimeout = "HVALFANGST_REQUEST_BODY_TIMEOUT_SECONDS"
        /// The most connections at once.
        public static let maxConnections = "HVALFANGST_MAX_CONNECTIONS"
    }
}
