import HeroDomain
import Testing

extension HeroRepositoryConformance {
    static func cursorWhileChanging(_ factory: Factory) async throws {
        let repository = try await factory()
        var initial: [Hero] = []
        for index in 0..<20 {
            initial.append(try await repository.create(.sample("Hero \(index)")))
        }
        var seen: [HeroID] = []
        var deleted: Set<HeroID> = []
        var created: [HeroID] = []
        var listing = try await repository.listing(Page(limit: 3, offset: 0))
        var pages = 1
        while true {
            seen += listing.heroes.map(\.id)
            guard let next = listing.next else { break }
            // Between pages: delete a hero already seen (an offset would then skip one), delete
            // one not yet seen, and create a new one.
            if let done = seen.last(where: { !deleted.contains($0) }) {
                try await repository.delete(id: done)
                deleted.insert(done)
            }
            if let ahead = initial.map(\.id).first(where: { !seen.contains($0) && !deleted.contains($0) }), pages.isMultiple(of: 2) {
                try await repository.delete(id: ahead)
                deleted.insert(ahead)
            }
            created.append(try await repository.create(.sample("New \(pages)")).id)
            listing = try await repository.listing(Page(limit: 3, after: next))
            pages += 1
            try #require(pages < 100, "the cursor does not advance")
        }
        #expect(Set(seen).count == seen.count, "a hero was listed twice")
        let throughout = initial.map(\.id).filter { !deleted.contains($0) || seen.contains($0) }
        let missing = throughout.filter { !seen.contains($0) }
        #expect(missing.isEmpty, "\(missing.count) heroes present throughout were skipped")
        // Everything seen comes in creation order.
        let order = initial.map(\.id) + created
        #expect(seen == order.filter { seen.contains($0) })
        // Heroes created during the walk come after the page that was read: every one is seen.
        #expect(created.allSatisfy { seen.contains($0) || deleted.contains($0) })
    }

    static func nextOnlyWhenMoreFollow(_ factory: Factory) async throws {
        let repository = try await factory()
        #expect(try await repository.listing(.first) == HeroListing(heroes: [], next: nil))
        var heroes: [Hero] = []
        for name in ["A", "B", "C", "D"] {
            heroes.append(try await repository.create(.sample(name)))
        }
        #expect(try await repository.listing(Page(limit: 4, offset: 0)) == HeroListing(heroes: heroes, next: nil))
        #expect(try await repository.listing(Page(limit: 2, offset: 2)).next == nil)

        let first = try await repository.listing(Page(limit: 3, offset: 0))
        #expect(first.heroes == Array(heroes[0..<3]))
        let cursor = try #require(first.next)
        #expect(try await repository.listing(Page(limit: 3, after: cursor)) == HeroListing(heroes: [heroes[3]], next: nil))

        // A page that starts at an offset continues by cursor after its own last hero.
        let middle = try await repository.listing(Page(limit: 2, offset: 1))
        #expect(middle.heroes == Array(heroes[1..<3]))
        let afterMiddle = try await repository.listing(Page(limit: 2, after: try #require(middle.next)))
        #expect(afterMiddle == HeroListing(heroes: [heroes[3]], next: nil))
        #expect(try await repository.list(Page(limit: 2, offset: 1)) == middle.heroes)
    }

    static func cursorOfDeletedHero(_ factory: Factory) async throws {
        let repository = try await factory()
        var heroes: [Hero] = []
        for name in ["A", "B", "C", "D", "E"] {
            heroes.append(try await repository.create(.sample(name)))
        }
        let first = try await repository.listing(Page(limit: 2, offset: 0))
        // The whole first page is deleted, the cursor's own hero with it.
        try await repository.delete(id: heroes[0].id)
        try await repository.delete(id: heroes[1].id)
        let second = try await repository.listing(Page(limit: 2, after: try #require(first.next)))
        #expect(second.heroes == Array(heroes[2..<4]))
        // Deleting the last hero of the list leaves the next cursor pointing at nothing: an empty page.
        try await repository.delete(id: heroes[4].id)
        #expect(try await repository.listing(Page(limit: 2, after: try #require(second.next))) == HeroListing(heroes: [], next: nil))
        // A cursor past every hero (the largest number) is an empty last page, not an error.
        let end = try #require(HeroCursor(after: .max))
        #expect(try await repository.listing(Page(limit: Page.maximumLimit, after: end)) == HeroListing(heroes: [], next: nil))
    }
}
