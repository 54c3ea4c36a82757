extension JSONParser {
    // MARK: Strings (RFC 8259 §7): the fast path for plain ASCII, escapes, UTF-16 surrogates

    mutating func parseString() throws(Failure) -> String {
        index += 1  // opening quote
        let start = index
        var highBits: UInt8 = 0
        // Fast path: no escapes, so the bytes between the quotes are the string.
        while index < bytes.count {
            index = Self.endOfPlainASCII(in: bytes, from: index)
            guard index < bytes.count else { break }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<index])
                index += 1
                return try Self.string(slice, isASCII: highBits & 0x80 == 0)
            }
            if byte == UInt8(ascii: "\\") { break }
            // RFC 8259 §7: control characters must be escaped.
            guard byte >= 0x20 else { throw .malformed }
            highBits |= byte
            index += 1
        }
        var unescaped = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return try unescaped.withUnsafeBufferPointer { buffer throws(Failure) in
                    try Self.string(buffer, isASCII: false)
                }
            case UInt8(ascii: "\\"):
                try appendEscape(to: &unescaped)
            case 0..<0x20:
                throw .malformed
            default:
                unescaped.append(byte)
            }
        }
        throw .malformed
    }

    /// The index of the first byte at or after `start` that a string scan must look at:
    /// a quote, a backslash, a control character or a non-ASCII byte (or the end).
    ///
    /// Claims are mostly string content, so this checks eight bytes at a time with the
    /// "has a zero byte" trick (SWAR); the lowest flagged byte is always exact.
    static func endOfPlainASCII(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard let base = bytes.baseAddress else { return start }
        let raw = UnsafeRawPointer(base)
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        var index = start
        while index + 8 <= bytes.count {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            let quotes = word ^ (ones &* 0x22)
            let backslashes = word ^ (ones &* 0x5C)
            let flagged =
                ((quotes &- ones) & ~quotes)  // a byte equal to "\""
                | ((backslashes &- ones) & ~backslashes)  // a byte equal to "\\"
                | ((word &- ones &* 0x20) & ~word)  // a byte below 0x20
                | word  // a byte with its high bit set
            let special = flagged & highs
            if special != 0 { return index + special.trailingZeroBitCount / 8 }
            index += 8
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80 { return index }
            index += 1
        }
        return index
    }

    /// Makes a String from UTF-8, refusing (not repairing) ill-formed input (RFC 8259 §8.1).
    static func string(_ utf8: UnsafeBufferPointer<UInt8>, isASCII: Bool) throws(Failure) -> String {
        // String(decoding:) is the fast, specialised path; it repairs rather than rejects,
        // so non-ASCII input is accepted only if the repair changed nothing.
        let string = String(decoding: utf8, as: UTF8.self)
        if !isASCII {
            guard string.utf8.elementsEqual(utf8) else { throw .malformed }
        }
        return string
    }

    private mutating func appendEscape(to output: inout [UInt8]) throws(Failure) {
        guard let byte = peek() else { throw .malformed }
        index += 1
        switch byte {
        case UInt8(ascii: "\""): output.append(0x22)
        case UInt8(ascii: "\\"): output.append(0x5C)
        case UInt8(ascii: "/"): output.append(0x2F)
        case UInt8(ascii: "b"): output.append(0x08)
        case UInt8(ascii: "f"): output.append(0x0C)
        case UInt8(ascii: "n"): output.append(0x0A)
        case UInt8(ascii: "r"): output.append(0x0D)
        case UInt8(ascii: "t"): output.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try parseHex4()
            if (0xD800..<0xDC00).contains(scalar) {
                // A high surrogate must be followed by an escaped low surrogate.
                try expect("\\u")
                let low = try parseHex4()
                guard (0xDC00..<0xE000).contains(low) else { throw .malformed }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw .malformed }  // lone low surrogate
            output.append(contentsOf: String(Character(unicode)).utf8)
        default:
            throw .malformed
        }
    }

    private mutating func parseHex4() throws(Failure) -> UInt32 {
        guard index + 4 <= bytes.count else { throw .malformed }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw .malformed
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }
}
