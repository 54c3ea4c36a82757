extension TextRule {
    /// General category Cc (C0 controls, DEL, C1 controls), as a character-class body.
    static let controls = #"\u0000-\u001F\u007F-\u009F"#
    /// Cc without `\n`, for rules that allow newlines.
    static let controlsButNewline = #"\u0000-\u0009\u000B-\u001F\u007F-\u009F"#
    /// The scalars with Unicode's White_Space property that are not in Cc (those, U+0009 to
    /// U+000D and U+0085, are excluded with the controls).
    static let whitespaceOutsideControls = #"\u0020\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000"#

    /// The character rules as an ECMA-262 regular expression, for the JSON Schema `pattern`
    /// (JSON Schema 2020-12 §6.3.3): no control character (but `\n` where newlines are
    /// allowed) and, when the rule needs at least one character, one that is not White_Space.
    /// Lengths are left to `minLength` and `maxLength`. Anchored at both ends, as `pattern`
    /// is not; written with `\uXXXX` escapes only, so ICU and ECMA-262 read it alike.
    public var pattern: String {
        let allowed = "[^" + (allowsNewlines ? Self.controlsButNewline : Self.controls) + "]*"
        guard lengths.lowerBound > 0 else { return "^" + allowed + "$" }
        return "^" + allowed + "[^" + Self.controls + Self.whitespaceOutsideControls + "]" + allowed + "$"
    }
}
