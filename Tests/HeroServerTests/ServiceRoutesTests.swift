import AccessTokenAuth
import AppConfiguration
import Foundation
import HTTPTypes
import HeroAPI
import HeroDomain
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOFoundationCompat
import OIDCCore
import TestSupport
import Testing

@testable import HeroServer

@Suite("Index, health, readiness and the OpenAPI document")
struct ServiceRoutesTests {
    @Test("the index page names the service and its auth mode")
    func index() async throws {
        try await withHeroServer { client, _ in
            try await client.execute(uri: "/", method: .get) {
                #expect($0.status == .ok)
                let page = String(buffer: $0.body)
                #expect(page.contains("Heroes API") && page.contains("Development mode") && page.contains("/docs"))
                #expect($0.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
                #expect($0.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
                #expect($0.headers[.contentSecurityPolicy] == "default-src 'none'; frame-ancestors 'none'")
            }
            try await client.execute(uri: "/healthz", method: .get) {
                #expect($0.status == .ok)
                #expect($0.headers[.contentType] == "application/json")
                #expect(String(buffer: $0.body) == #"{"status":"ok"}"#)
                #expect($0.headers[HTTPField.Name("X-Content-Type-Options")!] == nil, "JSON is not a page")
            }
        }
    }

    @Test("/version names the version, and the commit when the image recorded one")
    func version() async throws {
        try await withHeroServer { client, _ in
            try await client.execute(uri: "/version", method: .get) {
                #expect($0.status == .ok)
                #expect($0.headers[.cacheControl] == "no-store")
                #expect(String(buffer: $0.body) == #"{"commit":null,"version":"\#(BuildInfo.version)"}"#)
            }
        }
        #expect(try configuration(["HVALFANGST_COMMIT": "4ac996a"]).commit == "4ac996a")
        #expect(try configuration(["HVALFANGST_COMMIT": ""]).commit == nil)
    }

    @Test("ready once the signing keys are loaded; 503 while the authority is down")
    func readiness() async throws {
        try await withHeroServer { client, authority in
            authority.setDown(true)
            try await client.execute(uri: "/readyz", method: .get) {
                #expect($0.status == .serviceUnavailable)
                #expect($0.headers[.contentType] == "application/json")
                #expect($0.headers[.cacheControl] == "no-store")
                #expect(String(buffer: $0.body) == #"{"database":"ok","signing_keys":"missing","status":"not ready"}"#)
            }
        }
        try await withHeroServer { client, _ in
            try await client.execute(uri: "/readyz", method: .get) {
                #expect($0.status == .ok)
                #expect(String(buffer: $0.body) == #"{"database":"ok","signing_keys":"loaded","status":"ready"}"#)
            }
        }
    }

    @Test("every registered route is in the OpenAPI document, and nothing else is")
    func documentCoversRoutes() async throws {
        let router = buildRouter(
            configuration: try configuration(),
            repository: InMemoryHeroRepository(),
            validator: AccessTokenValidator(
                policy: try configuration().policy,
                keys: JWKSCache(
                    source: .jwksURI(URL(string: "http://127.0.0.1:1/keys")!),
                    httpClient: FakeAuthority(keys: []),
                    logger: Logger(label: "test")
                )
            )
        )
        let registered = Set(
            router.routes.map { route in
                let path = route.path.description.replacingOccurrences(of: ":id", with: "{id}")
                return "\(route.method.rawValue) " + (path.hasPrefix("/") ? path : "/" + path)
            }
        )

        let data = try await withHeroServer { client, _ in
            try await client.execute(uri: "/openapi.json", method: .get) { Data(buffer: $0.body) }
        }
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let documented = Set(
            paths.flatMap { path, operations in
                operations.keys.map { "\($0.uppercased()) " + (path.hasSuffix("/") && path != "/" ? String(path.dropLast()) : path) }
            }
        )
        #expect(registered.subtracting(documented).isEmpty, "undocumented: \(registered.subtracting(documented).sorted())")
        #expect(documented.subtracting(registered).isEmpty, "not served: \(documented.subtracting(registered).sorted())")
        #expect(registered.count == 12)
        for path in ["/", "/healthz", "/readyz", "/version"] {
            #expect(paths[path]?["get"] != nil, "\(path)")
        }

        let components = try #require(document["components"] as? [String: Any])
        let schemes = try #require(components["securitySchemes"] as? [String: [String: Any]])
        let flows = try #require(schemes["entra"]?["flows"] as? [String: [String: Any]])
        let flow = try #require(flows["authorizationCode"])
        #expect(flow["authorizationUrl"] as? String == "http://127.0.0.1:9000/7c3e1f6a-4d2b-4b8e-9a51-2f0c8d6e9b10/oauth2/v2.0/authorize")
        #expect(
            (flow["scopes"] as? [String: String]).map { Set($0.keys) } == [
                "api://5b1a9c3e-8f2d-4e6a-b7c4-1d9e0f2a3b4c/Heroes.Read",
                "api://5b1a9c3e-8f2d-4e6a-b7c4-1d9e0f2a3b4c/Heroes.Write",
                "api://5b1a9c3e-8f2d-4e6a-b7c4-1d9e0f2a3b4c/Heroes.Delete",
            ]
        )
    }

    @Test("the list documents its parameters' real bounds and the Link header")
    func listParameters() throws {
        let data = HeroAPIDocument(authorizationURL: "a", tokenURL: "t", scopePrefix: "api://x/").json()
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let list = try #require(((document["paths"] as? [String: Any])?["/api/heroes/"] as? [String: Any])?["get"] as? [String: Any])
        let parameters = try #require(list["parameters"] as? [[String: Any]])
        let schemas = Dictionary(
            uniqueKeysWithValues: parameters.compactMap { p in (p["name"] as? String).map { ($0, p["schema"] as? [String: Any] ?? [:]) } }
        )
        #expect(schemas["limit"]?["maximum"] as? Int == 1000)
        #expect(schemas["offset"]?["maximum"] as? Int == Int.max)
        #expect(schemas["cursor"]?["maxLength"] as? Int == 12 && schemas["cursor"]?["pattern"] as? String == "^[A-Za-z0-9_-]{12}$")
        let ok = try #require((list["responses"] as? [String: Any])?["200"] as? [String: Any])
        #expect((ok["headers"] as? [String: Any])?["Link"] != nil)
        #expect((list["responses"] as? [String: Any])?["400"] != nil)
    }

    @Test("the schema carries the validation bounds")
    func schemaBounds() throws {
        let data = HeroAPIDocument(authorizationURL: "a", tokenURL: "t", scopePrefix: "api://x/").json()
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
        let input = try #require(schemas["HeroInput"] as? [String: Any])
        let properties = try #require(input["properties"] as? [String: [String: Any]])
        #expect(properties["name"]?["maxLength"] as? Int == 100)
        #expect(properties["level"]?["maximum"] as? Int == 20)
        #expect(Set(input["required"] as? [String] ?? []) == ["name", "race", "class_", "level", "hit_points", "armor_class", "speed"])
    }

    @Test("/docs serves Swagger UI pointing at the document")
    func docs() async throws {
        try await withHeroServer { client, _ in
            try await client.execute(uri: "/docs", method: .get) {
                #expect($0.status == .ok)
                let page = String(buffer: $0.body)
                #expect(
                    page.contains("swagger-ui-dist@\(DocumentationRoutes.swaggerUIVersion)/swagger-ui-bundle.js")
                        && page.contains("/openapi.json")
                )
                #expect($0.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
                #expect($0.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
                let policy = $0.headers[.contentSecurityPolicy] ?? ""
                #expect(policy.contains("script-src https://cdn.jsdelivr.net/npm/swagger-ui-dist@5.33.1/ 'sha256-"))
                #expect(policy.contains("style-src https://cdn.jsdelivr.net/npm/swagger-ui-dist@5.33.1/;"))
                // Swagger UI redeems the sign-in code at the development authority's token endpoint.
                #expect(policy.contains("connect-src 'self' http://127.0.0.1:9000;"))
            }
            try await client.execute(uri: "/docs/oauth2-redirect", method: .get) { #expect($0.status == .ok) }
        }
    }
}
