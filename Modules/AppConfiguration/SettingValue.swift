import Foundation
import HTTPKitNIO
import OIDCCore

/// The checks every app applies to its settings, written once: each returns the value in its
/// one accepted spelling or throws a ``ConfigurationError`` naming the setting.
public enum SettingValue {
    /// A TCP port, 0 to 65535 (0: any free port).
    public static func port(_ text: String, setting: String) throws(ConfigurationError) -> Int {
        guard let port = Int(text), (0...65_535).contains(port) else {
            throw ConfigurationError(setting, "must be a port number from 0 to 65535, not '\(text)'")
        }
        return port
    }

    /// A whole number within `range` (seconds of a timeout, a count of connections).
    public static func count(_ text: String, setting: String, range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        guard let number = Int(text), range.contains(number) else {
            throw ConfigurationError(setting, "must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(text)'")
        }
        return number
    }

    /// A GUID (tenant and app ids), lowercased as Entra writes them in tokens.
    public static func guid(_ text: String, setting: String) throws(ConfigurationError) -> String {
        guard UUID(uuidString: text) != nil else { throw ConfigurationError(setting, "must be a GUID, not '\(text)'") }
        return text.lowercased()
    }

    /// An authority host or issuer URL: https, or http on loopback only (``AuthorityURL``).
    /// Returned as written: an issuer is compared exactly (OpenID Connect Discovery §4.3), and
    /// ``EntraAuthority`` drops a host's trailing slashes itself.
    public static func authorityURL(_ text: String, setting: String) throws(ConfigurationError) -> String {
        guard let url = URL(string: text) else { throw ConfigurationError(setting, "must be a URL, not '\(text)'") }
        if let problem = AuthorityURL.problem(with: url) { throw ConfigurationError(setting, problem) }
        return text
    }

    /// An absolute URL with a host, returned without trailing slashes.
    public static func absoluteURL(_ text: String, setting: String) throws(ConfigurationError) -> URL {
        guard let url = URL(string: AuthorityURL.trimmingTrailingSlashes(text)), url.host != nil else {
            throw ConfigurationError(setting, "must be an absolute URL")
        }
        return url
    }

    /// A PEM file of extra CAs for outbound HTTPS, read and checked now; nil when unset or empty.
    public static func caFile(_ text: String?, setting: String) throws(ConfigurationError) -> ExtraTrustRoots? {
        guard let text, !text.isEmpty else { return nil }
        do {
            return try ExtraTrustRoots(pemFile: text)
        } catch {
            throw ConfigurationError(setting, "'\(text)' \(error.problem)")
        }
    }

    /// The outbound proxy from curl's variables in a process environment (``OutboundProxy``);
    /// a proxy the SwiftNIO client cannot use throws naming its variable, never its value.
    public static func outboundProxy(environment: [String: String]) throws(ConfigurationError) -> OutboundProxy {
        do {
            return try OutboundProxy(environment: environment)
        } catch {
            throw ConfigurationError(error.variable, error.problem)
        }
    }
}
