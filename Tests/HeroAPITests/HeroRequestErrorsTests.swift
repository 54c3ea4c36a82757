import Foundation
import HTTPTypes
import HeroAPI
import HeroDomain
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Heroes API: every error status as problem+json, and nothing changed")
struct HeroRequestErrorsTests {
    @Test("bad bodies: 400 not an object, 415 not JSON, 413 too large; POST and PUT alike", arguments: [HTTPRequest.Method.post, .put])
    func badBodies(method: HTTPRequest.Method) async throws {
        try await withHeroAPI { client, repository in
            let hero = try await repository.create(gimli)
            let path = method == .post ? "/api/heroes/" : "/api/heroes/\(hero.id)"
            let cases: [(String, String?, String, HTTPResponse.Status, String)] = [
                ("malformed JSON", "application/json", #"{"name": "#, .badRequest, "The body is not a JSON object"),
                ("a JSON array", "application/json", "[]", .badRequest, "The body is not a JSON object"),
                ("a JSON string", "application/json", #""Gimli""#, .badRequest, "The body is not a JSON object"),
                ("no content type", nil, gimliJSON, .unsupportedMediaType, "Send the hero as application/json"),
                ("text/plain", "text/plain", gimliJSON, .unsupportedMediaType, "Send the hero as application/json"),
                ("application/jsonx", "application/jsonx", gimliJSON, .unsupportedMediaType, "Send the hero as application/json"),
                (
                    "over 64 KiB", "application/json", String(repeating: " ", count: 65 * 1024) + gimliJSON, .contentTooLarge,
                    "The request body is too large"
                ),
            ]
            for (name, contentType, body, status, detail) in cases {
                var headers = HTTPFields()
                if let contentType { headers[.contentType] = contentType }
                let response = try await client.execute(uri: path, method: method, headers: headers, body: ByteBuffer(string: body))
                #expect(response.status == status, "\(name)")
                #expect(response.headers[.contentType] == "application/problem+json", "\(name)")
                #expect(response.headers[.cacheControl] == "no-store", "\(name)")
                let problem: Problem = try response.decode()
                #expect(
                    problem == Problem(type: "about:blank", title: status.reasonPhrase, status: status.code, detail: detail, errors: nil),
                    "\(name)"
                )
            }
            #expect(try await repository.list(.first) == [hero])
        }
    }

    @Test("the JSON media type is matched without case and with parameters")
    func mediaTypeParameters() async throws {
        try await withHeroAPI { client, repository in
            for contentType in ["application/json; charset=utf-8", "Application/JSON", "application/json;charset=UTF-8"] {
                let response = try await client.execute(
                    uri: "/api/heroes/",
                    method: .post,
                    headers: [.contentType: contentType],
                    body: ByteBuffer(string: gimliJSON)
                )
                #expect(response.status == .created, "\(contentType)")
            }
            #expect(try await repository.list(.first).count == 3)
        }
    }

    @Test("422 lists every wrong field at once, in document order: missing, mistyped, out of range")
    func validation() async throws {
        try await withHeroAPI { client, repository in
            let shapes = #"{"name": "", "race": 7, "level": 3.5, "hit_points": -1, "armor_class": 10, "speed": 30, "ideals": ["x"]}"#
            let response = try await client.send(.post, "/api/heroes/", json: shapes)
            #expect(response.status == .unprocessableContent)
            #expect(response.headers[.contentType] == "application/problem+json")
            let problem: Problem = try response.decode()
            #expect(problem.status == 422 && problem.title == "Unprocessable Content")
            #expect(
                problem.errors == [
                    .init(field: "race", message: "must be a string"),
                    .init(field: "class_", message: "is required"),
                    .init(field: "level", message: "must be an integer"),
                    .init(field: "ideals", message: "must be a string or null"),
                ]
            )
            #expect(problem.detail.hasPrefix("Invalid hero: race must be a string; class_ is required"))

            let outOfRange =
                #"{"name": " ", "race": "Elf", "class_": "Wizard", "level": 21, "hit_points": -1, "armor_class": 10, "speed": 30}"#
            let second: Problem = try await client.send(.post, "/api/heroes/", json: outOfRange).decode()
            #expect(
                second.errors == [
                    .init(field: "name", message: "must not be blank"),
                    .init(field: "level", message: "must be between 1 and 20 (got 21)"),
                    .init(field: "hit_points", message: "must be between 0 and 10000 (got -1)"),
                ]
            )
            #expect(try await repository.list(.first) == [])
        }
    }

    @Test("an invalid PUT is 422 and leaves the hero as it was; for an unknown UUID too (the body is checked first)")
    func invalidReplace() async throws {
        try await withHeroAPI { client, repository in
            let hero = try await repository.create(gimli)
            let invalid = gimliJSON.replacingOccurrences(of: #""level": 5"#, with: #""level": 0"#)
            for id in [hero.id, HeroID.random()] {
                let response = try await client.send(.put, "/api/heroes/\(id)", json: invalid)
                #expect(response.status == .unprocessableContent)
                #expect(try response.decode(Problem.self).errors == [.init(field: "level", message: "must be between 1 and 20 (got 0)")])
            }
            #expect(try await repository.list(.first) == [hero])
        }
    }

    @Test("unknown ids are 404 for GET, PUT and DELETE; ids that are not UUIDs too, before the body is read")
    func unknownIDs() async throws {
        try await withHeroAPI { client, repository in
            let hero = try await repository.create(gimli)
            let unknown = HeroID.random()
            let cases: [(String, String)] = [
                (unknown.description, "Hero with id '\(unknown)' not found"),
                (unknown.description.uppercased(), "Hero with id '\(unknown)' not found"),
                ("not-a-uuid", "No hero has this id: hero ids are UUIDs"),
                ("\(hero.id)x", "No hero has this id: hero ids are UUIDs"),
            ]
            for (id, detail) in cases {
                for method in [HTTPRequest.Method.get, .delete, .put] {
                    // A PUT to a malformed id is 404 even with a body that is not a hero.
                    let body = id == unknown.description || id == unknown.description.uppercased() ? gimliJSON : "[]"
                    let response = try await client.execute(
                        uri: "/api/heroes/\(id)",
                        method: method,
                        headers: jsonHeaders,
                        body: method == .put ? ByteBuffer(string: body) : nil
                    )
                    #expect(response.status == .notFound, "\(method) \(id)")
                    #expect(response.headers[.contentType] == "application/problem+json", "\(method) \(id)")
                    #expect(try response.decode(Problem.self).detail == detail, "\(method) \(id)")
                }
            }
            #expect(try await repository.list(.first) == [hero])
        }
    }

    @Test("a failing store is 503 with Retry-After and a generic detail; its reason is not shown")
    func storageFailure() async throws {
        try await withHeroAPI(repository: FailingRepository()) { client, _ in
            let id = HeroID.random()
            let requests: [(HTTPRequest.Method, String, String?)] = [
                (.post, "/api/heroes/", gimliJSON), (.get, "/api/heroes/", nil), (.get, "/api/heroes/\(id)", nil),
                (.put, "/api/heroes/\(id)", gimliJSON), (.delete, "/api/heroes/\(id)", nil),
            ]
            for (method, path, body) in requests {
                let response = try await client.execute(
                    uri: path,
                    method: method,
                    headers: jsonHeaders,
                    body: body.map { ByteBuffer(string: $0) }
                )
                #expect(response.status == .serviceUnavailable, "\(method) \(path)")
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(response.headers[.retryAfter] == "5", "\(method) \(path)")
                #expect(try response.decode(Problem.self).detail == "The hero store is unavailable; try again later")
                #expect(!response.text.contains("secret"))
            }
        }
    }
}

/// A store whose every operation fails, as a broken disk would.
struct FailingRepository: HeroRepository {
    private var failure: HeroError { .storageFailure("disk I/O error at /secret/heroes.sqlite") }

    func create(_ input: HeroInput) async throws(HeroError) -> Hero { throw failure }
    func get(id: HeroID) async throws(HeroError) -> Hero { throw failure }
    func listing(_ page: Page) async throws(HeroError) -> HeroListing { throw failure }
    func replace(id: HeroID, with input: HeroInput) async throws(HeroError) -> Hero { throw failure }
    func delete(id: HeroID) async throws(HeroError) { throw failure }
}
