import HeroDomain
import HeroRepositoryConformance
import Testing

@Suite("In-memory hero repository: the HeroRepository conformance suite")
struct InMemoryHeroRepositoryTests {
    @Test("conforms", arguments: HeroRepositoryConformance.checks)
    func conforms(_ check: HeroRepositoryConformance.Check) async throws {
        try await check.run { InMemoryHeroRepository() }
    }

    @Test("two repositories share nothing")
    func independent() async throws {
        let first = InMemoryHeroRepository()
        let second = InMemoryHeroRepository()
        let hero = try await first.create(
            HeroInput(name: "Solo", race: "Elf", heroClass: "Bard", level: 1, hitPoints: 1, armorClass: 1, speed: 1)
        )
        #expect(try await second.list(.first) == [])
        await #expect(throws: HeroError.notFound(hero.id)) { try await second.get(id: hero.id) }
    }
}
