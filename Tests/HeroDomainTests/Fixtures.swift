import HeroDomain

extension HeroInput {
    /// A valid hero with every field set.
    static let aragorn = HeroInput(
        name: "Aragorn",
        race: "Human",
        heroClass: "Ranger",
        level: 10,
        background: "Raised in Rivendell.\nHeir of Isildur.",
        alignment: "Neutral Good",
        hitPoints: 120,
        armorClass: 16,
        speed: 30,
        personalityTraits: "Quiet, watchful",
        ideals: "Duty",
        bonds: "Arwen",
        flaws: "Doubts his lineage"
    )
}

extension String {
    /// `count` copies of `character`.
    static func of(_ count: Int, _ character: Character = "a") -> String {
        String(repeating: character, count: count)
    }
}
