/// Why the PostgreSQL hero store could not start: a URL it cannot use, a server it cannot
/// reach, or a schema it cannot bring up to date. The description is safe to print: it never
/// holds the password.
public struct PostgresStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure, for callers and tests that branch on it.
    public enum Code: Hashable, Sendable {
        /// The database URL is not a libpq URL this store understands.
        case invalidURL
        /// The server could not be reached (refused, unknown host, timeout).
        case cannotConnect
        /// The URL asks for TLS (`sslmode=require` or stricter) and the server does not offer it.
        case tlsUnavailable
        /// The server refused the credentials or the database.
        case refused
        /// The password could not be obtained from its provider.
        case noPassword
        /// The schema could not be brought up to date.
        case migrationFailed
    }

    /// What failed.
    public let code: Code
    /// Details, without secrets.
    public let reason: String

    /// Creates an error.
    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    /// The problem, phrased to follow the setting's name: "HVALFANGST_DATABASE_URL requires TLS, …".
    public var description: String {
        switch code {
        case .invalidURL: "is not a usable PostgreSQL URL: \(reason)"
        case .cannotConnect: "names a PostgreSQL server that cannot be reached: \(reason)"
        case .tlsUnavailable: "requires TLS, which the PostgreSQL server does not offer: \(reason)"
        case .refused: "was refused by the PostgreSQL server: \(reason)"
        case .noPassword: "has no usable password: \(reason)"
        case .migrationFailed: "names a database whose schema cannot be brought up to date: \(reason)"
        }
    }
}
