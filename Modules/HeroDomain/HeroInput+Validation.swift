extension HeroInput {
    /// Every rule of ``HeroRules`` this input breaks, field by field in the order of the
    /// JSON document; empty when the input is valid.
    public func validationErrors() -> [FieldError] {
        var errors: [FieldError] = []

        func check(_ text: String?, _ key: CodingKeys, _ rule: TextRule) {
            guard let text else { return }
            errors += rule.violations(of: text).map { FieldError(field: key.rawValue, message: $0) }
        }
        func check(_ value: Int, _ key: CodingKeys, _ rule: IntegerRule) {
            if let message = rule.violation(of: value) {
                errors.append(FieldError(field: key.rawValue, message: message))
            }
        }

        check(name, .name, HeroRules.name)
        check(race, .race, HeroRules.race)
        check(heroClass, .heroClass, HeroRules.heroClass)
        check(level, .level, HeroRules.level)
        check(background, .background, HeroRules.longText)
        check(alignment, .alignment, HeroRules.alignment)
        check(hitPoints, .hitPoints, HeroRules.hitPoints)
        check(armorClass, .armorClass, HeroRules.armorClass)
        check(speed, .speed, HeroRules.speed)
        check(personalityTraits, .personalityTraits, HeroRules.longText)
        check(ideals, .ideals, HeroRules.longText)
        check(bonds, .bonds, HeroRules.longText)
        check(flaws, .flaws, HeroRules.longText)
        return errors
    }

    /// Returns the input unchanged when it is valid; otherwise throws
    /// ``HeroError/invalid(_:)`` with every violation.
    public func validated() throws(HeroError) -> HeroInput {
        let errors = validationErrors()
        guard errors.isEmpty else { throw .invalid(errors) }
        return self
    }
}
