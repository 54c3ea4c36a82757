import Foundation

/// Rules for the URLs of an authority (issuer, endpoints, keys).
public enum AuthorityURL {
    /// Checks that `url` is absolute https, or plain http on a loopback host only (a local
    /// development authority): tokens and keys must never travel in the clear over a network.
    /// Returns the reason it is refused, or nil when it is acceptable.
    public static func problem(with url: URL) -> String? {
        guard let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            return "'\(url.absoluteString)' is not an absolute URL"
        }
        switch scheme {
        case "https":
            return nil
        case "http" where isLoopback(host):
            return nil
        case "http":
            return "'\(url.absoluteString)' uses plain http on a host that is not loopback; use https"
        default:
            return "'\(url.absoluteString)' is not an http(s) URL"
        }
    }

    /// `localhost`, `127.0.0.0/8` or `::1`.
    public static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if host == "localhost" || host == "::1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    /// `url` without trailing slashes: the one spelling of a base URL that paths are appended to.
    public static func trimmingTrailingSlashes(_ url: String) -> String {
        var url = Substring(url)
        while url.hasSuffix("/") { url = url.dropLast() }
        return String(url)
    }
}
