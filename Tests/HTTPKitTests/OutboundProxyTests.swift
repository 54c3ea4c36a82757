import Foundation
import HTTPKitNIO
import Testing

/// The proxy variables read as curl reads them, so that hero-server, moved off libcurl, goes
/// where it went before.
@Suite("Proxy settings from the environment (curl's variables)")
struct OutboundProxyTests {
    private func server(_ host: String, _ port: Int, _ kind: OutboundProxy.Server.Kind = .http) -> OutboundProxy.Server {
        OutboundProxy.Server(kind: kind, host: host, port: port)
    }

    @Test("each scheme has its variable; the lower-case name wins; upper-case HTTP_PROXY is not read")
    func variables() throws {
        let proxy = try OutboundProxy(environment: [
            "https_proxy": "http://lower:3128", "HTTPS_PROXY": "http://upper:3128",
            "HTTP_PROXY": "http://cgi-injected:80",
        ])
        #expect(proxy.https == server("lower", 3128))
        #expect(proxy.http == nil)
        #expect(try OutboundProxy(environment: ["HTTPS_PROXY": "http://upper:3128"]).https == server("upper", 3128))
        #expect(try OutboundProxy(environment: ["http_proxy": "http://plain:8080"]).http == server("plain", 8080))
    }

    @Test("all_proxy serves a scheme whose own variable is unset; an empty value is unset")
    func allProxyAndEmpty() throws {
        let proxy = try OutboundProxy(environment: ["ALL_PROXY": "http://all:3128", "https_proxy": "", "http_proxy": "http://plain:8080"])
        #expect(proxy.https == server("all", 3128))
        #expect(proxy.http == server("plain", 8080))
        #expect(try OutboundProxy(environment: ["https_proxy": "  ", "no_proxy": ""]) == .none)
        #expect(try OutboundProxy(environment: [:]) == .none)
    }

    @Test("a proxy URL: scheme optional, port 1080 by default, credentials percent-decoded, SOCKS 5")
    func proxyURLs() throws {
        #expect(try OutboundProxy(environment: ["https_proxy": "proxy.example.com:3128"]).https == server("proxy.example.com", 3128))
        #expect(try OutboundProxy(environment: ["https_proxy": "http://proxy.example.com"]).https == server("proxy.example.com", 1080))
        #expect(try OutboundProxy(environment: ["https_proxy": "http://[fd00::1]:3128/"]).https == server("fd00::1", 3128))
        #expect(try OutboundProxy(environment: ["https_proxy": "socks5://socks:1081"]).https == server("socks", 1081, .socks5))
        #expect(try OutboundProxy(environment: ["https_proxy": "socks5h://socks"]).https == server("socks", 1080, .socks5))
        let authenticated = try #require(try OutboundProxy(environment: ["https_proxy": "http://me%40corp:p%3Ass@proxy:3128"]).https)
        #expect(authenticated.credentials == .init(user: "me@corp", password: "p:ss"))
        #expect("\(try #require(authenticated.credentials))" == "me@corp:<password>")
    }

    @Test(
        "a proxy this client cannot use fails naming the variable, never repeating its value",
        arguments: [
            ("https_proxy", "https://proxy:443", "has the scheme https://; only http:// and socks5:// proxies are supported"),
            ("HTTPS_PROXY", "socks4://proxy:1080", "has the scheme socks4://; only http:// and socks5:// proxies are supported"),
            ("http_proxy", "http://user:secret@proxy:99999", "has a port out of range"),
            ("all_proxy", "http://user:secret@proxy:3128/path", "is not a proxy URL: it has a path, a query or a fragment"),
            ("https_proxy", "socks5://user:secret@proxy:1080", "gives a user for a SOCKS proxy, which this client cannot authenticate to"),
            ("https_proxy", "http://", "is not a proxy URL such as http://proxy.example.com:3128"),
        ]
    )
    func unusable(variable: String, value: String, problem: String) {
        #expect(throws: OutboundProxyError(variable: variable, problem: problem)) {
            try OutboundProxy(environment: [variable: value])
        }
        let description = OutboundProxyError(variable: variable, problem: problem).description
        #expect(!description.contains("secret"))
    }

    @Test("no_proxy: a name matches itself and the names beneath it, never a longer name; case and dots do not matter")
    func noProxyNames() {
        let list = NoProxy("example.com, .Internal.corp,login.microsoftonline.com.")
        #expect(list.matches("example.com"))
        #expect(list.matches("api.EXAMPLE.com"))
        #expect(list.matches("example.com."))
        #expect(!list.matches("badexample.com"))
        #expect(!list.matches("example.com.evil.net"))
        #expect(list.matches("internal.corp"))
        #expect(list.matches("db.internal.corp"))
        #expect(list.matches("login.microsoftonline.com"))
        #expect(!list.matches("graph.microsoft.com"))
        #expect(!list.matches("localhost"), "as in curl, localhost is proxied unless listed")
        #expect(!NoProxy("").matches("example.com"))
        #expect(NoProxy("*").matches("anything.at.all"))
        #expect(NoProxy("").isEmpty)
        #expect(!NoProxy("*").isEmpty)
    }

    @Test("no_proxy: an address matches itself, a network the addresses in it")
    func noProxyAddresses() {
        let list = NoProxy("127.0.0.1,10.0.0.0/8,169.254.169.254,fd00::/8,[::1]")
        #expect(list.matches("127.0.0.1"))
        #expect(!list.matches("127.0.0.2"))
        #expect(list.matches("10.200.3.4"))
        #expect(!list.matches("11.0.0.1"))
        #expect(list.matches("169.254.169.254"))
        #expect(list.matches("fd12:3456::1"))
        #expect(list.matches("[fd12:3456::1]"))
        #expect(!list.matches("fe80::1"))
        #expect(list.matches("::1"))
        #expect(NoProxy("192.168.1.0/23").matches("192.168.0.77"))
        #expect(!NoProxy("192.168.1.0/24").matches("192.168.0.77"))
        #expect(NoProxy("0.0.0.0/0").matches("8.8.8.8"))
        #expect(!NoProxy("0.0.0.0/0").matches("::1"), "an IPv4 network holds no IPv6 address")
    }

    @Test("a request's proxy follows its scheme, unless no_proxy names its host")
    func choice() throws {
        let proxy = try OutboundProxy(environment: [
            "https_proxy": "http://secure:3128", "http_proxy": "http://plain:8080", "no_proxy": "localhost",
        ])
        #expect(proxy.server(for: try #require(URL(string: "https://login.microsoftonline.com/x"))) == server("secure", 3128))
        #expect(proxy.server(for: try #require(URL(string: "http://169.254.169.254/metadata"))) == server("plain", 8080))
        #expect(proxy.server(for: try #require(URL(string: "http://localhost:8081/msi/token"))) == nil)
        #expect(OutboundProxy.none.server(for: try #require(URL(string: "https://login.microsoftonline.com/x"))) == nil)
        #expect(
            proxy.summary
                == "Outbound HTTPS goes through http://secure:3128, HTTP through http://plain:8080, except the hosts no_proxy names"
        )
        #expect(OutboundProxy.none.summary == nil)
    }
}
