import Foundation
import HeroDomain
import Testing

extension HeroRepositoryConformance {
    static func createAndGet(_ factory: Factory) async throws {
        let repository = try await factory()
        let input = HeroInput.sample("Legolas", level: 7)
        let hero = try await repository.create(input)
        #expect(hero.details == input)
        // RFC 9562 §5.4: version 4 in the high nibble of byte 6, variant 10 in byte 8.
        let bytes = hero.id.uuid.uuid
        #expect(bytes.6 >> 4 == 4)
        #expect(bytes.8 >> 6 == 0b10)
        #expect(try await repository.get(id: hero.id) == hero)
    }

    static func distinctIDs(_ factory: Factory) async throws {
        let repository = try await factory()
        let first = try await repository.create(.sample("One"))
        let second = try await repository.create(.sample("Two"))
        #expect(first.id != second.id)
    }

    static func invalidCreate(_ factory: Factory) async throws {
        let repository = try await factory()
        var input = HeroInput.sample("")
        input.level = 99
        await #expect(
            throws: HeroError.invalid([
                FieldError(field: "name", message: "must not be empty"),
                FieldError(field: "level", message: "must be between 1 and 20 (got 99)"),
            ])
        ) { try await repository.create(input) }
        #expect(try await repository.list(.first) == [])
    }

    static func getMissing(_ factory: Factory) async throws {
        let repository = try await factory()
        _ = try await repository.create(.sample("Someone else"))
        let id = HeroID.random()
        await #expect(throws: HeroError.notFound(id)) { try await repository.get(id: id) }
    }

    static func replace(_ factory: Factory) async throws {
        let repository = try await factory()
        let hero = try await repository.create(.sample("Frodo"))
        let other = try await repository.create(.sample("Sam"))
        let changed = HeroInput(
            name: "Frodo Baggins",
            race: "Hobbit",
            heroClass: "Ring-bearer",
            level: 3,
            background: "The Shire",
            alignment: "Lawful Good",
            hitPoints: 20,
            armorClass: 11,
            speed: 25,
            personalityTraits: "Brave",
            ideals: "Friendship",
            bonds: "Sam",
            flaws: "Carries a heavy burden"
        )
        let replaced = try await repository.replace(id: hero.id, with: changed)
        #expect(replaced == Hero(id: hero.id, details: changed))
        #expect(try await repository.get(id: hero.id) == replaced)
        #expect(try await repository.get(id: other.id) == other)

        // Optional texts set before can be cleared again.
        let cleared = try await repository.replace(id: hero.id, with: .sample("Frodo"))
        #expect(try await repository.get(id: hero.id) == cleared)
        #expect(cleared.details.flaws == nil)
    }

    static func replaceMissing(_ factory: Factory) async throws {
        let repository = try await factory()
        let id = HeroID.random()
        await #expect(throws: HeroError.notFound(id)) { try await repository.replace(id: id, with: .sample("Ghost")) }
        #expect(try await repository.list(.first) == [])
        await #expect(throws: HeroError.notFound(id)) { try await repository.get(id: id) }
    }

    static func invalidReplace(_ factory: Factory) async throws {
        let repository = try await factory()
        let hero = try await repository.create(.sample("Sam"))
        await #expect(throws: HeroError.invalid([FieldError(field: "name", message: "must not be blank")])) {
            try await repository.replace(id: hero.id, with: .sample("  "))
        }
        #expect(try await repository.get(id: hero.id) == hero)
    }

    static func invalidReplaceOfMissing(_ factory: Factory) async throws {
        let repository = try await factory()
        await #expect(throws: HeroError.invalid([FieldError(field: "level", message: "must be between 1 and 20 (got 0)")])) {
            try await repository.replace(id: .random(), with: .sample("Nobody", level: 0))
        }
        #expect(try await repository.list(.first) == [])
    }

    static func deleteTwice(_ factory: Factory) async throws {
        let repository = try await factory()
        let keep = try await repository.create(.sample("Keep"))
        let hero = try await repository.create(.sample("Boromir"))
        try await repository.delete(id: hero.id)
        await #expect(throws: HeroError.notFound(hero.id)) { try await repository.get(id: hero.id) }
        await #expect(throws: HeroError.notFound(hero.id)) { try await repository.delete(id: hero.id) }
        await #expect(throws: HeroError.notFound(hero.id)) { try await repository.replace(id: hero.id, with: .sample("Back")) }
        #expect(try await repository.list(.first) == [keep])
    }

    static func fullFidelity(_ factory: Factory) async throws {
        let repository = try await factory()
        let input = HeroInput(
            name: "Ærøskøbing 勇者 🦸",
            race: "Half-Elf",
            heroClass: "Bard",
            level: 20,
            background: "Line one\nLine two",
            alignment: "Chaotic Good",
            hitPoints: 10_000,
            armorClass: 50,
            speed: 500,
            personalityTraits: "“Quoted”",
            ideals: "'; DROP TABLE hero; --",
            bonds: "",
            flaws: nil
        )
        let hero = try await repository.create(input)
        #expect(try await repository.get(id: hero.id).details == input)
        #expect(try await repository.list(.first) == [hero])
    }
}

extension HeroInput {
    /// A small valid hero named `name`.
    static func sample(_ name: String, level: Int = 1) -> HeroInput {
        HeroInput(name: name, race: "Elf", heroClass: "Wizard", level: level, hitPoints: 10, armorClass: 12, speed: 30)
    }
}
