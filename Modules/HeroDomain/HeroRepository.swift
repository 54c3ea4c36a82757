/// Where heroes live. Implementations assign ids and timestamps and validate every input, so
/// that nothing invalid is ever stored, whoever the caller.
///
/// Every method either completes and is durable, or throws ``HeroError`` and changes nothing.
public protocol HeroRepository: Sendable {
    /// Validates `input`, stores it under a new id and returns the stored hero.
    func create(_ input: HeroInput) async throws(HeroError) -> Hero

    /// The hero with `id`, or ``HeroError/notFound(_:)``.
    func get(id: HeroID) async throws(HeroError) -> Hero

    /// A window of heroes in the order they were created (oldest first), and the cursor of
    /// the next window when more heroes follow. A window that continues after a cursor holds
    /// the heroes created after the one the cursor names, whether or not that one still exists.
    func listing(_ page: Page) async throws(HeroError) -> HeroListing

    /// Validates `input` and replaces every field of the hero with `id`; its id and creation
    /// order stay. Throws ``HeroError/notFound(_:)`` when there is no such hero.
    func replace(id: HeroID, with input: HeroInput) async throws(HeroError) -> Hero

    /// Deletes the hero with `id`, or throws ``HeroError/notFound(_:)``.
    func delete(id: HeroID) async throws(HeroError)
}

extension HeroRepository {
    /// The heroes of `page`, oldest first, without the cursor of the next page.
    public func list(_ page: Page) async throws(HeroError) -> [Hero] {
        try await listing(page).heroes
    }
}
