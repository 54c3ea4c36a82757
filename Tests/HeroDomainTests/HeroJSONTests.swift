import Foundation
import HeroDomain
import Testing

@Suite("Hero JSON, as the Python demo wrote it")
struct HeroJSONTests {
    let id = HeroID("3F2504E0-4F89-41D3-9A0C-0305E82C3301")!

    private func object(_ value: some Encodable) throws -> [String: Any] {
        let data = try JSONEncoder().encode(value)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test("a hero has exactly the seed's keys, with a lowercase id")
    func seedKeys() throws {
        let json = try object(Hero(id: id, details: .aragorn))
        #expect(
            Set(json.keys) == [
                "id", "name", "race", "class_", "level", "background", "alignment", "hit_points",
                "armor_class", "speed", "personality_traits", "ideals", "bonds", "flaws",
            ]
        )
        #expect(json["id"] as? String == "3f2504e0-4f89-41d3-9a0c-0305e82c3301")
        #expect(json["class_"] as? String == "Ranger")
        #expect(json["hit_points"] as? Int == 120)
    }

    @Test("absent optional texts are written as null")
    func nullOptionals() throws {
        var input = HeroInput.aragorn
        input.bonds = nil
        let json = try object(input)
        #expect(json["bonds"] is NSNull)
    }

    @Test("input decodes without optionals, and an id in it is ignored")
    func decodeInput() throws {
        let body = Data(
            """
            {"id": "client-chosen", "name": "Gimli", "race": "Dwarf", "class_": "Fighter", "level": 5,
             "hit_points": 50, "armor_class": 18, "speed": 25, "flaws": null}
            """.utf8
        )
        let input = try JSONDecoder().decode(HeroInput.self, from: body)
        #expect(input == HeroInput(name: "Gimli", race: "Dwarf", heroClass: "Fighter", level: 5, hitPoints: 50, armorClass: 18, speed: 25))
    }

    @Test("a hero survives a JSON round trip")
    func roundTrip() throws {
        let hero = Hero(id: id, details: .aragorn)
        let decoded = try JSONDecoder().decode(Hero.self, from: JSONEncoder().encode(hero))
        #expect(decoded == hero)
    }

    @Test("a required field of the wrong type is a decoding error")
    func wrongType() {
        let body = Data(
            #"{"name": "Gimli", "race": "Dwarf", "class_": "Fighter", "level": "five", "hit_points": 50, "armor_class": 18, "speed": 25}"#
                .utf8
        )
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(HeroInput.self, from: body) }
    }

    @Test(
        "hero ids parse in either case and print lowercase",
        arguments: [
            ("3F2504E0-4F89-41D3-9A0C-0305E82C3301", "3f2504e0-4f89-41d3-9a0c-0305e82c3301"),
            ("3f2504e0-4f89-41d3-9a0c-0305e82c3301", "3f2504e0-4f89-41d3-9a0c-0305e82c3301"),
        ]
    )
    func heroIDs(text: String, printed: String) {
        #expect(HeroID(text)?.description == printed)
    }

    @Test("anything else is not a hero id", arguments: ["", "42", "3f2504e0", "3f2504e0-4f89-41d3-9a0c-0305e82c330", "../etc/passwd"])
    func notHeroIDs(text: String) {
        #expect(HeroID(text) == nil)
    }
}
