/// What a client sends to create or replace a hero: every field but `id`.
///
/// Decoding ignores an `id` member, as the seed did: the store alone assigns ids. Optional
/// texts may be absent or `null`. Decoding checks only JSON shapes and types; the rules on
/// values live in ``validationErrors()`` so that all violations are reported together.
public struct HeroInput: Hashable, Sendable, Codable {
    /// The hero's name, 1 to 100 characters, not blank. Any script is welcome.
    public var name: String
    /// The hero's race (e.g. "Elf"), 1 to 50 characters.
    public var race: String
    /// The hero's class (e.g. "Wizard"), 1 to 50 characters. JSON key `class_`, as the seed.
    public var heroClass: String
    /// The character level, 1 to 20.
    public var level: Int
    /// Background story, up to 2000 characters; may span lines.
    public var background: String?
    /// Alignment (e.g. "Chaotic Good"), up to 2000 characters on one line.
    public var alignment: String?
    /// Hit points, 0 to 10000.
    public var hitPoints: Int
    /// Armor class, 0 to 50.
    public var armorClass: Int
    /// Speed in feet, 0 to 500.
    public var speed: Int
    /// Personality traits, up to 2000 characters; may span lines.
    public var personalityTraits: String?
    /// Ideals, up to 2000 characters; may span lines.
    public var ideals: String?
    /// Bonds, up to 2000 characters; may span lines.
    public var bonds: String?
    /// Flaws, up to 2000 characters; may span lines.
    public var flaws: String?

    /// Creates an input; optional texts default to nil.
    public init(
        name: String,
        race: String,
        heroClass: String,
        level: Int,
        background: String? = nil,
        alignment: String? = nil,
        hitPoints: Int,
        armorClass: Int,
        speed: Int,
        personalityTraits: String? = nil,
        ideals: String? = nil,
        bonds: String? = nil,
        flaws: String? = nil
    ) {
        self.name = name
        self.race = race
        self.heroClass = heroClass
        self.level = level
        self.background = background
        self.alignment = alignment
        self.hitPoints = hitPoints
        self.armorClass = armorClass
        self.speed = speed
        self.personalityTraits = personalityTraits
        self.ideals = ideals
        self.bonds = bonds
        self.flaws = flaws
    }

    /// Writes every key, with `null` for an absent optional text, as the seed's responses did.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(race, forKey: .race)
        try container.encode(heroClass, forKey: .heroClass)
        try container.encode(level, forKey: .level)
        try container.encode(background, forKey: .background)
        try container.encode(alignment, forKey: .alignment)
        try container.encode(hitPoints, forKey: .hitPoints)
        try container.encode(armorClass, forKey: .armorClass)
        try container.encode(speed, forKey: .speed)
        try container.encode(personalityTraits, forKey: .personalityTraits)
        try container.encode(ideals, forKey: .ideals)
        try container.encode(bonds, forKey: .bonds)
        try container.encode(flaws, forKey: .flaws)
    }

    /// The seed's JSON keys.
    public enum CodingKeys: String, CodingKey, CaseIterable, Sendable {
        case name
        case race
        case heroClass = "class_"
        case level
        case background
        case alignment
        case hitPoints = "hit_points"
        case armorClass = "armor_class"
        case speed
        case personalityTraits = "personality_traits"
        case ideals
        case bonds
        case flaws
    }
}
