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
            if let token = wellFormedToken(in: bytes, from: tokenStart) { return .success(token) }
            return .failure(malformation(in: bytes, from: tokenStart))
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

    /// The token starting at `start` if the rest of the header is exactly a b64token and
    /// optional spaces: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
    /// (RFC 6750 §2.1). A token is over a kilobyte, so it is checked eight bytes at a time
    /// while they all are token characters, then byte by byte; why a header fails is worked
    /// out by ``malformation(in:from:)``.
    private static func wellFormedToken(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Range<Int>? {
        var index = start
        if let base = UnsafeRawPointer(bytes.baseAddress) {
            while index + 8 <= bytes.endIndex, areTokenCharacters(base.loadUnaligned(fromByteOffset: index, as: UInt64.self)) {
                index += 8
            }
        }
        while index < bytes.endIndex, isTokenCharacter(bytes[index]) { index += 1 }
        guard index > start else { return nil }
        while index < bytes.endIndex, bytes[index] == UInt8(ascii: "=") { index += 1 }
        let end = index
        while index < bytes.endIndex, bytes[index] == space { index += 1 }
        return index == bytes.endIndex ? start..<end : nil
    }

    /// Why the credential starting at `start` is not one b64token. The header is split at
    /// spaces first, so a second credential is named before a bad character in the first.
    private static func malformation(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> BearerChallenge {
        let end = bytes[start...].firstIndex(of: space) ?? bytes.endIndex
        guard start < end else { return .invalidRequest("The Bearer credential is empty") }
        guard bytes[end...].allSatisfy({ $0 == space }) else {
            return .invalidRequest("The Authorization header must hold exactly one Bearer credential")
        }
        return .invalidRequest("The Bearer credential has characters a token cannot have")
    }

    /// Whether all eight bytes of `word` are b64token characters before its padding: letters,
    /// digits and `+ - . / _ ~`. SWAR (SIMD within a register): each test below leaves its
    /// answer in the high bit of every byte. Swift's `SIMD16` comparisons compile to a loop
    /// over the lanes here, slower than the byte loop they were to replace.
    @inline(__always)
    private static func areTokenCharacters(_ word: UInt64) -> Bool {
        guard word & highBits == 0 else { return false }  // a byte of non-ASCII UTF-8
        // `| 0x20` lowers A–Z onto a–z and moves no other byte into a–z.
        let letters = bytes(of: word | lanes(0x20), within: UInt8(ascii: "a")...UInt8(ascii: "z"))
        // "+" (43) to "9" (57) is "+ , - . /" and the digits: all but the comma.
        let digitsAndSigns = bytes(of: word, within: UInt8(ascii: "+")...UInt8(ascii: "9")) & ~bytes(of: word, equalTo: UInt8(ascii: ","))
        let others = bytes(of: word, equalTo: UInt8(ascii: "_")) | bytes(of: word, equalTo: UInt8(ascii: "~"))
        return letters | digitsAndSigns | others == highBits
    }

    /// Whether `byte` is a b64token character before its padding: the eight-byte test, with
    /// `byte` in the lowest byte and letters in the others, so the set is defined once.
    @inline(__always)
    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        areTokenCharacters(lanes(UInt8(ascii: "a")) & ~0xFF | UInt64(byte))
    }

    /// The high bit of each byte of `word` (all below 0x80) that lies in `range`. Adding
    /// `0x80 - lower` sets a byte's high bit when it is at least `lower`, adding `0x7F - upper`
    /// when it is above `upper`; neither sum carries into the next byte.
    @inline(__always)
    private static func bytes(of word: UInt64, within range: ClosedRange<UInt8>) -> UInt64 {
        let atLeastLower = word &+ lanes(0x80 - range.lowerBound)
        let aboveUpper = word &+ lanes(0x7F - range.upperBound)
        return atLeastLower & ~aboveUpper & highBits
    }

    /// The high bit of each byte of `word` (all below 0x80) that is `byte`.
    @inline(__always)
    private static func bytes(of word: UInt64, equalTo byte: UInt8) -> UInt64 {
        bytes(of: word, within: byte...byte)
    }

    /// `byte` in each of the eight bytes of a word.
    @inline(__always)
    private static func lanes(_ byte: UInt8) -> UInt64 { 0x0101_0101_0101_0101 &* UInt64(byte) }

    private static let highBits: UInt64 = 0x8080_8080_8080_8080
}
