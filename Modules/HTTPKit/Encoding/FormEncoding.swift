/// `application/x-www-form-urlencoded` bodies (the token endpoint's format) and URL query
/// strings, as ordered name-value pairs.
///
/// Encoding follows the WHATWG URL standard's form serializer: unreserved ASCII stays, space
/// becomes `+` in forms and `%20` in queries, every other byte of the UTF-8 is percent-encoded.
public enum FormEncoding {
    /// Encodes pairs as a form body: `grant_type=authorization_code&code=...`.
    public static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { "\(escape($0.0, spaceAsPlus: true))=\(escape($0.1, spaceAsPlus: true))" }.joined(separator: "&")
    }

    /// Encodes pairs as a URL query (without the `?`); spaces become `%20`.
    public static func encodeQuery(_ pairs: [(String, String)]) -> String {
        pairs.map { "\(escape($0.0, spaceAsPlus: false))=\(escape($0.1, spaceAsPlus: false))" }.joined(separator: "&")
    }

    /// Decodes a form body or query string into pairs, in order; `+` is a space. Returns nil
    /// when a percent escape is malformed or the bytes are not UTF-8.
    public static func decode(_ text: some StringProtocol) -> [(String, String)]? {
        var pairs: [(String, String)] = []
        for part in text.split(separator: "&", omittingEmptySubsequences: true) {
            let halves = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = unescape(halves[0]), let value = unescape(halves.count > 1 ? halves[1] : "") else {
                return nil
            }
            pairs.append((name, value))
        }
        return pairs
    }

    /// One form-encoded component (as in HTTP Basic client credentials, RFC 6749 §2.3.1).
    public static func encodeComponent(_ text: String) -> String {
        escape(text, spaceAsPlus: true)
    }

    /// Decodes one form-encoded component; nil for a malformed escape or invalid UTF-8.
    public static func decodeComponent(_ text: some StringProtocol) -> String? {
        unescape(text)
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    private static func escape(_ text: String, spaceAsPlus: Bool) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) {
                bytes.append(byte)
            } else if byte == UInt8(ascii: " "), spaceAsPlus {
                bytes.append(UInt8(ascii: "+"))
            } else {
                bytes += [UInt8(ascii: "%"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func unescape(_ text: some StringProtocol) -> String? {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    return nil
                }
                bytes.append(high << 4 | low)
            default:
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
