import Foundation
import HTTPTypes
import HeroDomain
import Hummingbird

/// The OpenAPI 3.1 document of the Heroes API, built from ``HeroRoute/all`` and the field
/// rules of ``HeroRules``, so it cannot drift from what the server does. It is served as it
/// encodes, through the request context's encoder.
public struct HeroAPIDocument: Sendable, ResponseEncodable {
    /// The authority's authorization endpoint, for the OAuth 2.0 security scheme.
    public var authorizationURL: String
    /// The authority's token endpoint.
    public var tokenURL: String
    /// Prefix of the full scope names, the API's App ID URI and a slash: `api://<id>/`.
    public var scopePrefix: String
    /// The API's version.
    public var version: String

    /// Describes the API protected by the given authority endpoints.
    public init(authorizationURL: String, tokenURL: String, scopePrefix: String, version: String = "1.0.0") {
        self.authorizationURL = authorizationURL
        self.tokenURL = tokenURL
        self.scopePrefix = scopePrefix
        self.version = version
    }

    /// The document as JSON, keys sorted, as `/openapi.json` serves it.
    public func json() -> Data {
        // Strings, integers and booleans only: encoding cannot fail.
        (try? JSONEncoder.sortedKeys().encode(self)) ?? Data()
    }

    /// Encodes the document's JSON members.
    public func encode(to encoder: any Encoder) throws {
        try document().encode(to: encoder)
    }

    func document() -> JSONValue {
        [
            "openapi": "3.1.0",
            "info": [
                "title": "Heroes API",
                "version": .string(version),
                "description": .string(
                    "Heroes, protected by Microsoft Entra ID access tokens. Every operation needs a token "
                        + "whose `scp` claim (users) or `roles` claim (applications) holds its permission."
                ),
            ],
            "paths": paths(),
            "components": [
                "schemas": Self.schemas(),
                "securitySchemes": [
                    "entra": [
                        "type": "oauth2",
                        "description": "Sign in with Microsoft Entra ID (authorization code with PKCE).",
                        "flows": [
                            "authorizationCode": [
                                "authorizationUrl": .string(authorizationURL),
                                "tokenUrl": .string(tokenURL),
                                "scopes": .object(
                                    Dictionary(
                                        uniqueKeysWithValues: HeroPermission.allCases.map {
                                            (scopePrefix + $0.rawValue, .string($0.summary))
                                        }
                                    )
                                ),
                            ]
                        ],
                    ],
                    "bearer": [
                        "type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                        "description": "An Entra access token, delegated (scp) or app-only (roles).",
                    ],
                ],
            ],
        ]
    }

    private func paths() -> JSONValue {
        var paths: [String: [String: JSONValue]] = [:]
        for route in HeroRoute.all {
            // The Python demo's clients call the collection with a trailing slash; both work.
            let path = route.path == "/api/heroes" ? "/api/heroes/" : route.path
            paths[path, default: [:]][route.method.rawValue.lowercased()] = operation(route)
        }
        return .object(paths.mapValues { .object($0) }.merging(Self.servicePaths()) { operations, _ in operations })
    }

    private func operation(_ route: HeroRoute) -> JSONValue {
        var operation: [String: JSONValue] = [
            "operationId": .string(route.operationID),
            "summary": .string(route.summary),
            "tags": ["heroes"],
            "security": [["entra": [.string(scopePrefix + route.permission.rawValue)]], ["bearer": []]],
            "description": "Needs the `\(route.permission.rawValue)` scope or app role.",
        ]
        var parameters: [JSONValue] = []
        if route.path.hasSuffix("{id}") {
            parameters.append([
                "name": "id", "in": "path", "required": true, "schema": ["type": "string", "format": "uuid"],
            ])
        }
        if route.operationID == "listHeroes" {
            parameters.append(Self.integerParameter("limit", minimum: 1, maximum: Page.maximumLimit, default: Page.first.limit))
            // Swift's Int, as the server parses it: a larger offset is refused.
            parameters.append(Self.integerParameter("offset", minimum: 0, maximum: Int.max, default: 0))
            parameters.append(Self.cursorParameter())
        }
        if !parameters.isEmpty { operation["parameters"] = .array(parameters) }
        if route.method == .post || route.method == .put {
            operation["requestBody"] = [
                "required": true,
                "content": ["application/json": ["schema": ["$ref": "#/components/schemas/HeroInput"]]],
            ]
        }
        var responses: [String: JSONValue] = [
            "401": Self.problem("No token, or the token is not valid (see WWW-Authenticate)"),
            "403": Self.problem("The token lacks \(route.permission.rawValue)"),
        ]
        switch route.operationID {
        case "createHero":
            responses["201"] = Self.json("The created hero; Location holds its URL", ref: "Hero")
        case "listHeroes":
            responses["200"] = [
                "description": "Heroes, oldest first; a `Link` header with `rel=\"next\"` tells that more follow",
                "headers": ["Link": Self.linkHeader()],
                "content": ["application/json": ["schema": ["type": "array", "items": ["$ref": "#/components/schemas/Hero"]]]],
            ]
            responses["400"] = Self.problem("The cursor is not one this server wrote, or came with an offset")
        case "deleteHero":
            responses["200"] = Self.json("The hero was deleted", ref: "DeleteMessage")
        default:
            responses["200"] = Self.json("The hero", ref: "Hero")
        }
        if route.path.hasSuffix("{id}") { responses["404"] = Self.problem("No hero has this id") }
        if operation["requestBody"] != nil {
            responses["400"] = Self.problem("The body is not a JSON object")
            responses["413"] = Self.problem("The body is larger than 64 KiB")
            responses["415"] = Self.problem("The body is not application/json")
        }
        if operation["requestBody"] != nil || !parameters.isEmpty {
            responses["422"] = Self.problem("Fields break the rules; `errors` lists every one")
        }
        operation["responses"] = .object(responses)
        return .object(operation)
    }
}
