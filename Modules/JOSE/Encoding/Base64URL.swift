/// Strict base64url (RFC 4648 §5) without padding, as JOSE requires (RFC 7515 §2).
///
/// This is an encoding, not cryptography, so it lives here rather than in swift-crypto.
/// Decoding is deliberately unforgiving: no `=` padding, no `+` or `/`, no whitespace,
/// no impossible lengths and no non-zero trailing bits, so that every value has
/// exactly one accepted spelling.
public enum Base64URL {
    /// Encodes bytes as unpadded base64url.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.underestimatedCount * 4 / 3 + 3)
        var buffer: UInt32 = 0
        var bufferedBits = 0
        for byte in bytes {
            buffer = (buffer << 8) | UInt32(byte)
            bufferedBits += 8
            while bufferedBits >= 6 {
                bufferedBits -= 6
                output.append(alphabet[Int((buffer >> UInt32(bufferedBits)) & 0x3F)])
            }
        }
        if bufferedBits > 0 {
            output.append(alphabet[Int((buffer << UInt32(6 - bufferedBits)) & 0x3F)])
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes unpadded base64url text, or returns `nil` if it is not in canonical form.
    public static func decode(_ text: String) -> [UInt8]? {
        var text = text
        return text.withUTF8 { decode($0) }
    }

    /// Decodes unpadded base64url bytes (ASCII), or returns `nil` if they are not in canonical form.
    public static func decode(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let count = input.count
        // A single leftover character would carry only 6 bits: never a whole octet.
        if count % 4 == 1 { return nil }
        let outputCount = count / 4 * 3 + max(0, count % 4 - 1)
        return decodingTable.withUnsafeBufferPointer { table in
            var valid = true
            let output = [UInt8](unsafeUninitializedCapacity: outputCount) { out, initialized in
                valid = decode(input, into: out, table: table)
                initialized = outputCount
            }
            return valid ? output : nil
        }
    }

    /// Decodes `input` into `out` (exactly sized); returns false on any non-canonical input.
    /// `out` is fully written either way, so the caller's buffer is always initialized.
    private static func decode(
        _ input: UnsafeBufferPointer<UInt8>,
        into out: UnsafeMutableBufferPointer<UInt8>,
        table: UnsafeBufferPointer<UInt8>
    ) -> Bool {
        let count = input.count
        var inIndex = 0
        var outIndex = 0
        var invalid: UInt8 = 0  // accumulates the 0x80 "not in alphabet" marker
        // Whole quanta: 4 characters -> 3 octets.
        while inIndex + 4 <= count {
            let a = table[Int(input[inIndex])]
            let b = table[Int(input[inIndex + 1])]
            let c = table[Int(input[inIndex + 2])]
            let d = table[Int(input[inIndex + 3])]
            invalid |= a | b | c | d
            let quantum = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
            out[outIndex] = UInt8(truncatingIfNeeded: quantum >> 16)
            out[outIndex + 1] = UInt8(truncatingIfNeeded: quantum >> 8)
            out[outIndex + 2] = UInt8(truncatingIfNeeded: quantum)
            inIndex += 4
            outIndex += 3
        }
        switch count - inIndex {
        case 2:
            let a = table[Int(input[inIndex])]
            let b = table[Int(input[inIndex + 1])]
            invalid |= a | b
            // RFC 4648 §3.5: the unused low bits must be zero (canonical encoding).
            if b & 0x0F != 0 { invalid |= 0x80 }
            out[outIndex] = a << 2 | (b & 0x3F) >> 4
        case 3:
            let a = table[Int(input[inIndex])]
            let b = table[Int(input[inIndex + 1])]
            let c = table[Int(input[inIndex + 2])]
            invalid |= a | b | c
            if c & 0x03 != 0 { invalid |= 0x80 }
            out[outIndex] = a << 2 | (b & 0x3F) >> 4
            out[outIndex + 1] = (b & 0x0F) << 4 | (c & 0x3F) >> 2
        default:
            break
        }
        return invalid & 0x80 == 0
    }

    private static let alphabet: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8
    )

    /// Maps an ASCII byte to its 6-bit value, or 0x80 for anything outside the base64url alphabet.
    private static let decodingTable: [UInt8] = {
        var table = [UInt8](repeating: 0x80, count: 256)
        for (value, character) in alphabet.enumerated() {
            table[Int(character)] = UInt8(value)
        }
        return table
    }()
}
