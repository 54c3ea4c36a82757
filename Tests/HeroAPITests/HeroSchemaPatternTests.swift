import Foundation
import HeroAPI
import HeroDomain
import Testing

/// The `pattern`s of the published schema against the server's own rules: for every string of
/// a table, and every Unicode scalar alone, both must accept or both refuse.
@Suite("OpenAPI: each text pattern says what the server's rule says")
struct HeroSchemaPatternTests {
    /// The published schema's text members, with the rule the server applies to each.
    static let members: [(field: String, rule: TextRule)] = [
        ("name", HeroRules.name), ("race", HeroRules.race), ("class_", HeroRules.heroClass),
        ("alignment", HeroRules.alignment), ("background", HeroRules.longText), ("personality_traits", HeroRules.longText),
        ("ideals", HeroRules.longText), ("bonds", HeroRules.longText), ("flaws", HeroRules.longText),
    ]

    static let table: [String] = [
        "", " ", "  ", "Gimli", " Gimli ", "\t", "a\tb", "\n", "a\nb", "a\r\nb", "\r", "\u{0B}", "\u{0C}", "\u{7F}", "\u{80}",
        "\u{85}", "\u{9F}", "\u{A0}", "\u{A0}x", "\u{1680}", "\u{2000}\u{200A}", "\u{2028}", "\u{2029}", "\u{202F}", "\u{205F}",
        "\u{3000}", "\u{FEFF}", "\u{180E}", "\u{200B}", " \u{301}", "\u{301}", "\u{200D}", "🦸", " 🦸 ", "勇者", "a\u{0}b", "\u{0}",
        "x\u{1B}[31m", "Line one\nLine two", "\n\n", " \n ", "Ærøskøbing", "\u{D7FF}", "\u{E000}", "\u{FFFD}", "\u{10FFFF}",
    ]

    /// The patterns `/openapi.json` publishes, by member name.
    static func publishedPatterns() throws -> [String: String] {
        let document = try #require(try JSONSerialization.jsonObject(with: testDocument.json()) as? [String: Any])
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
        let properties = try #require((schemas["HeroInput"] as? [String: Any])?["properties"] as? [String: [String: Any]])
        return properties.compactMapValues { $0["pattern"] as? String }
    }

    /// Whether `pattern` matches all of `text`: ECMA-262's `$` (no `m` flag) is the end of the
    /// input only, where ICU's also matches before a final line break, so the match must
    /// cover the whole string.
    static func matches(_ pattern: NSRegularExpression, _ text: String) -> Bool {
        let whole = NSRange(text.startIndex..., in: text)
        return pattern.firstMatch(in: text, range: whole)?.range == whole
    }

    /// What the server says about the characters (lengths aside, which minLength and
    /// maxLength publish): acceptable unless a control or blankness message is given.
    static func serverAccepts(_ rule: TextRule, _ text: String) -> Bool {
        rule.violations(of: text).allSatisfy { !$0.contains("control") && !$0.contains("blank") && !$0.contains("empty") }
    }

    @Test("every text member has a pattern, and it is the rule's")
    func everyMember() throws {
        let patterns = try Self.publishedPatterns()
        for (field, rule) in Self.members {
            #expect(patterns[field] == rule.pattern, "\(field)")
        }
        #expect(Set(patterns.keys) == Set(Self.members.map(\.field)))
    }

    @Test("the table of strings", arguments: members)
    func table(field: String, rule: TextRule) throws {
        let pattern = try NSRegularExpression(pattern: try #require(try Self.publishedPatterns()[field]))
        for text in Self.table {
            let scalars = text.unicodeScalars.map { String($0.value, radix: 16) }
            #expect(Self.matches(pattern, text) == Self.serverAccepts(rule, text), "\(field): \(scalars)")
        }
    }

    @Test("every Unicode scalar on its own, and between letters", arguments: [HeroRules.name, HeroRules.alignment, HeroRules.longText])
    func everyScalar(rule: TextRule) throws {
        let pattern = try NSRegularExpression(pattern: rule.pattern)
        var disagreements: [String] = []
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            // Scalars of one kind get one answer; a sample of the rest keeps the test quick.
            let special = scalar.properties.generalCategory == .control || scalar.properties.isWhitespace
            guard special || value < 0x3100 || value.isMultiple(of: 97) else { continue }
            for text in [String(scalar), "a" + String(scalar) + "b"] where Self.matches(pattern, text) != Self.serverAccepts(rule, text) {
                disagreements.append(String(value, radix: 16))
            }
        }
        #expect(disagreements.isEmpty, "U+\(disagreements.prefix(20))")
    }
}
