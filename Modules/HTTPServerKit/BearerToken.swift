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
    ///
    /// Every request pays for this, and a token is over a kilobyte: so it walks the header's
    /// UTF-8 bytes once, never its `Character`s (grapheme breaking costs microseconds there).
    public static func extract(from fields: HTTPFields) throws(BearerChallenge) -> Substring? {
        var values = fields[values: .authorization].makeIterator()
        guard let value = values.next() else { return nil }
        guard values.next() == nil else {
            throw .invalidRequest("The request has more than one Authorization header")
        }

        // credentials = auth-scheme [ 1*SP token68 ]; the scheme is case-insensitive (RFC 9110 §11.1).
        // Offsets into the header's contiguous UTF-8: walking the generic UTF8View cost more
        // than the rest of this function (perf).
        var header = value
        let parsed = header.withUTF8 { bytes -> Result<Range<Int>?, BearerChallenge> in
            let schemeStart = bytes.firstIndex { $0 != space } ?? bytes.endIndex
            let schemeEnd = bytes[schemeStart...].firstIndex(of: space) ?? bytes.endIndex
            guard isBearer(bytes[schemeStart..<schemeEnd]) else { return .success(nil) }
            let tokenStart = bytes[schemeEnd...].firstIndex { $0 != space } ?? bytes.endIndex
            let tokenEnd = bytes[tokenStart...].firstIndex(of: space) ?? bytes.endIndex
            guard tokenStart < tokenEnd else {
                return .failure(.invalidRequest("The Bearer credential is empty"))
            }
            guard bytes[tokenEnd...].allSatisfy({ $0 == space }) else {
                return .failure(.invalidRequest("The Authorization header must hold exactly one Bearer credential"))
            }
            guard isB64Token(bytes[tokenStart..<tokenEnd]) else {
                return .failure(.invalidRequest("The Bearer credential has characters a token cannot have"))
            }
            return .success(tokenStart..<tokenEnd)
        }
        guard let token = try parsed.get() else { return nil }
        let utf8 = header.utf8
        let start = utf8.index(utf8.startIndex, offsetBy: token.lowerBound)
        return Substring(utf8[start..<utf8.index(start, offsetBy: token.count)])
    }

    private static let space = UInt8(ascii: " ")

    /// Whether `scheme` is "Bearer" in any letter case.
    private static func isBearer(_ scheme: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        scheme.count == 6 && zip(scheme, "bearer".utf8).allSatisfy { $0 | 0x20 == $1 }
    }

    /// b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=" (RFC 6750 §2.1).
    private static func isB64Token(_ token: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        let body = token[..<(token.lastIndex { $0 != UInt8(ascii: "=") }.map { token.index(after: $0) } ?? token.startIndex)]
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
