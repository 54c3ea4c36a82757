/// A rule for a text field: its length bounds and which characters it may hold.
///
/// Lengths count Unicode scalars (code points), as the Python demo's pydantic `max_length`
/// did; this also bounds what is stored, which counting grapheme clusters would not.
public struct TextRule: Hashable, Sendable {
    /// Allowed lengths in Unicode scalars. A lower bound of 1 also means "not blank".
    public let lengths: ClosedRange<Int>
    /// Whether `\n` is allowed; no other control character ever is.
    public let allowsNewlines: Bool

    /// Creates a rule.
    public init(lengths: ClosedRange<Int>, allowsNewlines: Bool) {
        self.lengths = lengths
        self.allowsNewlines = allowsNewlines
    }

    /// The messages for every part of the rule `text` breaks; empty when it is fine.
    public func violations(of text: String) -> [String] {
        var messages: [String] = []
        let length = text.unicodeScalars.count
        if length < lengths.lowerBound {
            messages.append(length == 0 ? "must not be empty" : "must be at least \(lengths.lowerBound) characters long")
        } else if lengths.lowerBound > 0, text.unicodeScalars.allSatisfy(\.properties.isWhitespace) {
            // Scalars with Unicode's White_Space property, not grapheme clusters, so that the
            // published `pattern` (which cannot segment graphemes) says exactly the same.
            messages.append("must not be blank")
        }
        if length > lengths.upperBound {
            messages.append("must be at most \(lengths.upperBound) characters long (got \(length))")
        }
        if text.unicodeScalars.contains(where: isForbidden) {
            messages.append(
                allowsNewlines
                    ? "must not contain control characters other than newline"
                    : "must not contain control characters"
            )
        }
        return messages
    }

    private func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        // General category Cc: C0 controls, DEL and C1 controls. Tab and carriage return
        // count too; `\r\n` pairs are a client's job to normalise.
        scalar.properties.generalCategory == .control && !(allowsNewlines && scalar == "\n")
    }
}

/// A rule for an integer field: the closed range it must lie in.
public struct IntegerRule: Hashable, Sendable {
    /// The allowed values.
    public let range: ClosedRange<Int>

    /// Creates a rule.
    public init(range: ClosedRange<Int>) {
        self.range = range
    }

    /// The message for `value`, or nil when it lies in the range.
    public func violation(of value: Int) -> String? {
        range.contains(value) ? nil : "must be between \(range.lowerBound) and \(range.upperBound) (got \(value))"
    }
}

/// The rules a hero's fields obey, in one place so that validation and the API's published
/// schema cannot drift apart.
public enum HeroRules {
    /// `name`: 1 to 100 characters, not blank, one line.
    public static let name = TextRule(lengths: 1...100, allowsNewlines: false)
    /// `race`: 1 to 50 characters, not blank, one line.
    public static let race = TextRule(lengths: 1...50, allowsNewlines: false)
    /// `class_`: 1 to 50 characters, not blank, one line.
    public static let heroClass = TextRule(lengths: 1...50, allowsNewlines: false)
    /// `alignment`: optional, up to 2000 characters, one line.
    public static let alignment = TextRule(lengths: 0...2000, allowsNewlines: false)
    /// The long optional texts (`background`, `personality_traits`, `ideals`, `bonds`,
    /// `flaws`): up to 2000 characters, newlines allowed.
    public static let longText = TextRule(lengths: 0...2000, allowsNewlines: true)
    /// `level`: 1 to 20.
    public static let level = IntegerRule(range: 1...20)
    /// `hit_points`: 0 to 10000.
    public static let hitPoints = IntegerRule(range: 0...10_000)
    /// `armor_class`: 0 to 50.
    public static let armorClass = IntegerRule(range: 0...50)
    /// `speed`: 0 to 500.
    public static let speed = IntegerRule(range: 0...500)
}
