/// Heroes in memory: a ``HeroRepository`` with exactly the behaviour of the SQLite one (ids,
/// creation order, paging, validation, not-found), for tests and for trying the API without
/// a database. Nothing survives the process.
public actor InMemoryHeroRepository: HeroRepository {
    /// The stored heroes by id.
    private var heroes: [HeroID: Hero] = [:]
    /// Ids in creation order (oldest first) with their insertion sequence numbers, which only
    /// grow; replacing a hero keeps its place.
    private var order: [(sequence: Int64, id: HeroID)] = []
    /// The number the next created hero gets; never reused, as SQLite's AUTOINCREMENT.
    private var nextSequence: Int64 = 1

    /// Creates an empty repository.
    public init() {}

    /// Validates `input` and stores it under a new random id, last in creation order.
    public func create(_ input: HeroInput) throws(HeroError) -> Hero {
        let hero = Hero(id: .random(), details: try input.validated())
        heroes[hero.id] = hero
        order.append((nextSequence, hero.id))
        nextSequence += 1
        return hero
    }

    /// The hero with `id`, or ``HeroError/notFound(_:)``.
    public func get(id: HeroID) throws(HeroError) -> Hero {
        guard let hero = heroes[id] else { throw .notFound(id) }
        return hero
    }

    /// The heroes of `page`, oldest first, and the cursor of the next page.
    public func listing(_ page: Page) -> HeroListing {
        let start: Int
        if let cursor = page.after {
            // `order` is sorted by sequence: the first entry past the cursor, by bisection.
            var low = 0
            var high = order.count
            while low < high {
                let middle = (low + high) / 2
                if order[middle].sequence <= cursor.sequence { low = middle + 1 } else { high = middle }
            }
            start = low
        } else {
            // Compared before slicing, so an offset near Int.max cannot overflow.
            guard page.offset < order.count else { return HeroListing(heroes: [], next: nil) }
            start = page.offset
        }
        let rows = order[start...].prefix(page.limit + 1).compactMap { entry in
            heroes[entry.id].map { (sequence: entry.sequence, hero: $0) }
        }
        return HeroListing(rows: rows, limit: page.limit)
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
        order.removeAll { $0.id == id }
    }
}
