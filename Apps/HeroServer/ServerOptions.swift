import ArgumentParser
import Configuration
import HTTPServerKit

/// hero-server's settings as command-line options. Each names the environment variable that
/// gives it when the option is absent (ARCHITECTURE.md, resource server); the values are
/// checked by ``ServerConfiguration``, whichever way they came.
struct ServerOptions: ParsableArguments {
    @Option(name: .customLong("tenant-id"), help: "Entra tenant id (HVALFANGST_TENANT_ID).")
    var tenantID: String?

    @Option(name: .customLong("api-client-id"), help: "The API's app (client) id (HVALFANGST_API_SERVER_CLIENT_ID).")
    var apiClientID: String?

    @Option(help: "Authority host (HVALFANGST_AUTHORITY_HOST; https://login.microsoftonline.com, or local-entra in dev mode).")
    var authorityHost: String?

    @Option(help: "Issuer of any OpenID provider, compared exactly (HVALFANGST_ISSUER).")
    var issuer: String?

    @Option(help: "Extra accepted audiences, comma-separated (HVALFANGST_API_AUDIENCES).")
    var apiAudiences: String?

    @Option(help: "SQLite file (HVALFANGST_DB_PATH; default data/heroes.sqlite).")
    var dbPath: String?

    @Option(help: "wal on a local disk, delete on a network share (HVALFANGST_DB_JOURNAL_MODE; default wal).")
    var dbJournalMode: String?

    @Option(help: "PostgreSQL instead of SQLite, postgres://user@host:5432/db?sslmode=require (HVALFANGST_DATABASE_URL).")
    var databaseURL: String?

    @Option(help: "PEM file of CAs trusted for outbound HTTPS besides the system's (HVALFANGST_CA_FILE).")
    var caFile: String?

    @Option(help: "Seconds keys stay trusted while the authority is unreachable (HVALFANGST_JWKS_MAX_STALENESS_SECONDS; default 86400).")
    var jwksMaxStaleness: String?

    @Option(help: "Address to bind (HOST; default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to bind, 0 for any free one (PORT; default 8080).")
    var port: String?

    @Option(help: "Seconds an idle keep-alive connection is kept (HVALFANGST_IDLE_TIMEOUT_SECONDS; default 75).")
    var idleTimeout: String?

    @Option(help: "Seconds to receive a request's head (HVALFANGST_REQUEST_HEAD_TIMEOUT_SECONDS; default 60).")
    var requestHeadTimeout: String?

    @Option(help: "Seconds a request body may make no progress (HVALFANGST_REQUEST_BODY_TIMEOUT_SECONDS; default 60).")
    var requestBodyTimeout: String?

    @Option(help: "The most connections at once (HVALFANGST_MAX_CONNECTIONS; default 512).")
    var maxConnections: String?

    /// Each option as (flag, the environment variable it stands for, its value if given).
    private var options: [(flag: String, variable: String, value: String?)] {
        [
            ("--tenant-id", "HVALFANGST_TENANT_ID", tenantID), ("--api-client-id", "HVALFANGST_API_SERVER_CLIENT_ID", apiClientID),
            ("--authority-host", "HVALFANGST_AUTHORITY_HOST", authorityHost), ("--issuer", "HVALFANGST_ISSUER", issuer),
            ("--api-audiences", "HVALFANGST_API_AUDIENCES", apiAudiences), ("--db-path", "HVALFANGST_DB_PATH", dbPath),
            ("--db-journal-mode", "HVALFANGST_DB_JOURNAL_MODE", dbJournalMode), ("--database-url", "HVALFANGST_DATABASE_URL", databaseURL),
            ("--ca-file", "HVALFANGST_CA_FILE", caFile),
            ("--jwks-max-staleness", "HVALFANGST_JWKS_MAX_STALENESS_SECONDS", jwksMaxStaleness),
            ("--host", "HOST", host), ("--port", "PORT", port),
            ("--idle-timeout", ServerLimits.Setting.idleTimeout, idleTimeout),
            ("--request-head-timeout", ServerLimits.Setting.requestHeadTimeout, requestHeadTimeout),
            ("--request-body-timeout", ServerLimits.Setting.requestBodyTimeout, requestBodyTimeout),
            ("--max-connections", ServerLimits.Setting.maxConnections, maxConnections),
        ]
    }

    /// The options given, under the names of the environment variables they stand for.
    var provider: InMemoryProvider {
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        for option in options {
            // The database URL may hold a password: marked secret, so it is never printed.
            if let value = option.value {
                values[AbsoluteConfigKey([option.variable])] = ConfigValue(
                    .string(value),
                    isSecret: option.variable == "HVALFANGST_DATABASE_URL"
                )
            }
        }
        return InMemoryProvider(name: "command line", values: values)
    }

    /// How the user gave `variable`: its flag when the option was given, else the variable.
    func source(of variable: String) -> String {
        options.first { $0.variable == variable && $0.value != nil }?.flag ?? variable
    }
}
