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

    /// `byteCount` bytes from the system's secure generator, as base64url: unguessable values
    /// for states, nonces, codes and session ids (32 bytes, 256 bits, by default).
    public static func random(byteCount: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        return encode((0..<byteCount).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// Decodes unpadded base64url text, or returns `nil` if it is not in canonical form.
    public static func decode(_ text: String) -> [UInt8]? {
        var text = text
        return text.withUTF8 { decode($0) }
    }

    /// Decodes unpadded base64url bytes (ASCII), or returns `nil` if they are not in canonical form.
    public static func decode(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard let outputCount = decodedCount(ofLength: input.count) else { return nil }
        // Zero-filled rather than `init(unsafeUninitializedCapacity:)`, which is not
        // specialised and looks up generic metadata at run time on every call.
        var output = [UInt8](repeating: 0, count: outputCount)
        let valid = output.withUnsafeMutableBufferPointer { decode(input, into: $0) }
        return valid ? output : nil
    }

    /// How many octets `length` base64url characters decode to, or `nil` for an impossible
    /// length (a single leftover character would carry only 6 bits: never a whole octet).
    static func decodedCount(ofLength length: Int) -> Int? {
        length % 4 == 1 ? nil : length / 4 * 3 + max(0, length % 4 - 1)
    }

    /// Decodes `input` into `out` (exactly ``decodedCount(ofLength:)`` long); returns false on
    /// any non-canonical input. `out` is fully written either way, so it is always initialized.
    ///
    /// Every access token is decoded on every request, so this is the table-per-position
    /// technique (as in modp_b64): each of a quantum's four characters is looked up in a
    /// table that already holds its six bits shifted into place, so a quantum is four
    /// lookups and three ORs. Characters outside the alphabet map to `invalidMarker`, a
    /// bit no valid combination can set, checked once at the end.
    static func decode(_ input: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>) -> Bool {
        let count = input.count
        guard count > 0, let source = input.baseAddress, let target = out.baseAddress else { return true }
        return decodingTables.withUnsafeBufferPointer { tables in
            let table = tables.baseAddress!
            let rawSource = UnsafeRawPointer(source)
            let rawTarget = UnsafeMutableRawPointer(target)
            var errors: UInt32 = 0
            var inIndex = 0
            var outIndex = 0
            // Two quanta at a time, 8 characters -> 6 octets: one 8-byte load, eight lookups
            // and one 8-byte store whose last two bytes the next round overwrites (so stop
            // 8 octets early).
            while inIndex + 8 <= count && outIndex + 8 <= out.count {
                let word = UInt64(littleEndian: rawSource.loadUnaligned(fromByteOffset: inIndex, as: UInt64.self))
                let first =
                    table[Int(word & 0xFF)] | table[256 + Int(word >> 8 & 0xFF)]
                    | table[512 + Int(word >> 16 & 0xFF)] | table[768 + Int(word >> 24 & 0xFF)]
                let second =
                    table[Int(word >> 32 & 0xFF)] | table[256 + Int(word >> 40 & 0xFF)]
                    | table[512 + Int(word >> 48 & 0xFF)] | table[768 + Int(word >> 56)]
                errors |= first | second
                let octets = UInt64(first) << 40 | UInt64(second) << 16
                rawTarget.storeBytes(of: octets.bigEndian, toByteOffset: outIndex, as: UInt64.self)
                inIndex += 8
                outIndex += 6
            }
            // The last whole quanta, an octet at a time.
            while inIndex + 4 <= count {
                let quantum =
                    table[Int(source[inIndex])] | table[256 + Int(source[inIndex + 1])]
                    | table[512 + Int(source[inIndex + 2])] | table[768 + Int(source[inIndex + 3])]
                errors |= quantum
                target[outIndex] = UInt8(truncatingIfNeeded: quantum >> 16)
                target[outIndex + 1] = UInt8(truncatingIfNeeded: quantum >> 8)
                target[outIndex + 2] = UInt8(truncatingIfNeeded: quantum)
                inIndex += 4
                outIndex += 3
            }
            switch count - inIndex {
            case 2:
                let quantum = table[Int(source[inIndex])] | table[256 + Int(source[inIndex + 1])]
                // RFC 4648 §3.5: the unused low bits must be zero (canonical encoding).
                errors |= quantum | (quantum & 0xFFFF == 0 ? 0 : invalidMarker)
                target[outIndex] = UInt8(truncatingIfNeeded: quantum >> 16)
            case 3:
                let quantum =
                    table[Int(source[inIndex])] | table[256 + Int(source[inIndex + 1])]
                    | table[512 + Int(source[inIndex + 2])]
                errors |= quantum | (quantum & 0xFF == 0 ? 0 : invalidMarker)
                target[outIndex] = UInt8(truncatingIfNeeded: quantum >> 16)
                target[outIndex + 1] = UInt8(truncatingIfNeeded: quantum >> 8)
            default:
                break
            }
            return errors & invalidMarker == 0
        }
    }

    private static let alphabet: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8
    )

    /// Set in a table entry for a byte outside the base64url alphabet; above the 24 data bits.
    private static let invalidMarker: UInt32 = 1 << 24

    /// Four tables of 256 entries, one per position in a quantum: a character's 6-bit
    /// value shifted to where it lands in the 24-bit group (18, 12, 6 or 0 bits), or
    /// `invalidMarker` for anything outside the base64url alphabet.
    private static let decodingTables: [UInt32] = {
        var tables = [UInt32](repeating: invalidMarker, count: 4 * 256)
        for (value, character) in alphabet.enumerated() {
            for position in 0..<4 {
                tables[position * 256 + Int(character)] = UInt32(value) << (18 - 6 * position)
            }
        }
        return tables
    }()
}
