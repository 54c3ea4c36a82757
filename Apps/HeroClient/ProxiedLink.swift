import Foundation
import HTTPTypes

/// Rewrites the Heroes API's `Link: <...>; rel="next"` header (RFC 8288) for the proxy's
/// callers: the next page of the collection the proxy called becomes the same page under the
/// proxy's own `/api/heroes/`, so a client paging through the proxy stays on the proxy (and
/// keeps getting the token added). Any other link, or one that leads elsewhere, is dropped.
enum ProxiedLink {
    /// `Link` (RFC 8288 §3).
    static let name = HTTPField.Name("Link")!

    /// The proxy's `Link` value for the API's `value`, which answered a request to `upstream`;
    /// nil when it holds no `rel="next"` link to that same collection.
    static func rewrite(_ value: String, upstream: URL) -> String? {
        for link in links(in: value) where link.relations.contains("next") {
            // RFC 8288 §3.1: a relative target is resolved against the request's URL.
            guard let target = URL(string: link.target, relativeTo: upstream)?.absoluteURL,
                target.scheme == upstream.scheme, target.host == upstream.host, target.port == upstream.port,
                target.path == upstream.path || target.path + "/" == upstream.path
            else { continue }
            let query = target.query.map { "?\($0)" } ?? ""
            return "</api/heroes/\(query)>; rel=\"next\""
        }
        return nil
    }

    /// The link-values of a `Link` field: each target with its `rel` tokens, lowercased.
    static func links(in value: String) -> [(target: String, relations: [String])] {
        var links: [(target: String, relations: [String])] = []
        var rest = Substring(value)
        while let open = rest.firstIndex(of: "<"), let close = rest[open...].firstIndex(of: ">") {
            let target = String(rest[rest.index(after: open)..<close])
            var parameters = rest[rest.index(after: close)...]
            // The parameters end at the next comma outside a quoted string.
            var inQuotes = false
            var end = parameters.endIndex
            for index in parameters.indices {
                if parameters[index] == "\"" { inQuotes.toggle() }
                if parameters[index] == ",", !inQuotes {
                    end = index
                    break
                }
            }
            rest = end == parameters.endIndex ? "" : parameters[parameters.index(after: end)...]
            parameters = parameters[..<end]
            var relations: [String] = []
            for parameter in parameters.split(separator: ";") {
                let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard pair.count == 2, pair[0].lowercased() == "rel" else { continue }
                relations = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")).lowercased().split(separator: " ").map(
                    String.init
                )
                break
            }
            links.append((target, relations))
        }
        return links
    }
}
