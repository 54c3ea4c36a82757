import Foundation
import HTTPServerKit
import HTTPTypes
import HeroDomain
import Hummingbird
import Logging

/// The `/api/heroes` routes of the contract, over any ``HeroRepository``.
///
/// Each handler first demands its permission from the context, then works only with the
/// repository; status codes and bodies are those of the Python demo, errors are problem+json.
public struct HeroController<Repository: HeroRepository, Context: HeroRequestContext>: Sendable {
    /// The largest request body accepted; a hero is at most about 12 KB of text.
    public static var maximumBodySize: Int { 64 * 1024 }

    let repository: Repository

    /// Creates the controller.
    public init(repository: Repository) {
        self.repository = repository
    }

    /// Adds the routes under `api/heroes`, behind `authentication`. Trailing slashes are
    /// optional, as the router ignores empty path segments.
    public func addRoutes(to router: Router<Context>, authentication: some RouterMiddleware<Context>) {
        router.group("api/heroes")
            .add(middleware: authentication)
            .post(use: create)
            .get(use: list)
            .get("{id}", use: get)
            .put("{id}", use: replace)
            .delete("{id}", use: delete)
    }

    @Sendable func create(_ request: Request, context: Context) async throws -> EditedResponse<Hero> {
        try context.requirePermission(.write)
        let input = try await HeroRequestBody.decode(request, context: context, maximumSize: Self.maximumBodySize)
        let hero = try await perform(context) { () async throws(HeroError) in try await repository.create(input) }
        context.logger.info("Hero created", metadata: ["hero": "\(hero.id)"])
        return .json(hero, status: .created, headers: [.location: "/api/heroes/\(hero.id)"])
    }

    @Sendable func list(_ request: Request, context: Context) async throws -> EditedResponse<HeroList> {
        try context.requirePermission(.read)
        let page = try HeroListQuery.page(from: request.uri.queryParameters)
        let listing = try await perform(context) { () async throws(HeroError) in try await repository.listing(page) }
        // The body stays the seed's JSON array; whether more heroes follow is in `Link` (RFC 8288).
        return .json(HeroList(listing.heroes), headers: HeroListQuery.link(after: listing, limit: page.limit))
    }

    /// A hero is its own 200 response (``HeroJSON``): no `EditedResponse` to merge its headers again.
    @Sendable func get(_ request: Request, context: Context) async throws -> Hero {
        try context.requirePermission(.read)
        let id = try Self.heroID(context)
        return try await perform(context) { () async throws(HeroError) in try await repository.get(id: id) }
    }

    @Sendable func replace(_ request: Request, context: Context) async throws -> Hero {
        try context.requirePermission(.write)
        let id = try Self.heroID(context)
        let input = try await HeroRequestBody.decode(request, context: context, maximumSize: Self.maximumBodySize)
        let hero = try await perform(context) { () async throws(HeroError) in try await repository.replace(id: id, with: input) }
        context.logger.info("Hero replaced", metadata: ["hero": "\(hero.id)"])
        return hero
    }

    @Sendable func delete(_ request: Request, context: Context) async throws -> EditedResponse<DeleteMessage> {
        try context.requirePermission(.delete)
        let id = try Self.heroID(context)
        try await perform(context) { () async throws(HeroError) in try await repository.delete(id: id) }
        context.logger.info("Hero deleted", metadata: ["hero": "\(id)"])
        return .json(DeleteMessage(deleted: id))
    }

    /// Runs a repository call, turning ``HeroError`` into its problem response.
    private func perform<T>(_ context: Context, _ operation: () async throws(HeroError) -> T) async throws(ProblemDetails) -> T {
        do {
            return try await operation()
        } catch {
            if case .storageFailure(let reason) = error {
                context.logger.error("Hero storage failed", metadata: ["reason": "\(reason)"])
            }
            throw ProblemDetails(error)
        }
    }

    /// The `{id}` path parameter; an id that is not a UUID names no hero, so 404.
    private static func heroID(_ context: Context) throws(ProblemDetails) -> HeroID {
        guard let text = context.parameters.get("id"), let id = HeroID(text) else {
            throw ProblemDetails(.notFound, detail: "No hero has this id: hero ids are UUIDs")
        }
        return id
    }
}
