/// One page of heroes, in creation order, and where the next page starts.
public struct HeroListing: Hashable, Sendable {
    /// The heroes of the page, oldest first.
    public let heroes: [Hero]
    /// Where the next page starts; nil when no hero follows the last one of this page.
    public let next: HeroCursor?

    /// A page and its continuation.
    public init(heroes: [Hero], next: HeroCursor?) {
        self.heroes = heroes
        self.next = next
    }

    /// The page a store builds from the rows it read: up to `limit + 1` of them, oldest first,
    /// each with its insertion sequence number. The extra row only tells that more follow.
    public init(rows: [(sequence: Int64, hero: Hero)], limit: Int) {
        let page = rows.prefix(limit)
        heroes = page.map(\.hero)
        next = rows.count > limit ? page.last.flatMap { HeroCursor(after: $0.sequence) } : nil
    }
}
