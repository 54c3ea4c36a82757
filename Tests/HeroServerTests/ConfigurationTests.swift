import AccessTokenAuth
import AppConfiguration
import HTTPKitNIO
import HTTPServerKit
import HeroStoreSQLite
import NIOCore
import NIOFoundationCompat
import OIDCCore
import Testing

@testable import HeroServer

@Suite("hero-server configuration")
struct ConfigurationTests {
    @Test("no settings: development mode against local-entra's defaults")
    func developmentMode() throws {
        let settings = try configuration()
        #expect(settings.isDevelopmentMode)
        #expect(settings.host == "127.0.0.1" && settings.port == 8080)
        #expect(settings.databasePath == "data/heroes.sqlite")
        #expect(settings.journalMode == .wal)
        #expect(
            settings.policy.issuerMode
                == .entra(EntraAuthority(host: "http://127.0.0.1:9000", tenantID: "7c3e1f6a-4d2b-4b8e-9a51-2f0c8d6e9b10"))
        )
        #expect(
            settings.policy.acceptedIssuers == [
                "http://127.0.0.1:9000/7c3e1f6a-4d2b-4b8e-9a51-2f0c8d6e9b10/v2.0",
                "http://127.0.0.1:9000/7c3e1f6a-4d2b-4b8e-9a51-2f0c8d6e9b10/",
            ]
        )
        #expect(settings.policy.audiences == ["5b1a9c3e-8f2d-4e6a-b7c4-1d9e0f2a3b4c", "api://5b1a9c3e-8f2d-4e6a-b7c4-1d9e0f2a3b4c"])
        #expect(settings.authorityDescription.hasPrefix("Development mode"))
    }

    @Test("the seed's variables select Entra ID, with its v2 and v1 issuers")
    func entraMode() throws {
        let settings = try configuration([
            "HVALFANGST_TENANT_ID": "11111111-2222-3333-4444-555555555555",
            "HVALFANGST_API_SERVER_CLIENT_ID": "AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE",
            "HVALFANGST_API_AUDIENCES": " extra-1, extra-2 ,",
            "HVALFANGST_DB_PATH": "/home/data/heroes.sqlite",
            "HOST": "0.0.0.0", "PORT": "8081",
        ])
        #expect(!settings.isDevelopmentMode)
        #expect(
            settings.policy.acceptedIssuers == [
                "https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0",
                "https://sts.windows.net/11111111-2222-3333-4444-555555555555/",
            ]
        )
        #expect(settings.policy.requiredTenantID == "11111111-2222-3333-4444-555555555555")
        #expect(
            settings.policy.audiences == [
                "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", "api://aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", "extra-1", "extra-2",
            ]
        )
        #expect(settings.host == "0.0.0.0" && settings.port == 8081)
        #expect(settings.databasePath == "/home/data/heroes.sqlite")
        #expect(
            settings.authorityEndpoints.authorize
                == "https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/oauth2/v2.0/authorize"
        )
    }

    @Test("HVALFANGST_ISSUER trusts exactly one issuer of any provider")
    func exactMode() throws {
        let settings = try configuration([
            "HVALFANGST_ISSUER": "https://idp.example/realms/heroes",
            "HVALFANGST_API_SERVER_CLIENT_ID": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
        ])
        #expect(settings.policy.acceptedIssuers == ["https://idp.example/realms/heroes"])
        #expect(settings.policy.requiredTenantID == nil)
    }

    @Test(
        "a wrong setting names its variable",
        arguments: [
            (["HVALFANGST_TENANT_ID": "11111111-2222-3333-4444-555555555555"], "HVALFANGST_API_SERVER_CLIENT_ID"),
            (["HVALFANGST_API_SERVER_CLIENT_ID": "11111111-2222-3333-4444-555555555555"], "HVALFANGST_TENANT_ID"),
            (
                ["HVALFANGST_TENANT_ID": "contoso", "HVALFANGST_API_SERVER_CLIENT_ID": "11111111-2222-3333-4444-555555555555"],
                "HVALFANGST_TENANT_ID"
            ),
            (["HVALFANGST_AUTHORITY_HOST": "http://login.example.com"], "HVALFANGST_AUTHORITY_HOST"),
            (["HVALFANGST_ISSUER": "ftp://idp.example"], "HVALFANGST_ISSUER"),
            (["PORT": "eighty"], "PORT"),
            (["PORT": "70000"], "PORT"),
            (["HVALFANGST_DB_PATH": ""], "HVALFANGST_DB_PATH"),
            (["HVALFANGST_DB_JOURNAL_MODE": "truncate"], "HVALFANGST_DB_JOURNAL_MODE"),
            (["HVALFANGST_DATABASE_URL": "mysql://app@db/heroes"], "HVALFANGST_DATABASE_URL"),
            (["HVALFANGST_DATABASE_URL": "postgres://app:secret@db/heroes?sslmode=sometimes"], "HVALFANGST_DATABASE_URL"),
            (["HVALFANGST_CA_FILE": "/nonexistent/ca.pem"], "HVALFANGST_CA_FILE"),
            (["HVALFANGST_CA_FILE": "/proc/version"], "HVALFANGST_CA_FILE"),
        ]
    )
    func invalid(environment: [String: String], variable: String) {
        #expect {
            try configuration(environment)
        } throws: { error in
            (error as? ConfigurationError)?.setting == variable
        }
    }

    @Test("development mode on a network address is refused unless asked for by name")
    func developmentModeOnNetwork() throws {
        #expect {
            try configuration(["HOST": "0.0.0.0"])
        } throws: { error in
            guard let error = error as? ConfigurationError else { return false }
            return error.setting == "HVALFANGST_TENANT_ID" && error.problem.contains("HVALFANGST_ALLOW_DEVELOPMENT_MODE_ON_NETWORK")
        }
        #expect(try configuration(["HOST": "0.0.0.0", "HVALFANGST_ALLOW_DEVELOPMENT_MODE_ON_NETWORK": "true"]).isDevelopmentMode)
        for loopback in ["127.0.0.1", "localhost", "::1"] {
            #expect(try configuration(["HOST": loopback]).isDevelopmentMode)
        }
        let tenant = [
            "HVALFANGST_TENANT_ID": "11111111-2222-3333-4444-555555555555",
            "HVALFANGST_API_SERVER_CLIENT_ID": "22222222-3333-4444-5555-666666666666",
        ]
        #expect(try !configuration(tenant.merging(["HOST": "0.0.0.0"]) { $1 }).isDevelopmentMode)
    }

    @Test("plain http is allowed for a loopback authority")
    func loopbackHTTP() throws {
        let settings = try configuration(["HVALFANGST_AUTHORITY_HOST": "http://localhost:9100"])
        #expect(settings.policy.discoveryIssuer == "http://localhost:9100/7c3e1f6a-4d2b-4b8e-9a51-2f0c8d6e9b10/v2.0")
    }

    @Test("the connection limits default to nginx's and are read from their variables")
    func limits() throws {
        #expect(try configuration().limits == .standard)
        #expect(ServerLimits.standard.idleTimeout == .seconds(75) && ServerLimits.standard.requestHeadTimeout == .seconds(60))
        let settings = try configuration([
            "HVALFANGST_IDLE_TIMEOUT_SECONDS": "5", "HVALFANGST_REQUEST_HEAD_TIMEOUT_SECONDS": "6",
            "HVALFANGST_REQUEST_BODY_TIMEOUT_SECONDS": "7", "HVALFANGST_MAX_CONNECTIONS": "8",
        ])
        #expect(
            settings.limits
                == ServerLimits(
                    idleTimeout: .seconds(5),
                    requestHeadTimeout: .seconds(6),
                    requestBodyTimeout: .seconds(7),
                    maxConnections: 8
                )
        )
    }

    @Test("signing keys stay trusted 24 hours without a refresh unless HVALFANGST_JWKS_MAX_STALENESS_SECONDS says otherwise")
    func keysStaleness() throws {
        #expect(try configuration().keysMaximumStaleness == .seconds(86400))
        #expect(try configuration(["HVALFANGST_JWKS_MAX_STALENESS_SECONDS": "3600"]).keysMaximumStaleness == .seconds(3600))
        for bad in ["0", "59", "604801", "a day"] {
            #expect {
                try configuration(["HVALFANGST_JWKS_MAX_STALENESS_SECONDS": bad])
            } throws: { error in
                (error as? ConfigurationError)?.setting == "HVALFANGST_JWKS_MAX_STALENESS_SECONDS"
            }
        }
    }

    @Test(
        "a limit that is not a positive whole number is refused, naming its variable",
        arguments: [
            ("HVALFANGST_IDLE_TIMEOUT_SECONDS", "0"), ("HVALFANGST_REQUEST_HEAD_TIMEOUT_SECONDS", "1.5"),
            ("HVALFANGST_REQUEST_BODY_TIMEOUT_SECONDS", "-1"), ("HVALFANGST_MAX_CONNECTIONS", "many"),
        ]
    )
    func badLimits(variable: String, value: String) throws {
        #expect {
            try configuration([variable: value])
        } throws: { error in
            (error as? ConfigurationError)?.setting == variable
        }
    }

    @Test("the proxy comes from curl's variables; one the server cannot use stops it, naming the variable and hiding the value")
    func proxy() throws {
        #expect(try configuration().outboundProxy == .none)
        let proxied = try configuration(["https_proxy": "http://proxy.corp:3128", "no_proxy": "169.254.169.254"])
        #expect(proxied.outboundProxy.https == OutboundProxy.Server(kind: .http, host: "proxy.corp", port: 3128))
        #expect(proxied.outboundProxy.noProxy.matches("169.254.169.254"))
        #expect {
            try configuration(["HTTPS_PROXY": "https://user:secret@proxy.corp:443"])
        } throws: { error in
            guard let error = error as? ConfigurationError else { return false }
            return error.setting == "HTTPS_PROXY" && !"\(error)".contains("secret")
        }
    }
}
