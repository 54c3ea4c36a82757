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
        // Offsets into the header's contiguous UTF-8, in one pass over the token: walking the
        // generic UTF8View, or the token once per check, cost more than the rest of this
        // function (perf).
        var header = value
        let parsed = header.withUTF8 { bytes -> Result<Range<Int>?, BearerChallenge> in
            let end = bytes.endIndex
            var index = skipSpaces(bytes, from: bytes.startIndex)
            let schemeStart = index
            while index < end, bytes[index] != space { index += 1 }
            guard isBearer(bytes[schemeStart..<index]) else { return .success(nil) }
            let tokenStart = skipSpaces(bytes, from: index)
            guard tokenStart < end else {
                return .failure(.invalidRequest("The Bearer credential is empty"))
            }
            // b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=" (RFC 6750 §2.1).
            index = tokenStart
            while index < end, isB64Character(bytes[index]) { index += 1 }
            let bodyEnd = index
            while index < end, bytes[index] == equals { index += 1 }
            // The token ends at the first space; only spaces may follow it.
            let tokenEnd = index < end && bytes[index] != space ? (bytes[index...].firstIndex(of: space) ?? end) : index
            guard skipSpaces(bytes, from: tokenEnd) == end else {
                return .failure(.invalidRequest("The Authorization header must hold exactly one Bearer credential"))
            }
            guard tokenStart < bodyEnd, index == tokenEnd else {
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
    private static let equals = UInt8(ascii: "=")

    /// The first index at or after `index` that does not hold a space.
    private static func skipSpaces(_ bytes: UnsafeBufferPointer<UInt8>, from index: Int) -> Int {
        var index = index
        while index < bytes.endIndex, bytes[index] == space { index += 1 }
        return index
    }

    /// Whether `scheme` is "Bearer" in any letter case.
    private static func isBearer(_ scheme: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        let bearer: StaticString = "bearer"
        return scheme.count == bearer.utf8CodeUnitCount
            && bearer.withUTF8Buffer { lowercase in zip(scheme, lowercase).allSatisfy { $0 | 0x20 == $1 } }
    }

    /// Whether `byte` is one of b64token's characters before its padding: ALPHA / DIGIT / "-" /
    /// "." / "_" / "~" / "+" / "/". A bit per ASCII character, in two 64-bit words: one test per
    /// byte of a kilobyte-long token, where a `switch` over the ranges took three times as long.
    @inline(__always)
    private static func isB64Character(_ byte: UInt8) -> Bool {
        // Bytes 0–63: "+" (43), "-" "." "/" (45–47), "0"–"9" (48–57).
        let low: UInt64 = 1 << 43 | 0b111 << 45 | 0x3FF << 48
        // Bytes 64–127: "A"–"Z" (65–90), "_" (95), "a"–"z" (97–122), "~" (126).
        let high: UInt64 = 0x3FF_FFFF << 1 | 1 << 31 | 0x3FF_FFFF << 33 | 1 << 62
        let word = byte < 64 ? low : byte < 128 ? high : 0
        return word >> (byte & 63) & 1 == 1
    }
}
