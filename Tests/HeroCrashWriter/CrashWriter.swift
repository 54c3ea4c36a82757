import Foundation
import HeroDomain
import HeroStoreSQLite

/// Test helper: `HeroCrashWriter <database> <count>` creates heroes one by one and prints
/// `<index> <id>` after each create returns, i.e. after the store acknowledged it. The
/// crash-durability test kills this process with SIGKILL midway and checks that every
/// printed hero is in the file, intact. A file it cannot open: the error on stderr, status 1.
@main
struct CrashWriter {
    /// The hero written at `index`: distinct, with every field set, so a torn or mixed-up
    /// row would show.
    static func input(_ index: Int) -> HeroInput {
        HeroInput(
            name: "Crash Hero #\(index)",
            race: ["Elf", "Dwarf", "Human", "Halfling"][index % 4],
            heroClass: ["Wizard", "Fighter", "Rogue"][index % 3],
            level: 1 + index % 20,
            background: "Written by the crash test.\nLine two of hero \(index).",
            alignment: "Neutral",
            hitPoints: index % 10_001,
            armorClass: index % 51,
            speed: index % 501,
            personalityTraits: "Stubborn #\(index)",
            ideals: "Durability",
            bonds: "The WAL",
            flaws: "Gets killed at random"
        )
    }

    static func main() async throws {
        let arguments = CommandLine.arguments
        guard arguments.count == 3, let count = Int(arguments[2]) else {
            FileHandle.standardError.write(Data("usage: HeroCrashWriter <database> <count>\n".utf8))
            exit(2)
        }
        let repository: SQLiteHeroRepository
        do {
            repository = try SQLiteHeroRepository.open(path: arguments[1])
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            exit(1)
        }
        for index in 0..<count {
            let hero = try await repository.create(input(index))
            // One write(2) per line: the test never sees half a line for an acknowledged hero.
            FileHandle.standardOutput.write(Data("\(index) \(hero.id)\n".utf8))
        }
    }
}
