import HTTPServerKit
import HTTPTypes
import HeroDomain

/// The query of `GET /api/heroes/` and the `Link` header of its answer.
///
/// `limit` (1 to 1000, default 100) bounds the page; it starts at `offset` (0 or more,
/// default 0, the seed's parameter) or continues after `cursor`, the opaque value of a
/// previous answer's `rel="next"` link. The two starts exclude each other.
enum HeroListQuery {
    /// The path of the collection, as `Location` names heroes: the link is built from this
    /// fixed path, never from the request's `Host` or raw path (a request for `//api/heroes`
    /// would otherwise make `//api/...`, a link to another host).
    static let collectionPath = "/api/heroes/"

    /// The page the query asks for: 422 naming each out-of-range or non-integer `limit` or
    /// `offset`; 400 for a cursor this server did not write, or for `cursor` with `offset`.
    static func page(from query: some Sequence<(key: Substring, value: Substring)>) throws(ProblemDetails) -> Page {
        var limit = Page.first.limit
        var offset: Int?
        var cursorText: Substring?
        var errors: [FieldError] = []
        for (key, value) in query {
            switch key {
            case "limit", "offset":
                guard let number = Int(value) else {
                    errors.append(FieldError(field: String(key), message: "must be an integer"))
                    continue
                }
                if key == "limit" { limit = number } else { offset = number }
            case "cursor":
                cursorText = value
            default:
                continue
            }
        }
        if let cursorText {
            guard let cursor = HeroCursor(String(cursorText)) else {
                throw ProblemDetails(
                    .badRequest,
                    detail: "The cursor is not valid: use the URL of a rel=\"next\" Link header as given",
                    errors: [.init(field: "cursor", message: "is not a cursor this server wrote")]
                )
            }
            guard offset == nil, !errors.contains(where: { $0.field == "offset" }) else {
                throw ProblemDetails(
                    .badRequest,
                    detail: "Give either offset or cursor, not both",
                    errors: [.init(field: "offset", message: "cannot be combined with cursor")]
                )
            }
            guard errors.isEmpty else { throw ProblemDetails(HeroError.invalid(errors)) }
            do {
                return try Page(limit: limit, after: cursor)
            } catch {
                throw ProblemDetails(error)
            }
        }
        guard errors.isEmpty else { throw ProblemDetails(HeroError.invalid(errors)) }
        do {
            return try Page(limit: limit, offset: offset ?? 0)
        } catch {
            throw ProblemDetails(error)
        }
    }

    /// The RFC 8288 `Link` header to the next page, same `limit`, or nil on the last page.
    static func link(after listing: HeroListing, limit: Int) -> HTTPFields {
        guard let next = listing.next else { return [:] }
        // A cursor is base64url, which needs no percent-encoding in a query (RFC 3986 §3.4).
        return [.link: "<\(collectionPath)?limit=\(limit)&cursor=\(next)>; rel=\"next\""]
    }
}

extension HTTPField.Name {
    /// `Link` (RFC 8288 §3).
    static var link: Self { HTTPField.Name("Link")! }
}
