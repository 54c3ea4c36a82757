/// Where the next page of a listing starts: just after the hero with this insertion sequence
/// number. Stores number heroes in the order they are created and never reuse a number, so a
/// page that continues "after number N" neither skips nor repeats a hero when others are
/// created or deleted between pages, as an offset would (keyset pagination).
///
/// On the wire it is opaque: 12 base64url characters (RFC 4648 §5) of a version byte (1) and
/// the number as 8 bytes, big-endian. Only the canonical form of a non-negative number parses,
/// so each cursor has exactly one spelling.
public struct HeroCursor: Hashable, Sendable, LosslessStringConvertible {
    /// The insertion sequence number of the last hero of the page before.
    public let sequence: Int64

    /// The number of characters of every cursor.
    public static let length = 12

    /// The version of the format, its first byte.
    static let version: UInt8 = 1

    /// The cursor that continues after the hero numbered `sequence` (0 or more).
    public init?(after sequence: Int64) {
        guard sequence >= 0 else { return nil }
        self.sequence = sequence
    }

    /// Parses a cursor this server wrote; nil for anything else.
    public init?(_ text: String) {
        let characters = Array(text.utf8)
        guard characters.count == Self.length else { return nil }
        var bytes: [UInt8] = []
        for group in stride(from: 0, to: characters.count, by: 4) {
            var bits: UInt32 = 0
            for character in characters[group..<group + 4] {
                guard let value = Self.value(of: character) else { return nil }
                bits = bits << 6 | UInt32(value)
            }
            bytes += [UInt8(truncatingIfNeeded: bits >> 16), UInt8(truncatingIfNeeded: bits >> 8), UInt8(truncatingIfNeeded: bits)]
        }
        guard bytes[0] == Self.version else { return nil }
        let number = bytes[1...].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard number <= UInt64(Int64.max) else { return nil }
        self.sequence = Int64(number)
    }

    /// The 12 characters of the cursor.
    public var description: String {
        var bytes = [Self.version]
        for shift in stride(from: 56, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: UInt64(sequence) >> UInt64(shift)))
        }
        var text = ""
        for group in stride(from: 0, to: bytes.count, by: 3) {
            let bits = UInt32(bytes[group]) << 16 | UInt32(bytes[group + 1]) << 8 | UInt32(bytes[group + 2])
            for shift in [18, 12, 6, 0] {
                text.append(Character(Unicode.Scalar(Self.alphabet[Int(bits >> UInt32(shift) & 0x3F)])))
            }
        }
        return text
    }

    /// The base64url alphabet (RFC 4648 §5, table 2).
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    private static func value(of character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): character - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): character - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0") + 52
        case UInt8(ascii: "-"): 62
        case UInt8(ascii: "_"): 63
        default: nil
        }
    }
}
