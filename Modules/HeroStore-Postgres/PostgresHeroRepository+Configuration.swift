import Foundation
import Logging
import PostgresNIO

extension PostgresHeroRepository {
    /// Where the heroes are and how to sign in: the URL, a password provider and the limits.
    public struct Configuration: Sendable, CustomStringConvertible {
        /// Supplies the password when the URL has none: `PGPASSWORD`, or an Entra token.
        public typealias PasswordProvider = @Sendable () async throws -> DatabasePassword?

        /// The server, user, database and TLS mode.
        public var url: PostgresURL
        /// Asked at start, only when ``url`` holds no password, and again ``renewalMargin``
        /// before each password it gave expires (see ``RenewingPool``).
        public var password: PasswordProvider
        /// How long one store call may wait for the database (for a connection, then the answer)
        /// before it fails as unavailable; the pool keeps reconnecting meanwhile.
        public var operationTimeout: Duration = .seconds(5)
        /// How long opening one connection may take.
        public var connectTimeout: Duration = .seconds(10)
        /// The connections of the pool: all opened at start and kept open, each one replaced
        /// when it is lost. See ``clientConfiguration(password:)`` for why the pool is fixed.
        public var connections = Configuration.defaultConnections
        /// How long before an expiring password runs out the pool is rebuilt with a fresh one.
        /// As ``OIDCCore``'s managed-identity credential renews its cached token at the same
        /// margin, the provider then hands out a new token rather than the cached one.
        public var renewalMargin: Duration = .seconds(300)
        /// How long to wait before asking again when a renewal failed or gave no later expiry.
        public var renewalRetryDelay: Duration = .seconds(30)

        /// A configuration for `url`; `password` is asked only when the URL has none.
        public init(url: PostgresURL, password: @escaping PasswordProvider = { nil }) {
            self.url = url
            self.password = password
        }

        /// Four connections per core of this machine, between 4 and 8. A read holds a
        /// connection for one round trip, so a few per core keep both machines busy (on 2 cores,
        /// 8 served reads as fast as 20), and two instances stay inside the 35 connections a
        /// Burstable B1ms server gives its users even while one renews its pool (for a moment
        /// the old pool and the new one are both open): 8 + 8 + 8.
        public static var defaultConnections: Int { min(8, max(4, 4 * ProcessInfo.processInfo.activeProcessorCount)) }

        /// Asked of the server for each connection: TCP keep-alive probes after a minute of
        /// silence (PostgreSQL's `tcp_keepalives_*` settings, per session). They keep an idle
        /// connection's mapping alive in the network address translation between an Azure web
        /// app and its database, which drops a connection silent for 4 minutes, and let the
        /// server close a connection whose client is gone. They do not apply to Unix sockets.
        static let keepAliveParameters = [
            ("tcp_keepalives_idle", "60"), ("tcp_keepalives_interval", "10"), ("tcp_keepalives_count", "6"),
        ]

        /// The URL with its password hidden, and the limits: safe for logs.
        public var description: String {
            "\(url) (a pool of \(connections) connections, \(operationTimeout) per call)"
        }

        /// The URL's password, else the provider's.
        func resolvePassword() async throws(PostgresStoreError) -> DatabasePassword? {
            if let password = url.password { return DatabasePassword(password) }
            do {
                return try await password()
            } catch {
                // The provider's error may be anything; its type says enough and holds no secret.
                throw PostgresStoreError(.noPassword, "the password provider failed (\(type(of: error)))")
            }
        }

        /// TLS settings as libpq's `sslmode` means them; nil for `disable` and Unix sockets.
        func tlsConfiguration() -> TLSConfiguration? {
            guard !url.isUnixSocket, url.sslMode != .disable else { return nil }
            var tls = TLSConfiguration.makeClientConfiguration()
            switch url.sslMode {
            case .disable, .allow, .prefer, .require: tls.certificateVerification = .none
            case .verifyCA: tls.certificateVerification = .noHostnameVerification
            case .verifyFull: tls.certificateVerification = .fullVerification
            }
            return tls
        }

        /// Whether the URL refuses a connection without TLS.
        var requiresTLS: Bool { !url.isUnixSocket && [.require, .verifyCA, .verifyFull].contains(url.sslMode) }

        /// The settings of the one session that migrates at start.
        func connectionConfiguration(password: String?) throws(PostgresStoreError) -> PostgresConnection.Configuration {
            var configuration: PostgresConnection.Configuration
            if url.isUnixSocket {
                configuration = .init(unixSocketPath: url.unixSocketPath, username: url.user, password: password, database: url.database)
            } else {
                let tls: PostgresConnection.Configuration.TLS
                do {
                    tls =
                        switch tlsConfiguration() {
                        case .none: .disable
                        case .some(let settings) where requiresTLS: .require(try NIOSSLContext(configuration: settings))
                        case .some(let settings): .prefer(try NIOSSLContext(configuration: settings))
                        }
                } catch {
                    throw PostgresStoreError(.tlsUnavailable, "TLS cannot be set up (\(error))")
                }
                configuration = .init(
                    host: url.host,
                    port: url.port,
                    username: url.user,
                    password: password,
                    database: url.database,
                    tls: tls
                )
            }
            configuration.options.connectTimeout = .nanoseconds(connectTimeout.nanoseconds)
            if let name = url.applicationName { configuration.options.additionalStartupParameters = [("application_name", name)] }
            return configuration
        }

        /// The settings of the pool that serves the store's calls: a fixed pool of
        /// ``connections``, without postgres-nio's keep-alive queries.
        ///
        /// postgres-nio's pool starts timers when a connection returns to it: a keep-alive
        /// (a `SELECT 1` after 30 s idle), and, for a connection beyond the pool's minimum, an
        /// idle timeout. Each timer is a task that sleeps and is cancelled when the connection
        /// is leased again, which under load is at once: perf put them at a third of
        /// hero-server's time on `GET /api/heroes/{id}`. A pool whose minimum is its size has no
        /// idle timeouts, and the server's TCP keep-alives (``keepAliveParameters``) do the
        /// keep-alive's work without a query.
        func clientConfiguration(password: String?) -> PostgresClient.Configuration {
            var configuration: PostgresClient.Configuration
            if url.isUnixSocket {
                configuration = .init(unixSocketPath: url.unixSocketPath, username: url.user, password: password, database: url.database)
            } else {
                let tls: PostgresClient.Configuration.TLS =
                    switch tlsConfiguration() {
                    case .none: .disable
                    case .some(let settings) where requiresTLS: .require(settings)
                    case .some(let settings): .prefer(settings)
                    }
                configuration = .init(
                    host: url.host,
                    port: url.port,
                    username: url.user,
                    password: password,
                    database: url.database,
                    tls: tls
                )
            }
            configuration.options.connectTimeout = connectTimeout
            configuration.options.minimumConnections = connections
            configuration.options.maximumConnections = connections
            configuration.options.keepAliveBehavior = nil
            configuration.options.additionalStartupParameters = Self.keepAliveParameters
            if let name = url.applicationName { configuration.options.additionalStartupParameters.append(("application_name", name)) }
            return configuration
        }
    }
}

extension Duration {
    /// The duration in whole nanoseconds, for NIO's `TimeAmount`.
    fileprivate var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
