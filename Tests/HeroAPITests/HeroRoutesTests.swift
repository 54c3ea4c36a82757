import Foundation
import HTTPTypes
import HeroAPI
import HeroDomain
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import Testing

@Suite("Heroes API: every route's success, wire format and content type")
struct HeroRoutesTests {
    /// The seed's document for `hero`: every key sorted, `null` for an absent optional.
    private func seedJSON(_ hero: Hero) -> String {
        let details = hero.details
        func text(_ value: String?) -> String { value.map { #""\#($0)""# } ?? "null" }
        return #"{"alignment":\#(text(details.alignment)),"armor_class":\#(details.armorClass),"#
            + #""background":\#(text(details.background)),"bonds":\#(text(details.bonds)),"class_":"\#(details.heroClass)","#
            + #""flaws":\#(text(details.flaws)),"hit_points":\#(details.hitPoints),"id":"\#(hero.id)","#
            + #""ideals":\#(text(details.ideals)),"level":\#(details.level),"name":"\#(details.name)","#
            + #""personality_traits":\#(text(details.personalityTraits)),"race":"\#(details.race)","speed":\#(details.speed)}"#
    }

    @Test(
        "POST creates: 201, Location, a server-assigned lowercase id, the seed's keys in sorted order",
        arguments: ["/api/heroes", "/api/heroes/"]
    )
    func create(path: String) async throws {
        try await withHeroAPI { client, repository in
            let body =
                #"{"id": "mine", "name": "Gimli", "race": "Dwarf", "class_": "Fighter", "level": 5, "hit_points": 50, "armor_class": 18, "speed": 25, "flaws": "Gold"}"#
            let response = try await client.send(.post, path, json: body)
            #expect(response.status == .created)
            #expect(response.headers[.contentType] == "application/json")
            let stored = try #require(try await repository.list(.first).first)
            var expected = gimli
            expected.flaws = "Gold"
            #expect(stored.details == expected)
            #expect(stored.id.description == stored.id.description.lowercased())
            #expect(response.headers[.location] == "/api/heroes/\(stored.id)")
            #expect(response.text == seedJSON(stored))
        }
    }

    @Test("GET lists heroes oldest first as a JSON array", arguments: ["/api/heroes", "/api/heroes/"])
    func list(path: String) async throws {
        try await withHeroAPI { client, repository in
            let empty = try await client.send(.get, path)
            #expect(empty.status == .ok)
            #expect(empty.headers[.contentType] == "application/json")
            #expect(empty.text == "[]")

            let first = try await repository.create(gimli)
            var legolas = gimli
            legolas.name = "Legolas"
            let second = try await repository.create(legolas)
            let response = try await client.send(.get, path)
            #expect(response.status == .ok)
            #expect(response.text == "[" + seedJSON(first) + "," + seedJSON(second) + "]")
        }
    }

    @Test("GET one answers the hero; the id may be in either case", arguments: ["", "/"])
    func get(suffix: String) async throws {
        try await withHeroAPI { client, repository in
            let hero = try await repository.create(gimli)
            for id in [hero.id.description, hero.id.description.uppercased()] {
                let response = try await client.send(.get, "/api/heroes/\(id)\(suffix)")
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                #expect(response.text == seedJSON(hero))
            }
        }
    }

    @Test("PUT replaces every field, keeps the id, and clears omitted optionals", arguments: ["", "/"])
    func replace(suffix: String) async throws {
        try await withHeroAPI { client, repository in
            var before = gimli
            before.flaws = "Gold"
            let hero = try await repository.create(before)
            let replacement =
                #"{"name": "Gimli, son of Glóin", "race": "Dwarf", "class_": "Fighter", "level": 6, "hit_points": 60, "armor_class": 18, "speed": 25}"#
            let response = try await client.send(.put, "/api/heroes/\(hero.id)\(suffix)", json: replacement)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            #expect(response.headers[.location] == nil)
            let stored = try await repository.get(id: hero.id)
            #expect(stored.details.name == "Gimli, son of Glóin" && stored.details.level == 6 && stored.details.flaws == nil)
            #expect(response.text == seedJSON(stored))
        }
    }

    @Test("DELETE answers the seed's message and the hero is gone; again is 404", arguments: ["", "/"])
    func delete(suffix: String) async throws {
        try await withHeroAPI { client, repository in
            let keep = try await repository.create(gimli)
            let hero = try await repository.create(gimli)
            let response = try await client.send(.delete, "/api/heroes/\(hero.id)\(suffix)")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            #expect(response.text == #"{"message":"Hero with id '\#(hero.id)' deleted successfully"}"#)
            #expect(try await repository.list(.first) == [keep])

            let again = try await client.send(.delete, "/api/heroes/\(hero.id)\(suffix)")
            #expect(again.status == .notFound)
            #expect(
                again.text == #"{"detail":"Hero with id '\#(hero.id)' not found","status":404,"title":"Not Found","type":"about:blank"}"#
            )
        }
    }

    @Test("a round trip through the API: create, get, replace, list, delete")
    func roundTrip() async throws {
        try await withHeroAPI { client, _ in
            let created: Hero = try await client.send(.post, "/api/heroes/", json: gimliJSON).decode()
            #expect(created.details == gimli)
            let fetched: Hero = try await client.send(.get, "/api/heroes/\(created.id)").decode()
            #expect(fetched == created)
            let gloin = gimliJSON.replacingOccurrences(of: "Gimli", with: "Gloin")
            let replaced: Hero = try await client.send(.put, "/api/heroes/\(created.id)", json: gloin).decode()
            #expect(replaced.id == created.id && replaced.details.name == "Gloin")
            let listed: [Hero] = try await client.send(.get, "/api/heroes/").decode()
            #expect(listed == [replaced])
            #expect(try await client.send(.delete, "/api/heroes/\(created.id)").status == .ok)
            #expect(try await client.send(.get, "/api/heroes/\(created.id)").status == .notFound)
        }
    }

    @Test("/openapi.json is the document, encoded like every body")
    func openAPIDocument() async throws {
        try await withHeroAPI { client, _ in
            let response = try await client.send(.get, "/openapi.json")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            #expect(Data(buffer: response.body) == testDocument.json())
            #expect(response.text.hasPrefix(#"{"components":{"schemas":{"DeleteMessage":"#))
            #expect(response.text.contains(#""authorizationUrl":"https://authority/authorize""#))
        }
    }
}
