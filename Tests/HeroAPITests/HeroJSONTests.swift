import Foundation
import HTTPServerKit
import HeroDomain
import Hummingbird
import Testing

@testable import HeroAPI

/// ``HeroJSON`` writes heroes by hand for speed; `JSONEncoder.sortedKeys()` over `Hero`'s
/// `Codable` form is the reference it must match byte for byte.
@Suite struct HeroJSONTests {
    /// Every byte a text could need escaped, and the ones that must pass through as they are.
    static let texts: [String?] = [
        nil,
        "",
        "Aragorn",
        "quote \" backslash \\ slash / end",
        String(decoding: (0..<0x20).map { UInt8($0) }, as: UTF8.self),
        "tab\tnewline\ncarriage\rbackspace\u{8}formfeed\u{c}",
        "DEL \u{7F}, line separator \u{2028}, paragraph separator \u{2029}",
        "Åsa Ødegård 勇者 🐋 e\u{301}",
        String(repeating: "long text with an escape \"here\" ", count: 60),
    ]

    static func hero(_ text: String?, number: Int) -> Hero {
        Hero(
            id: HeroID(UUID(uuidString: "0F2E4D6C-8B0A-4C1E-9F3D-5A7B9C1D3E5F")!),
            details: HeroInput(
                name: text ?? "Nameless",
                race: text ?? "Elf",
                heroClass: text ?? "Wizard",
                level: number % 20 + 1,
                background: text,
                alignment: text,
                hitPoints: number * 397 % 10_001,
                armorClass: number % 51,
                speed: number * 7 % 501,
                personalityTraits: text,
                ideals: text,
                bonds: text,
                flaws: number.isMultiple(of: 2) ? text : nil
            )
        )
    }

    static func written(_ write: (inout JSONText) -> Void) -> [UInt8] {
        var json = JSONText(capacity: 0)
        write(&json)
        return json.bytes
    }

    @Test(arguments: texts.indices)
    func aHeroIsWhatTheEncoderWrites(index: Int) throws {
        let hero = Self.hero(Self.texts[index], number: index)
        let expected = Array(try JSONEncoder.sortedKeys().encode(hero))
        let actual = Self.written { HeroJSON.write(hero, into: &$0) }
        #expect(actual == expected, "\(String(decoding: actual, as: UTF8.self)) != \(String(decoding: expected, as: UTF8.self))")
    }

    @Test func aListIsWhatTheEncoderWrites() throws {
        for count in [0, 1, 3] {
            let heroes = Self.texts.indices.prefix(count).map { Self.hero(Self.texts[$0], number: $0) }
            let expected = Array(try JSONEncoder.sortedKeys().encode(heroes))
            #expect(Self.written { HeroJSON.write(heroes, into: &$0) } == expected)
        }
    }

    @Test func numbersAreWhatTheEncoderWrites() throws {
        let numbers = [0, 1, 9, 10, 99, 100, -1, -9, -10, 1_234_567_890, Int.max, Int.min, Int.min + 1]
        for number in numbers {
            let expected = Array(try JSONEncoder.sortedKeys().encode([number]))
            let actual = Self.written { json in
                json.append("[")
                json.append(number)
                json.append("]")
            }
            #expect(actual == expected, "\(number)")
        }
    }

    @Test func theOutputDecodesBackToTheSameHero() throws {
        for (index, text) in Self.texts.enumerated() {
            let hero = Self.hero(text, number: index)
            let bytes = Self.written { HeroJSON.write(hero, into: &$0) }
            #expect(try JSONDecoder().decode(Hero.self, from: Data(bytes)) == hero)
        }
    }
}
