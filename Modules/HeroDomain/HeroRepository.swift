/// Where heroes live. Implementations assign ids and timestamps and validate every input, so
/// that nothing invalid is ever stored, whoever the caller.
///
/// Every method either completes and is durable, or throws ``HeroError`` and changes nothing.
public protocol HeroRepository: Sendable {
    /// Validates `input`, stores it under a new id and returns the stored hero.
    func create(_ input: HeroInput) async throws(HeroError) -> Hero

    /// The hero with `id`, or ``HeroError/notFound(_:)``.
    func get(id: HeroID) async throws(HeroError) -> Hero

    /// A window of heroes in the order they were created (oldest first).
    func list(_ page: Page) async throws(HeroError) -> [Hero]

    /// Validates `input` and replaces every field of the hero with `id`; its id and creation
    /// order stay. Throws ``HeroError/notFound(_:)`` when there is no such hero.
    func replace(id: HeroID, with input: HeroInput) async throws(HeroError) -> Hero

    /// Deletes the hero with `id`, or throws ``HeroError/notFound(_:)``.
    func delete(id: HeroID) async throws(HeroError)
}
