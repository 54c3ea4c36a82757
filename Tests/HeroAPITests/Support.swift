import Foundation
import HTTPServerKit
import HTTPTypes
import HeroAPI
import HeroDomain
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat

/// A request context whose caller holds whatever permissions the test router grants: the
/// hero routes run as in the app, without tokens or signing.
struct TestRequestContext: HeroRequestContext {
    var coreContext: CoreRequestContextStorage
    /// What the caller may do; nil when it sent no credentials at all.
    var granted: Set<HeroPermission>?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    var responseEncoder: JSONEncoder { .sortedKeys() }

    /// Throws the challenges the app's access-token context throws: 401 without credentials,
    /// 403 `insufficient_scope` naming the missing permission.
    func requirePermission(_ permission: HeroPermission) throws {
        guard let granted else { throw BearerChallenge.credentialsRequired }
        guard granted.contains(permission) else {
            throw BearerChallenge.insufficientScope(permission.rawValue, description: "The caller lacks \(permission.rawValue)")
        }
    }
}

/// Stands in for access-token authentication: every request gets `permissions`.
struct GrantPermissions: RouterMiddleware {
    let permissions: Set<HeroPermission>?

    func handle(
        _ request: Request,
        context: TestRequestContext,
        next: (Request, TestRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.granted = permissions
        return try await next(request, context)
    }
}

/// The Heroes API routes over `repository`, as the app composes them (problem+json for every
/// error), tested through Hummingbird's router test client.
func withHeroAPI<Repository: HeroRepository, T>(
    repository: Repository,
    granting permissions: Set<HeroPermission>? = Set(HeroPermission.allCases),
    _ test: @Sendable (any TestClientProtocol, Repository) async throws -> T
) async throws -> T {
    let router = Router(context: TestRequestContext.self)
    router.add(middleware: ProblemDetailsMiddleware())
    HeroController(repository: repository).addRoutes(to: router, authentication: GrantPermissions(permissions: permissions))
    DocumentationRoutes.add(to: router, document: testDocument)
    return try await Application(router: router).test(.router) { client in try await test(client, repository) }
}

/// ``withHeroAPI(repository:granting:_:)`` over a fresh in-memory repository.
func withHeroAPI<T>(
    granting permissions: Set<HeroPermission>? = Set(HeroPermission.allCases),
    _ test: @Sendable (any TestClientProtocol, InMemoryHeroRepository) async throws -> T
) async throws -> T {
    try await withHeroAPI(repository: InMemoryHeroRepository(), granting: permissions, test)
}

/// The OpenAPI document the test router serves.
let testDocument = HeroAPIDocument(
    authorizationURL: "https://authority/authorize",
    tokenURL: "https://authority/token",
    scopePrefix: "api://x/"
)

/// A valid hero document, as a client of the seed sends it.
let gimliJSON = #"{"name": "Gimli", "race": "Dwarf", "class_": "Fighter", "level": 5, "hit_points": 50, "armor_class": 18, "speed": 25}"#

/// The hero `gimliJSON` describes.
let gimli = HeroInput(name: "Gimli", race: "Dwarf", heroClass: "Fighter", level: 5, hitPoints: 50, armorClass: 18, speed: 25)

/// Header fields with a JSON content type.
let jsonHeaders: HTTPFields = [.contentType: "application/json"]

/// An RFC 9457 problem document as the API writes it.
struct Problem: Decodable, Equatable, Sendable {
    struct Field: Decodable, Equatable, Sendable {
        let field: String
        let message: String
    }

    let type: String
    let title: String
    let status: Int
    let detail: String
    let errors: [Field]?
}

extension TestResponse {
    /// The body as text.
    var text: String { String(buffer: body) }

    /// The body decoded as `type`.
    func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        try JSONDecoder().decode(type, from: Data(buffer: body))
    }
}

extension TestClientProtocol {
    /// Sends a JSON body with `method` to `uri`.
    func send(_ method: HTTPRequest.Method, _ uri: String, json: String) async throws -> TestResponse {
        try await execute(uri: uri, method: method, headers: jsonHeaders, body: ByteBuffer(string: json))
    }

    /// Sends `method` to `uri` without a body.
    func send(_ method: HTTPRequest.Method, _ uri: String) async throws -> TestResponse {
        try await execute(uri: uri, method: method)
    }
}
