/// Heroes in memory: a ``HeroRepository`` with exactly the behaviour of the SQLite one (ids,
/// creation order, paging, validation, not-found), for tests and for trying the API without
/// a database. Nothing survives the process.
public actor InMemoryHeroRepository: HeroRepository {
    /// The stored heroes by id.
    private var heroes: [HeroID: Hero] = [:]
    /// Ids in creation order (oldest first); replacing a hero keeps its place.
    private var order: [HeroID] = []

    /// Creates an empty repository.
    public init() {}

    /// Validates `input` and stores it under a new random id, last in creation order.
    public func create(_ input: HeroInput) throws(HeroError) -> Hero {
        let hero = Hero(id: .random(), details: try input.validated())
        heroes[hero.id] = hero
        order.append(hero.id)
        return hero
    }

    /// The hero with `id`, or ``HeroError/notFound(_:)``.
    public func get(id: HeroID) throws(HeroError) -> Hero {
        guard let hero = heroes[id] else { throw .notFound(id) }
        return hero
    }

    /// The heroes of `page`, oldest first.
    public func list(_ page: Page) -> [Hero] {
        // Compared before adding, so an offset near Int.max cannot overflow.
        guard page.offset < order.count else { return [] }
        let end = page.offset + min(page.limit, order.count - page.offset)
        return order[page.offset..<end].compactMap { heroes[$0] }
    }

    /// Validates `input`, then replaces the fields of the hero with `id`; its place stays.
    public func replace(id: HeroID, with input: HeroInput) throws(HeroError) -> Hero {
        // Validation comes first, as in the SQLite store: an invalid input is `invalid` even for a missing id.
        let details = try input.validated()
        guard heroes[id] != nil else { throw .notFound(id) }
        let hero = Hero(id: id, details: details)
        heroes[id] = hero
        return hero
    }

    /// Removes the hero with `id`, or throws ``HeroError/notFound(_:)``.
    public func delete(id: HeroID) throws(HeroError) {
        guard heroes.removeValue(forKey: id) != nil else { throw .notFound(id) }
        order.removeAll { $0 == id }
    }
}
