#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The identifier of a stored hero: a UUID the store assigns, written as a lowercase string.
///
/// The original Python demo used `str(uuid4())`, which is lowercase; Foundation's `UUID`
/// prints uppercase. Wrapping it keeps the wire format the seed's clients expect in one place.
public struct HeroID: Hashable, Sendable {
    /// The UUID behind the identifier.
    public let uuid: UUID

    /// Wraps an existing UUID.
    public init(_ uuid: UUID) {
        self.uuid = uuid
    }

    /// A new random (version 4) identifier.
    public static func random() -> HeroID {
        HeroID(UUID())
    }
}

extension HeroID: LosslessStringConvertible {
    /// Parses a UUID string in its 36-character form (`8-4-4-4-12` hex digits, either case);
    /// returns nil for anything else.
    ///
    /// By hand rather than through `UUID(uuidString:)`, which on Linux goes through C's
    /// `sscanf` (and so also takes a leading space or a sign): every `GET /api/heroes/{id}`
    /// parses an id from its path, and the SQLite store one from its row. `HeroIDTests` holds
    /// this to Foundation's UUID for every string of that form.
    public init?(_ description: String) {
        var text = description
        guard let uuid = text.withUTF8(Self.parse) else { return nil }
        self.init(uuid)
    }

    /// The lowercase UUID string, as the seed wrote ids.
    public var description: String {
        String(unsafeUninitializedCapacity: 36) { text in
            withUnsafeBytes(of: uuid.uuid) { bytes in
                var position = 0
                for (index, byte) in bytes.enumerated() {
                    if Self.hyphen(before: index) {
                        text[position] = UInt8(ascii: "-")
                        position += 1
                    }
                    text[position] = Self.hexDigits[Int(byte >> 4)]
                    text[position + 1] = Self.hexDigits[Int(byte & 0x0F)]
                    position += 2
                }
            }
            return 36
        }
    }

    /// Whether the string form has a hyphen before byte `index`: its groups are 4, 2, 2, 2 and
    /// 6 bytes long.
    private static func hyphen(before index: Int) -> Bool {
        index == 4 || index == 6 || index == 8 || index == 10
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// The UUID written in `text`, or nil.
    private static func parse(_ text: UnsafeBufferPointer<UInt8>) -> UUID? {
        guard text.count == 36 else { return nil }
        var uuid: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let parsed = withUnsafeMutableBytes(of: &uuid) { bytes in
            var position = 0
            for index in 0..<16 {
                if hyphen(before: index) {
                    guard text[position] == UInt8(ascii: "-") else { return false }
                    position += 1
                }
                guard let high = hexValue(text[position]), let low = hexValue(text[position + 1]) else { return false }
                bytes[index] = high << 4 | low
                position += 2
            }
            return true
        }
        return parsed ? UUID(uuid: uuid) : nil
    }

    private static func hexValue(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension HeroID: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let string = try container.decode(String.self)
        guard let id = HeroID(string) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "A hero id must be a UUID string."
            )
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
