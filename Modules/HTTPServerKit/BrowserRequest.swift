import HTTPTypes

/// Tells a request a web browser sent from one of a command-line client (curl, scripts).
/// A browser marks its requests in ways a web page cannot remove: `Sec-Fetch-*` (Fetch
/// Metadata, sent to https and loopback origins), `Origin` on cross-origin and unsafe
/// requests, `Cookie` when it holds any for the host, and a `User-Agent` starting with
/// `Mozilla/` (every current browser; pages cannot change it). curl and the like send none.
public enum BrowserRequest {
    /// Whether `fields` carry any mark of a browser.
    public static func isBrowser(_ fields: HTTPFields) -> Bool {
        if fields[.origin] != nil || fields[.cookie] != nil { return true }
        if fields.contains(where: { $0.name.canonicalName.hasPrefix("sec-fetch-") }) { return true }
        return fields[.userAgent]?.hasPrefix("Mozilla/") == true
    }
}
