import HeroDomain

/// The JSON shape of a hero: which members are required and of which JSON type. Used to
/// report every missing or mistyped member at once (a decoder stops at the first), and to
/// write the OpenAPI schema.
enum HeroShape {
    enum Kind {
        case requiredText(TextRule)
        case optionalText(TextRule)
        case integer(IntegerRule)
    }

    /// The members in document order, with their rules from ``HeroRules``.
    static let members: [(key: HeroInput.CodingKeys, kind: Kind)] = [
        (.name, .requiredText(HeroRules.name)),
        (.race, .requiredText(HeroRules.race)),
        (.heroClass, .requiredText(HeroRules.heroClass)),
        (.level, .integer(HeroRules.level)),
        (.background, .optionalText(HeroRules.longText)),
        (.alignment, .optionalText(HeroRules.alignment)),
        (.hitPoints, .integer(HeroRules.hitPoints)),
        (.armorClass, .integer(HeroRules.armorClass)),
        (.speed, .integer(HeroRules.speed)),
        (.personalityTraits, .optionalText(HeroRules.longText)),
        (.ideals, .optionalText(HeroRules.longText)),
        (.bonds, .optionalText(HeroRules.longText)),
        (.flaws, .optionalText(HeroRules.longText)),
    ]

    /// A field error for every member that is missing or of the wrong JSON type.
    static func errors(in object: [String: JSONKind]) -> [FieldError] {
        members.compactMap { key, kind in
            let field = key.rawValue
            let value = object[field]
            switch kind {
            case .requiredText:
                guard let value, value != .null else { return FieldError(field: field, message: "is required") }
                return value == .string ? nil : FieldError(field: field, message: "must be a string")
            case .optionalText:
                guard let value, value != .null else { return nil }
                return value == .string ? nil : FieldError(field: field, message: "must be a string or null")
            case .integer:
                guard let value, value != .null else { return FieldError(field: field, message: "is required") }
                return value == .integer ? nil : FieldError(field: field, message: "must be an integer")
            }
        }
    }
}
