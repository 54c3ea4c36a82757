import HTTPTypes

/// One operation of the Heroes API: the table the OpenAPI document and the 405 answers are
/// built from. A test checks that the router registers exactly these.
public struct HeroRoute: Sendable {
    /// The HTTP method.
    public let method: HTTPRequest.Method
    /// The path in OpenAPI form, e.g. `/api/heroes/{id}`.
    public let path: String
    /// The permission the caller needs.
    public let permission: HeroPermission
    /// The OpenAPI `operationId`.
    public let operationID: String
    /// A one-line summary.
    public let summary: String

    /// Every operation, in the order the document lists them.
    public static let all: [HeroRoute] = [
        HeroRoute(method: .post, path: "/api/heroes", permission: .write, operationID: "createHero", summary: "Create a hero"),
        HeroRoute(
            method: .get,
            path: "/api/heroes",
            permission: .read,
            operationID: "listHeroes",
            summary: "List heroes in creation order"
        ),
        HeroRoute(method: .get, path: "/api/heroes/{id}", permission: .read, operationID: "getHero", summary: "Get a hero"),
        HeroRoute(method: .put, path: "/api/heroes/{id}", permission: .write, operationID: "replaceHero", summary: "Replace a hero"),
        HeroRoute(method: .delete, path: "/api/heroes/{id}", permission: .delete, operationID: "deleteHero", summary: "Delete a hero"),
    ]

    /// The methods each path allows, for `Allow` headers.
    public static var methodsByPath: [String: [HTTPRequest.Method]] {
        Dictionary(grouping: all, by: \.path).mapValues { $0.map(\.method) }
    }
}
