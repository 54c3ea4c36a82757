import HTTPTypes
import HeroAPI
import HeroDomain
import HummingbirdTesting
import Testing

@Suite("Heroes API: a body with a member name twice is refused, naming it")
struct HeroDuplicateMemberTests {
    /// `gimliJSON` with `extra` members added before its closing brace.
    static func withExtra(_ extra: String) -> String {
        String(gimliJSON.dropLast()) + ", " + extra + "}"
    }

    static let cases: [(body: String, name: String, pointer: String)] = [
        (withExtra(#""name": "Second""#), "name", ""),
        (withExtra(#""level": 6"#), "level", ""),
        (withExtra(#""n\u0061me": "Escaped""#), "name", ""),
        (withExtra(#""notes": {"a": 1, "b": {"c": 2}, "a": 3}"#), "a", "/notes"),
        (withExtra(#""notes": [{"x": 1}, {"y": 2, "y": 3}]"#), "y", "/notes/1"),
        (withExtra(#""bio": null, "bio": "x""#), "bio", ""),
    ]

    @Test("POST: 400 problem+json naming the member, nothing stored", arguments: cases)
    func create(body: String, name: String, pointer: String) async throws {
        try await withHeroAPI { client, repository in
            let response = try await client.send(.post, "/api/heroes/", json: body)
            #expect(response.status == .badRequest)
            #expect(response.headers[.contentType] == "application/problem+json")
            let problem = try response.decode(Problem.self)
            #expect(problem.detail.contains("\"\(name)\" more than once"))
            #expect(pointer.isEmpty || problem.detail.contains("at \(pointer);"))
            #expect(problem.errors == [Problem.Field(field: String((pointer + "/" + name).dropFirst()), message: "appears more than once")])
            #expect(try await repository.list(.first) == [])
        }
    }

    @Test("PUT: 400 naming the member, the hero unchanged")
    func replace() async throws {
        try await withHeroAPI { client, repository in
            let hero = try await repository.create(gimli)
            let body =
                #"{"name": "First", "race": "Elf", "class_": "Bard", "level": 2, "hit_points": 5, "armor_class": 3, "speed": 4, "name": "Second"}"#
            let response = try await client.send(.put, "/api/heroes/\(hero.id)", json: body)
            #expect(response.status == .badRequest)
            #expect(try response.decode(Problem.self).detail.contains(#""name" more than once"#))
            #expect(try await repository.get(id: hero.id) == hero)
        }
    }

    @Test("the same name in different objects is no duplicate")
    func sameNameElsewhere() async throws {
        try await withHeroAPI { client, _ in
            let body = Self.withExtra(#""notes": {"name": "inner", "list": [{"name": 1}, {"name": 2}]}, "more": {"name": "x"}"#)
            let response = try await client.send(.post, "/api/heroes/", json: body)
            #expect(response.status == .created)
        }
    }

    @Test("a very long repeated name is shown cut short")
    func longName() async throws {
        try await withHeroAPI { client, _ in
            let long = String(repeating: "x", count: 5000)
            let response = try await client.send(.post, "/api/heroes/", json: Self.withExtra(#""\#(long)": 1, "\#(long)": 2"#))
            #expect(response.status == .badRequest)
            #expect(try response.decode(Problem.self).detail.count < 400)
        }
    }
}
