import Foundation

/// Which outbound requests go through a proxy, read from the variables curl reads, so a server
/// moved off URLSession (libcurl) keeps the proxy its environment names:
/// - `https_proxy` or `HTTPS_PROXY` for `https` URLs, `http_proxy` for `http` URLs (curl reads no
///   upper-case `HTTP_PROXY`: a CGI server sets that from a request's `Proxy` header), and
///   `all_proxy` or `ALL_PROXY` for either when its own is unset;
/// - `no_proxy` or `NO_PROXY`: hosts reached directly (see ``NoProxy``).
///
/// The lower-case name wins when both are set, and an empty value is unset, as in curl. A proxy
/// is `http://[user:password@]host[:port]` (the scheme may be left out; the port defaults to
/// 1080, curl's) or `socks5://host[:port]`. async-http-client reaches every target through an
/// HTTP proxy with `CONNECT`, plain `http` ones included, and lets a SOCKS proxy resolve the
/// target's name (curl's `socks5h`; its `socks5` resolves the name first).
public struct OutboundProxy: Sendable, Hashable {
    /// The proxy for `https` URLs.
    public var https: Server?
    /// The proxy for `http` URLs.
    public var http: Server?
    /// The hosts reached without a proxy.
    public var noProxy: NoProxy

    /// No proxy for anything. (`init(environment:)` is in an extension, which keeps the
    /// memberwise initializer.)
    public static let none = OutboundProxy(https: nil, http: nil, noProxy: NoProxy(""))

    /// The proxy a request to `url` goes through, or nil for a direct connection.
    public func server(for url: URL) -> Server? {
        let proxy: Server? =
            switch url.scheme?.lowercased() {
            case "https": https
            case "http": http
            default: nil
            }
        guard let proxy, let host = url.host, !noProxy.matches(host) else { return nil }
        return proxy
    }

    /// One sentence for the start-up log, or nil without a proxy: where each scheme goes, never
    /// the credentials.
    public var summary: String? {
        func name(_ server: Server?) -> String {
            guard let server else { return "directly" }
            let host = server.host.contains(":") ? "[\(server.host)]" : server.host
            return "through \(server.kind == .http ? "http" : "socks5")://\(host):\(server.port)"
        }
        guard https != nil || http != nil else { return nil }
        let bypass = noProxy.isEmpty ? "" : ", except the hosts no_proxy names"
        return "Outbound HTTPS goes \(name(https)), HTTP \(name(http))\(bypass)"
    }

    /// One proxy server.
    public struct Server: Sendable, Hashable {
        /// How the proxy is spoken to.
        public enum Kind: Sendable, Hashable {
            /// An HTTP proxy: `CONNECT` to the target, then the request inside the tunnel.
            case http
            /// A SOCKS version 5 proxy (no authentication).
            case socks5
        }

        /// How the proxy is spoken to.
        public var kind: Kind
        /// Its host name or address.
        public var host: String
        /// Its port.
        public var port: Int
        /// The user name and password of `Proxy-Authorization: Basic`, from the URL. Never logged.
        public var credentials: Credentials?

        /// A user name and password for an HTTP proxy. Its description hides the password.
        public struct Credentials: Sendable, Hashable, CustomStringConvertible {
            public var user: String
            public var password: String

            public init(user: String, password: String) {
                self.user = user
                self.password = password
            }

            public var description: String { "\(user):<password>" }
        }

        /// Creates a server from its parts.
        public init(kind: Kind, host: String, port: Int, credentials: Credentials? = nil) {
            self.kind = kind
            self.host = host
            self.port = port
            self.credentials = credentials
        }

        /// Parses a proxy URL as curl reads it, naming `variable` when it cannot be used. The
        /// message never repeats the value, which may hold a password.
        init(_ text: String, variable: String) throws(OutboundProxyError) {
            let withScheme = text.contains("://") ? text : "http://" + text
            guard let components = URLComponents(string: withScheme), let scheme = components.scheme?.lowercased(),
                let host = components.host, !host.isEmpty
            else {
                throw OutboundProxyError(variable: variable, problem: "is not a proxy URL such as http://proxy.example.com:3128")
            }
            switch scheme {
            case "http": kind = .http
            case "socks5", "socks5h": kind = .socks5
            default:
                throw OutboundProxyError(
                    variable: variable,
                    problem: "has the scheme \(scheme)://; only http:// and socks5:// proxies are supported"
                )
            }
            guard components.path.isEmpty || components.path == "/", components.query == nil, components.fragment == nil else {
                throw OutboundProxyError(variable: variable, problem: "is not a proxy URL: it has a path, a query or a fragment")
            }
            let port = components.port ?? 1080
            guard (1...65_535).contains(port) else { throw OutboundProxyError(variable: variable, problem: "has a port out of range") }
            self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
            self.port = port
            if let user = components.user {
                guard kind == .http else {
                    throw OutboundProxyError(
                        variable: variable,
                        problem: "gives a user for a SOCKS proxy, which this client cannot authenticate to"
                    )
                }
                // URLComponents gives them percent-decoded (`p%40ss` is `p@ss`).
                credentials = Credentials(user: user, password: components.password ?? "")
            }
        }
    }
}

extension OutboundProxy {
    /// Reads the settings from a process environment; throws naming the variable that holds a
    /// proxy this client cannot use.
    public init(environment: [String: String]) throws(OutboundProxyError) {
        /// The first of `names` set to something, with its name.
        func value(_ names: [String]) -> (name: String, value: String)? {
            for name in names {
                if let value = environment[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty { return (name, value) }
            }
            return nil
        }
        /// The proxy the first of `names` that is set gives, else `all_proxy`'s.
        func server(_ names: [String]) throws(OutboundProxyError) -> Server? {
            guard let found = value(names) ?? value(["all_proxy", "ALL_PROXY"]) else { return nil }
            return try Server(found.value, variable: found.name)
        }
        https = try server(["https_proxy", "HTTPS_PROXY"])
        http = try server(["http_proxy"])
        noProxy = NoProxy(value(["no_proxy", "NO_PROXY"])?.value ?? "")
    }
}

/// `NO_PROXY` as curl reads it: names and addresses separated by commas (or spaces).
/// - `*` alone: no request goes through a proxy.
/// - A name matches itself and every name beneath it: `example.com` and `.example.com` both
///   match `example.com` and `login.example.com`, never `badexample.com`. Case does not matter.
/// - An IP address matches itself; `10.0.0.0/8` or `fd00::/8` matches the addresses in it.
///
/// Nothing else is implied: as in curl, `localhost` goes through the proxy unless listed.
public struct NoProxy: Sendable, Hashable {
    private let everything: Bool
    private let names: [String]
    private let networks: [Network]

    /// Parses a `NO_PROXY` value; entries it cannot read are names, which match nothing
    /// unexpected.
    public init(_ text: String) {
        let entries = text.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }).map(String.init)
        everything = entries.contains("*")
        var names: [String] = []
        var networks: [Network] = []
        for entry in entries where entry != "*" {
            if let network = Network(entry) {
                networks.append(network)
            } else {
                var name = entry.lowercased()
                while name.hasPrefix(".") { name.removeFirst() }
                while name.hasSuffix(".") { name.removeLast() }
                if !name.isEmpty { names.append(name) }
            }
        }
        self.names = names
        self.networks = networks
    }

    /// True when it names nothing.
    public var isEmpty: Bool { !everything && names.isEmpty && networks.isEmpty }

    /// Whether `host` (a name, or an address as `URL.host` gives it) is reached directly.
    public func matches(_ host: String) -> Bool {
        if everything { return true }
        var host = host.lowercased()
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        while host.hasSuffix(".") { host.removeLast() }
        if let address = Network.address(host) {
            return networks.contains { $0.contains(address) } || names.contains(host)
        }
        return names.contains { host == $0 || host.hasSuffix("." + $0) }
    }

    /// An IP network: an address and how many of its leading bits count.
    private struct Network: Sendable, Hashable {
        let bytes: [UInt8]
        let prefix: Int

        init?(_ entry: String) {
            let parts = entry.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            var text = String(parts[0])
            if text.hasPrefix("[") && text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
            guard let bytes = Self.address(text) else { return nil }
            let bits = bytes.count * 8
            if parts.count == 2 {
                guard let prefix = Int(parts[1]), (0...bits).contains(prefix) else { return nil }
                self.prefix = prefix
            } else {
                prefix = bits
            }
            self.bytes = bytes
        }

        func contains(_ address: [UInt8]) -> Bool {
            guard address.count == bytes.count else { return false }
            var remaining = prefix
            for (mine, theirs) in zip(bytes, address) where remaining > 0 {
                let mask: UInt8 = remaining >= 8 ? 0xFF : ~(0xFF >> UInt8(remaining))
                if mine & mask != theirs & mask { return false }
                remaining -= 8
            }
            return true
        }

        /// The 4 or 16 bytes of an IPv4 or IPv6 address, or nil for a name.
        static func address(_ text: String) -> [UInt8]? {
            var v4 = in_addr()
            if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
            var v6 = in6_addr()
            if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
            return nil
        }
    }
}

/// Why a proxy setting cannot be used. Names the variable, never its value (it may hold a
/// password).
public struct OutboundProxyError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The environment variable.
    public let variable: String
    /// What is wrong, as the end of a sentence.
    public let problem: String

    /// Creates an error.
    public init(variable: String, problem: String) {
        self.variable = variable
        self.problem = problem
    }

    public var description: String { "\(variable) \(problem)" }
}
