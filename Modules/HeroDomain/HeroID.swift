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
    /// Parses a UUID string in either case; returns nil for anything else.
    public init?(_ description: String) {
        guard let uuid = UUID(uuidString: description) else { return nil }
        self.init(uuid)
    }

    /// The lowercase UUID string, as the seed wrote ids.
    public var description: String {
        uuid.uuidString.lowercased()
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
