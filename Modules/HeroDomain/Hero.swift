/// A stored hero: the fields of the original demo's `Hero` model plus the id the store assigned.
///
/// JSON keys are the seed's (`class_`, `hit_points`, ...), so clients written for the Python
/// demo read and write the same documents.
public struct Hero: Hashable, Sendable, Codable, Identifiable {
    /// Assigned by the store when the hero is created; never taken from a client.
    public let id: HeroID
    /// Everything a client may set.
    public var details: HeroInput

    /// Joins an id and the validated details.
    public init(id: HeroID, details: HeroInput) {
        self.id = id
        self.details = details
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: IDKey.self)
        self.id = try container.decode(HeroID.self, forKey: .id)
        self.details = try HeroInput(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        // `id` first, as the seed's responses had it; the details share the same object.
        var container = encoder.container(keyedBy: IDKey.self)
        try container.encode(id, forKey: .id)
        try details.encode(to: encoder)
    }

    private enum IDKey: String, CodingKey {
        case id
    }
}
