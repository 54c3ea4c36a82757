import HeroStorePostgres
import Testing

@Suite("PostgreSQL URLs in libpq's form")
struct PostgresURLTests {
    struct Valid: Sendable, CustomTestStringConvertible {
        let text: String
        let expected: PostgresURL
        var testDescription: String { text }
    }

    static let valid: [Valid] = [
        Valid(text: "postgres://app@db.example.com/heroes", expected: PostgresURL(user: "app", host: "db.example.com", database: "heroes")),
        Valid(
            text: "postgresql://app:s3cret@db.example.com:6543/heroes?sslmode=verify-full",
            expected: PostgresURL(
                user: "app",
                password: "s3cret",
                host: "db.example.com",
                port: 6543,
                database: "heroes",
                sslMode: .verifyFull
            )
        ),
        Valid(
            text: "POSTGRES://app%40corp:p%40ss%3Aword%2F@127.0.0.1:5432/my%20db?sslmode=require&application_name=hero-server",
            expected: PostgresURL(
                user: "app@corp",
                password: "p@ss:word/",
                host: "127.0.0.1",
                database: "my db",
                sslMode: .require,
                applicationName: "hero-server"
            )
        ),
        Valid(text: "postgres://app@[::1]:5433", expected: PostgresURL(user: "app", host: "::1", port: 5433)),
        Valid(
            text: "postgres://app@%2Fvar%2Frun%2Fpostgresql/heroes?sslmode=disable",
            expected: PostgresURL(user: "app", host: "/var/run/postgresql", database: "heroes", sslMode: .disable)
        ),
        Valid(
            text: "postgres:///heroes?host=/tmp/pg&user=app&port=5544",
            expected: PostgresURL(user: "app", host: "/tmp/pg", port: 5544, database: "heroes")
        ),
        Valid(
            text: "postgres://app@h/db?sslmode=verify-ca&dbname=other",
            expected: PostgresURL(user: "app", host: "h", database: "other", sslMode: .verifyCA)
        ),
    ]

    @Test("parses", arguments: valid)
    func parses(_ example: Valid) throws {
        #expect(try PostgresURL(example.text) == example.expected)
    }

    @Test(
        "refuses with a reason",
        arguments: [
            ("mysql://app@h/db", "postgres://"),
            ("postgres://h/db", "must name a user"),
            ("postgres://app@/db", "must name a host"),
            ("postgres://app@h:0/db", "port"),
            ("postgres://app@h:99999/db", "port"),
            ("postgres://app@h:port/db", "port"),
            ("postgres://app@h/db?sslmode=always", "sslmode must be one of disable, allow, prefer, require, verify-ca, verify-full"),
            ("postgres://app@h/db?connect_timeout=3", "'connect_timeout' is not supported"),
            ("postgres://app@h1,h2/db", "several hosts"),
            ("postgres://app@[::1/db", "IPv6"),
            ("postgres://app@h/db#x", "fragment"),
            ("postgres://app@h/d%zzb", "database has an invalid percent-encoding"),
        ]
    )
    func refuses(_ text: String, _ reason: String) {
        #expect {
            try PostgresURL(text)
        } throws: { error in
            guard let error = error as? PostgresStoreError, error.code == .invalidURL else { return false }
            return error.reason.contains(reason)
        }
    }

    @Test("the password never shows: not in descriptions, dumps or errors")
    func redaction() throws {
        let url = try PostgresURL("postgres://app:hunter2@db.example.com/heroes?sslmode=require")
        #expect(url.description == "postgres://app:***@db.example.com:5432/heroes?sslmode=require")
        #expect(String(reflecting: url) == url.description)
        var dumped = ""
        dump(url, to: &dumped)
        #expect(!dumped.contains("hunter2"))
        let configuration = PostgresHeroRepository.Configuration(url: url)
        #expect(!"\(configuration)".contains("hunter2") && "\(configuration)".contains("app:***@"))
        // A URL with no host: the password would be read as the port, and is not repeated.
        #expect {
            try PostgresURL("postgres://app:hunter2")
        } throws: { error in
            "\(error)".contains("port") && !"\(error)".contains("hunter2")
        }
        #expect {
            try PostgresURL("postgres://app:hun%zzter2@h/db")
        } throws: { error in
            "\(error)".contains("password has an invalid percent-encoding") && !"\(error)".contains("hun")
        }
    }

    @Test("without a password the description shows none")
    func noPassword() throws {
        #expect(try PostgresURL("postgres://app@h/db").description == "postgres://app@h:5432/db?sslmode=prefer")
    }
}
