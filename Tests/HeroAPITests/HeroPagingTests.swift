import HTTPTypes
import HeroAPI
import HeroDomain
import HummingbirdTesting
import Testing

@Suite("Heroes API: list paging parameters")
struct HeroPagingTests {
    /// Creates heroes named `names` in order.
    private func seed(_ repository: InMemoryHeroRepository, _ names: [String]) async throws -> [Hero] {
        var heroes: [Hero] = []
        for name in names {
            var input = gimli
            input.name = name
            heroes.append(try await repository.create(input))
        }
        return heroes
    }

    @Test("limit and offset pick a window; unknown parameters are ignored")
    func window() async throws {
        try await withHeroAPI { client, repository in
            let heroes = try await seed(repository, ["A", "B", "C", "D"])
            let cases: [(String, [Hero])] = [
                ("limit=2&offset=1", Array(heroes[1...2])),
                ("offset=3", [heroes[3]]),
                ("limit=1", [heroes[0]]),
                ("offset=4", []),
                ("limit=1000&offset=0", heroes),
                ("sort=name&limit=2", Array(heroes[0...1])),
            ]
            for (query, expected) in cases {
                let response = try await client.send(.get, "/api/heroes?\(query)")
                #expect(response.status == .ok, "\(query)")
                #expect(try response.decode([Hero].self) == expected, "\(query)")
            }
        }
    }

    @Test("without parameters the list holds the first 100")
    func defaultLimit() async throws {
        try await withHeroAPI { client, repository in
            let heroes = try await seed(repository, (0..<101).map { "Hero \($0)" })
            let listed = try await client.send(.get, "/api/heroes/").decode([Hero].self)
            #expect(listed == Array(heroes[0..<100]))
        }
    }

    @Test(
        "out-of-range or non-integer parameters are 422 naming each one",
        arguments: [
            ("limit=0", [Problem.Field(field: "limit", message: "must be between 1 and 1000 (got 0)")]),
            ("limit=1001", [.init(field: "limit", message: "must be between 1 and 1000 (got 1001)")]),
            ("offset=-1", [.init(field: "offset", message: "must be 0 or more (got -1)")]),
            ("limit=ten", [.init(field: "limit", message: "must be an integer")]),
            (
                "limit=&offset=1.5",
                [.init(field: "limit", message: "must be an integer"), .init(field: "offset", message: "must be an integer")]
            ),
            (
                "limit=0&offset=-5",
                [
                    .init(field: "limit", message: "must be between 1 and 1000 (got 0)"),
                    .init(field: "offset", message: "must be 0 or more (got -5)"),
                ]
            ),
        ]
    )
    func invalid(query: String, errors: [Problem.Field]) async throws {
        try await withHeroAPI { client, _ in
            let response = try await client.send(.get, "/api/heroes/?\(query)")
            #expect(response.status == .unprocessableContent)
            #expect(response.headers[.contentType] == "application/problem+json")
            let problem = try response.decode(Problem.self)
            #expect(problem.errors == errors)
            #expect(problem.detail == "Invalid hero: " + errors.map { "\($0.field) \($0.message)" }.joined(separator: "; "))
        }
    }
}
