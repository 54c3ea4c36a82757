import HeroDomain
import Testing

/// One row of the validation table: a change to a valid hero and the errors it must cause.
struct ValidationCase: Sendable, CustomTestStringConvertible {
    let testDescription: String
    let change: @Sendable (inout HeroInput) -> Void
    let expected: [FieldError]

    init(_ description: String, _ expected: [FieldError] = [], _ change: @escaping @Sendable (inout HeroInput) -> Void) {
        self.testDescription = description
        self.change = change
        self.expected = expected
    }
}

private func error(_ field: String, _ message: String) -> FieldError {
    FieldError(field: field, message: message)
}

@Suite("Hero validation")
struct HeroValidationTests {
    static let accepted: [ValidationCase] = [
        ValidationCase("name of 1 character") { $0.name = "A" },
        ValidationCase("name of 100 characters") { $0.name = .of(100) },
        ValidationCase("name of 100 two-byte characters") { $0.name = .of(100, "é") },
        ValidationCase("Unicode name") { $0.name = "Ærøskøbing 勇者 Ἀχιλλεύς 🦸" },
        ValidationCase("race of 1 and class of 1") {
            $0.race = "E"
            $0.heroClass = "W"
        },
        ValidationCase("race and class of 50") {
            $0.race = .of(50)
            $0.heroClass = .of(50)
        },
        ValidationCase("lowest numbers") {
            $0.level = 1
            $0.hitPoints = 0
            $0.armorClass = 0
            $0.speed = 0
        },
        ValidationCase("highest numbers") {
            $0.level = 20
            $0.hitPoints = 10_000
            $0.armorClass = 50
            $0.speed = 500
        },
        ValidationCase("optional texts absent") {
            $0.background = nil
            $0.alignment = nil
            $0.personalityTraits = nil
            $0.ideals = nil
            $0.bonds = nil
            $0.flaws = nil
        },
        ValidationCase("optional texts empty") {
            $0.background = ""
            $0.alignment = ""
            $0.flaws = ""
        },
        ValidationCase("long texts of 2000 characters with newlines") {
            let text = String.of(1999) + "\n"
            $0.background = text
            $0.personalityTraits = text
            $0.ideals = text
            $0.bonds = text
            $0.flaws = text
        },
        ValidationCase("alignment of 2000 characters") { $0.alignment = .of(2000) },
    ]

    @Test(arguments: accepted)
    func accepts(_ row: ValidationCase) throws {
        var input = HeroInput.aragorn
        row.change(&input)
        #expect(input.validationErrors() == [])
        #expect(try input.validated() == input)
    }

    static let rejected: [ValidationCase] = [
        ValidationCase("empty name", [error("name", "must not be empty")]) { $0.name = "" },
        ValidationCase("blank name", [error("name", "must not be blank")]) { $0.name = "   " },
        ValidationCase("name of 101 characters", [error("name", "must be at most 100 characters long (got 101)")]) {
            $0.name = .of(101)
        },
        ValidationCase("name of 101 two-byte characters", [error("name", "must be at most 100 characters long (got 101)")]) {
            $0.name = .of(101, "é")
        },
        ValidationCase("newline in name", [error("name", "must not contain control characters")]) { $0.name = "Ara\ngorn" },
        ValidationCase("DEL in name", [error("name", "must not contain control characters")]) { $0.name = "Ara\u{7F}gorn" },
        ValidationCase("C1 control in name", [error("name", "must not contain control characters")]) { $0.name = "Ara\u{85}gorn" },
        ValidationCase("tab-only name", [error("name", "must not be blank"), error("name", "must not contain control characters")]) {
            $0.name = "\t"
        },
        ValidationCase("empty race", [error("race", "must not be empty")]) { $0.race = "" },
        ValidationCase("blank race", [error("race", "must not be blank")]) { $0.race = " " },
        ValidationCase("race of 51", [error("race", "must be at most 50 characters long (got 51)")]) { $0.race = .of(51) },
        ValidationCase("empty class", [error("class_", "must not be empty")]) { $0.heroClass = "" },
        ValidationCase("class of 51", [error("class_", "must be at most 50 characters long (got 51)")]) {
            $0.heroClass = .of(51)
        },
        ValidationCase("level 0", [error("level", "must be between 1 and 20 (got 0)")]) { $0.level = 0 },
        ValidationCase("level 21", [error("level", "must be between 1 and 20 (got 21)")]) { $0.level = 21 },
        ValidationCase("hit points -1", [error("hit_points", "must be between 0 and 10000 (got -1)")]) { $0.hitPoints = -1 },
        ValidationCase("hit points 10001", [error("hit_points", "must be between 0 and 10000 (got 10001)")]) {
            $0.hitPoints = 10_001
        },
        ValidationCase("armor class -1", [error("armor_class", "must be between 0 and 50 (got -1)")]) { $0.armorClass = -1 },
        ValidationCase("armor class 51", [error("armor_class", "must be between 0 and 50 (got 51)")]) { $0.armorClass = 51 },
        ValidationCase("speed -1", [error("speed", "must be between 0 and 500 (got -1)")]) { $0.speed = -1 },
        ValidationCase("speed 501", [error("speed", "must be between 0 and 500 (got 501)")]) { $0.speed = 501 },
        ValidationCase("background of 2001", [error("background", "must be at most 2000 characters long (got 2001)")]) {
            $0.background = .of(2001)
        },
        ValidationCase("alignment of 2001", [error("alignment", "must be at most 2000 characters long (got 2001)")]) {
            $0.alignment = .of(2001)
        },
        ValidationCase("personality traits of 2001", [error("personality_traits", "must be at most 2000 characters long (got 2001)")]) {
            $0.personalityTraits = .of(2001)
        },
        ValidationCase("ideals of 2001", [error("ideals", "must be at most 2000 characters long (got 2001)")]) {
            $0.ideals = .of(2001)
        },
        ValidationCase("bonds of 2001", [error("bonds", "must be at most 2000 characters long (got 2001)")]) {
            $0.bonds = .of(2001)
        },
        ValidationCase("flaws of 2001", [error("flaws", "must be at most 2000 characters long (got 2001)")]) {
            $0.flaws = .of(2001)
        },
        ValidationCase("tab in background", [error("background", "must not contain control characters other than newline")]) {
            $0.background = "one\ttwo"
        },
        ValidationCase("CRLF in flaws", [error("flaws", "must not contain control characters other than newline")]) {
            $0.flaws = "one\r\ntwo"
        },
        ValidationCase("NUL in ideals", [error("ideals", "must not contain control characters other than newline")]) {
            $0.ideals = "one\0two"
        },
        ValidationCase("newline in alignment", [error("alignment", "must not contain control characters")]) {
            $0.alignment = "Lawful\nGood"
        },
    ]

    @Test(arguments: rejected)
    func rejects(_ row: ValidationCase) {
        var input = HeroInput.aragorn
        row.change(&input)
        #expect(input.validationErrors() == row.expected)
        #expect(throws: HeroError.invalid(row.expected)) { try input.validated() }
    }

    @Test("every violation is reported at once, field by field in document order")
    func reportsAllViolations() {
        let input = HeroInput(
            name: "",
            race: .of(51),
            heroClass: " ",
            level: 21,
            background: "\u{7}",
            alignment: "a\nb",
            hitPoints: -1,
            armorClass: 51,
            speed: 501,
            personalityTraits: .of(2001),
            ideals: .of(2001),
            bonds: .of(2001),
            flaws: "\u{1B}[31m"
        )
        #expect(
            input.validationErrors().map(\.field) == [
                "name", "race", "class_", "level", "background", "alignment", "hit_points", "armor_class",
                "speed", "personality_traits", "ideals", "bonds", "flaws",
            ]
        )
    }
}
