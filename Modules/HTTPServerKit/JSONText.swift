import NIOCore

/// JSON written by hand as UTF-8 bytes, byte for byte as `JSONEncoder` with `.sortedKeys` and
/// `.withoutEscapingSlashes` writes it, for the bodies many requests pay for (a hero, a problem
/// document): the encoder's boxes, dictionaries and key sorting cost tens of thousands of
/// instructions a body, and so did `ByteBuffer`'s checks on each of a hero's forty small
/// writes (callgrind). The caller writes the keys, in sorted order, as literals. Tests hold
/// each writer that uses this to the encoder's output.
public struct JSONText {
    /// The text so far.
    public private(set) var bytes: [UInt8] = []

    /// Empty text with room for `capacity` bytes.
    public init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    /// Appends `literal` as it is: punctuation and keys, e.g. `,"name":`.
    public mutating func append(_ literal: StaticString) {
        literal.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends `number` in decimal, its digits written last first into a buffer on the stack:
    /// `String(number)` cost about 380 instructions a number (callgrind), four a hero.
    public mutating func append(_ number: Int) {
        var magnitude = number.magnitude
        // UInt.max has 20 digits; Int.min's magnitude 19.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = digits.count
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if number < 0 { bytes.append(UInt8(ascii: "-")) }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }

    /// Appends `text` as a JSON string, or `null`.
    public mutating func append(string text: String?) {
        guard var text else {
            append("null")
            return
        }
        text.withUTF8 { appendString($0) }
    }

    /// Appends a member: `prefix` as it is (the punctuation before the value and the quoted
    /// key, e.g. `,"name":`), then `text` as a JSON string, or `null`.
    public mutating func append(_ prefix: StaticString, string text: String?) {
        append(prefix)
        append(string: text)
    }

    /// Appends a member: `prefix` as it is, then `number` in decimal.
    public mutating func append(_ prefix: StaticString, _ number: Int) {
        append(prefix)
        append(number)
    }

    /// The text, as a response body.
    public var byteBuffer: ByteBuffer { ByteBuffer(bytes: bytes) }

    /// A JSON string as `JSONEncoder` escapes it: `"` and `\`, and the control characters
    /// U+0000 to U+001F (`\b`, `\f`, `\n`, `\r`, `\t` by name, the others as `\u00XX` in
    /// lower-case hex); everything else, `/` and non-ASCII included, as its UTF-8 bytes.
    /// Runs of bytes that need no escape are copied at once.
    private mutating func appendString(_ utf8: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        for (offset, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<offset]))
            appendEscape(byte)
            runStart = offset + 1
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func appendEscape(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): append("\\\"")
        case UInt8(ascii: "\\"): append("\\\\")
        case 0x08: append("\\b")
        case 0x0C: append("\\f")
        case 0x0A: append("\\n")
        case 0x0D: append("\\r")
        case 0x09: append("\\t")
        default:
            let hex: StaticString = "0123456789abcdef"
            append("\\u00")
            hex.withUTF8Buffer { digits in
                bytes.append(digits[Int(byte >> 4)])
                bytes.append(digits[Int(byte & 0x0F)])
            }
        }
    }
}
