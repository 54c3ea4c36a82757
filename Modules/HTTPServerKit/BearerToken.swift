import HTTPTypes

/// The bearer token of a request, taken from its `Authorization` header only (RFC 6750 §2.1).
///
/// RFC 6750 also allows a form body or an `access_token` query parameter; we never read
/// either: tokens in URLs end up in logs and browser history (RFC 9700 §4.3.2 / RFC 6750 §5.3).
public enum BearerToken {
    /// The token in `fields`, nil when the request carries no bearer credential (no
    /// `Authorization` header, or one with another scheme such as Basic).
    ///
    /// Throws ``BearerChallenge`` with `invalid_request` (answered with 400) when the header is
    /// repeated or its credential is empty, holds several parts or characters a token cannot.
    public static func extract(from fields: HTTPFields) throws(BearerChallenge) -> Substring? {
        var values = fields[values: .authorization].makeIterator()
        guard let value = values.next() else { return nil }
        guard values.next() == nil else {
            throw .invalidRequest("The request has more than one Authorization header")
        }

        // credentials = auth-scheme [ 1*SP token68 ]; the scheme is case-insensitive (RFC 9110 §11.1).
        let trimmed = value.drop { $0 == " " }
        let scheme = trimmed.prefix { $0 != " " }
        guard scheme.lowercased() == "bearer" else { return nil }
        let credential = trimmed.dropFirst(scheme.count).drop { $0 == " " }
        let token = credential.prefix { $0 != " " }
        guard !token.isEmpty else {
            throw .invalidRequest("The Bearer credential is empty")
        }
        guard credential.dropFirst(token.count).allSatisfy({ $0 == " " }) else {
            throw .invalidRequest("The Authorization header must hold exactly one Bearer credential")
        }
        guard isB64Token(token) else {
            throw .invalidRequest("The Bearer credential has characters a token cannot have")
        }
        return token
    }

    /// b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=" (RFC 6750 §2.1).
    private static func isB64Token(_ token: Substring) -> Bool {
        let body = token.utf8.reversed().drop { $0 == UInt8(ascii: "=") }
        return !body.isEmpty
            && body.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                    UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "+"), UInt8(ascii: "/"):
                    true
                default:
                    false
                }
            }
    }
}
