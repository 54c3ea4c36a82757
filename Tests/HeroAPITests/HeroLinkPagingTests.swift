import HTTPTypes
import HeroAPI
import HeroDomain
import HummingbirdTesting
import Testing

@Suite("Heroes API: the list says where the next page is (RFC 8288 Link)")
struct HeroLinkPagingTests {
    static let link = HTTPField.Name("Link")!

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

    /// The target of a `<target>; rel="next"` value.
    private func nextTarget(_ response: TestResponse) throws -> String {
        let value = try #require(response.headers[Self.link])
        let match = try #require(value.wholeMatch(of: /<([^>]+)>; rel="next"/))
        return String(match.1)
    }

    @Test("past 100 heroes the default list says that more follow, and the next page holds the rest")
    func defaultPage() async throws {
        try await withHeroAPI { client, repository in
            let heroes = try await seed(repository, (0..<101).map { "Hero \($0)" })
            let first = try await client.send(.get, "/api/heroes/")
            #expect(try first.decode([Hero].self) == Array(heroes[0..<100]))
            let next = try nextTarget(first)
            #expect(next.hasPrefix("/api/heroes/?limit=100&cursor="))
            let second = try await client.send(.get, next)
            #expect(second.status == .ok)
            #expect(try second.decode([Hero].self) == [heroes[100]])
            #expect(second.headers[Self.link] == nil)
        }
    }

    @Test("no Link when the page ends the list, exactly full or not")
    func lastPage() async throws {
        try await withHeroAPI { client, repository in
            _ = try await seed(repository, ["A", "B"])
            for query in ["", "?limit=2", "?limit=3", "?offset=1", "?offset=5"] {
                let response = try await client.send(.get, "/api/heroes/\(query)")
                #expect(response.status == .ok)
                #expect(response.headers[Self.link] == nil, "\(query)")
            }
        }
    }

    @Test("following the links sees every hero once while heroes are created and deleted between pages")
    func walkWhileChanging() async throws {
        try await withHeroAPI { client, repository in
            let heroes = try await seed(repository, (0..<9).map { "Hero \($0)" })
            var seen: [Hero] = []
            var response = try await client.send(.get, "/api/heroes?limit=2")
            var added: [Hero] = []
            while true {
                #expect(response.status == .ok)
                seen += try response.decode([Hero].self)
                guard response.headers[Self.link] != nil else { break }
                // Deleting a hero already seen would make an offset skip the next one.
                #expect(try await client.send(.delete, "/api/heroes/\(try #require(seen.last).id)").status == .ok)
                added += try await seed(repository, ["Late \(added.count)"])
                response = try await client.send(.get, try nextTarget(response))
                try #require(seen.count < 100)
            }
            #expect(seen == heroes + added)
        }
    }

    @Test("a list that starts at an offset continues by cursor; the link keeps the limit")
    func offsetThenCursor() async throws {
        try await withHeroAPI { client, repository in
            let heroes = try await seed(repository, ["A", "B", "C", "D", "E"])
            let first = try await client.send(.get, "/api/heroes?offset=1&limit=2")
            #expect(try first.decode([Hero].self) == Array(heroes[1...2]))
            let next = try nextTarget(first)
            #expect(next.hasPrefix("/api/heroes/?limit=2&cursor=") && !next.contains("offset"))
            #expect(try await client.send(.get, next).decode([Hero].self) == Array(heroes[3...4]))
        }
    }

    @Test(
        "a cursor this server did not write is 400 problem+json, and so is a cursor with an offset",
        arguments: [
            ("cursor=", "cursor"), ("cursor=abc", "cursor"), ("cursor=AQAAAAAAAAAB%3D", "cursor"), ("cursor=AgAAAAAAAAAB", "cursor"),
            ("cursor=AYAAAAAAAAAA", "cursor"), ("cursor=AQAAAAAAAAAB&offset=0", "offset"), ("offset=2&cursor=AQAAAAAAAAAB", "offset"),
            ("cursor=AQAAAAAAAAAB&offset=x", "offset"),
        ]
    )
    func invalidCursor(query: String, field: String) async throws {
        try await withHeroAPI { client, repository in
            _ = try await seed(repository, ["A", "B"])
            let response = try await client.send(.get, "/api/heroes/?\(query)")
            #expect(response.status == .badRequest)
            #expect(response.headers[.contentType] == "application/problem+json")
            let problem = try response.decode(Problem.self)
            #expect(problem.errors?.map(\.field) == [field])
            #expect(problem.detail.contains(field))
        }
    }

    @Test("a valid cursor with a bad limit is still 422 naming the limit")
    func cursorWithBadLimit() async throws {
        try await withHeroAPI { client, _ in
            let response = try await client.send(.get, "/api/heroes/?cursor=AQAAAAAAAAAB&limit=0")
            #expect(response.status == .unprocessableContent)
            #expect(try response.decode(Problem.self).errors?.map(\.field) == ["limit"])
        }
    }

    @Test("the link is a path on this server, whatever Host or path the request came with")
    func linkIgnoresHost() async throws {
        try await withHeroAPI { client, repository in
            _ = try await seed(repository, ["A", "B"])
            for path in ["/api/heroes?limit=1", "/api/heroes/?limit=1", "//api/heroes?limit=1"] {
                let response = try await client.execute(uri: path, method: .get, headers: [HTTPField.Name("Host")!: "evil.example"])
                guard response.status == .ok else { continue }
                #expect(try nextTarget(response).hasPrefix("/api/heroes/?limit=1&cursor="), "\(path)")
            }
        }
    }
}
