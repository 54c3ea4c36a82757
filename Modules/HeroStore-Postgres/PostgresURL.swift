import Foundation

/// A PostgreSQL connection URL in libpq's form:
/// `postgres[ql]://user[:password]@host[:port]/database?sslmode=…`.
///
/// Parts are percent-decoded; a host that starts with `/` (written `%2Fvar%2Frun%2Fpostgresql`,
/// or given as `?host=/var/run/postgresql`) is the folder of the server's Unix socket. The
/// description and any dump show the password as `***`, so the URL can be logged.
public struct PostgresURL: Hashable, Sendable {
    /// How the connection uses TLS: libpq's `sslmode` values.
    public enum SSLMode: String, Hashable, Sendable, CaseIterable {
        /// Never TLS.
        case disable
        /// TLS if the server offers it (libpq tries without first; here as `prefer`).
        case allow
        /// TLS if the server offers it, else plain (libpq's default). The certificate is not checked.
        case prefer
        /// TLS or no connection. The certificate is not checked, as in libpq.
        case require
        /// TLS, with a certificate chain to a trusted root; the host name is not compared.
        case verifyCA = "verify-ca"
        /// TLS, with a trusted certificate for the host name: what a server on the internet needs.
        case verifyFull = "verify-full"
    }

    /// The user (role) to sign in as.
    public var user: String
    /// The password written in the URL, if any; never shown by ``description``.
    public var password: String?
    /// A host name or IP address, or the folder of a Unix socket (starting with `/`).
    public var host: String
    /// The port (5432 unless given).
    public var port: Int
    /// The database; nil means the user's name, as in libpq.
    public var database: String?
    /// The TLS mode (`prefer` unless given).
    public var sslMode: SSLMode
    /// The `application_name` to report to the server, if given.
    public var applicationName: String?

    /// Creates a URL from its parts.
    public init(
        user: String,
        password: String? = nil,
        host: String,
        port: Int = 5432,
        database: String? = nil,
        sslMode: SSLMode = .prefer,
        applicationName: String? = nil
    ) {
        self.user = user
        self.password = password
        self.host = host
        self.port = port
        self.database = database
        self.sslMode = sslMode
        self.applicationName = applicationName
    }

    /// Whether ``host`` is the folder of a Unix socket rather than a network host.
    public var isUnixSocket: Bool { host.hasPrefix("/") }

    /// The socket file libpq would use: `{host}/.s.PGSQL.{port}`.
    public var unixSocketPath: String { "\(host)/.s.PGSQL.\(port)" }

    /// Parses `text`; throws ``PostgresStoreError`` with code `invalidURL` saying what is wrong
    /// (never repeating the password).
    public init(_ text: String) throws(PostgresStoreError) {
        func invalid(_ reason: String) -> PostgresStoreError { PostgresStoreError(.invalidURL, reason) }

        let lowered = text.lowercased()
        guard let scheme = ["postgres://", "postgresql://"].first(where: { lowered.hasPrefix($0) }) else {
            throw invalid("it must start with postgres:// or postgresql://")
        }
        var rest = Substring(text.dropFirst(scheme.count))
        if rest.contains("#") { throw invalid("it must not have a fragment (#)") }
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        var authority = rest
        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            authority = rest[..<slash]
            path = rest[rest.index(after: slash)...]
        }

        var user: String?
        var password: String?
        var hostPort = authority
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            hostPort = authority[authority.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                user = try Self.decode(userInfo[..<colon], part: "user")
                password = try Self.decode(userInfo[userInfo.index(after: colon)...], part: "password")
            } else {
                user = try Self.decode(userInfo, part: "user")
            }
        }
        if hostPort.contains(",") { throw invalid("several hosts are not supported") }

        var host: String?
        var portText: Substring?
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { throw invalid("an IPv6 address must end with ]") }
            host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
            let after = hostPort[hostPort.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw invalid("only a :port may follow an IPv6 address") }
                portText = after.dropFirst()
            }
        } else if let colon = hostPort.lastIndex(of: ":") {
            host = try Self.decode(hostPort[..<colon], part: "host")
            portText = hostPort[hostPort.index(after: colon)...]
        } else {
            host = try Self.decode(hostPort, part: "host")
        }
        var port = try portText.map { text throws(PostgresStoreError) in try Self.port(text) }
        var database = path.isEmpty ? nil : try Self.decode(path, part: "database")
        var sslMode = SSLMode.prefer
        var applicationName: String?

        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = try Self.decode(parts[0], part: "query")
            let value = try Self.decode(parts.count > 1 ? parts[1] : "", part: key)
            switch key {
            case "sslmode":
                guard let mode = SSLMode(rawValue: value) else {
                    throw invalid("sslmode must be one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", ")), not '\(value)'")
                }
                sslMode = mode
            case "host": host = value
            case "port": port = try Self.port(Substring(value))
            case "user": user = value
            case "password": password = value
            case "dbname": database = value
            case "application_name": applicationName = value
            default: throw invalid("the query parameter '\(key)' is not supported")
            }
        }

        guard let user, !user.isEmpty else { throw invalid("it must name a user (postgres://user@host/database)") }
        guard let host, !host.isEmpty else { throw invalid("it must name a host (postgres://user@host/database)") }
        self.init(
            user: user,
            password: password,
            host: host,
            port: port ?? 5432,
            database: database?.isEmpty == true ? nil : database,
            sslMode: sslMode,
            applicationName: applicationName
        )
    }

    private static func decode(_ text: Substring, part: String) throws(PostgresStoreError) -> String {
        guard let decoded = String(text).removingPercentEncoding else {
            // Names the part, never its text: it may be the password.
            throw PostgresStoreError(.invalidURL, "the \(part) has an invalid percent-encoding")
        }
        return decoded
    }

    private static func port(_ text: Substring) throws(PostgresStoreError) -> Int {
        guard text.allSatisfy(\.isASCII), let port = Int(text), (1...65_535).contains(port) else {
            // Not repeated: in `postgres://user:secret` (no host), "secret" is taken for the port.
            throw PostgresStoreError(.invalidURL, "the port must be a number from 1 to 65535")
        }
        return port
    }
}

extension PostgresURL: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The URL with the password shown as `***`: safe for logs.
    public var description: String {
        func encode(_ text: String) -> String {
            text.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed.subtracting(CharacterSet(charactersIn: ":@/"))) ?? text
        }
        let credentials = encode(user) + (password == nil ? "" : ":***")
        let address = isUnixSocket ? encode(host) : host.contains(":") ? "[\(host)]" : host
        var text = "postgres://\(credentials)@\(address):\(port)/\(database.map(encode) ?? "")?sslmode=\(sslMode.rawValue)"
        if let applicationName { text += "&application_name=\(encode(applicationName))" }
        return text
    }

    /// The same as ``description``: the password stays hidden in `String(reflecting:)`.
    public var debugDescription: String { description }

    /// A mirror without the password, so `dump` and debuggers cannot print it either.
    public var customMirror: Mirror {
        Mirror(self, children: ["url": description], displayStyle: .struct)
    }
}
