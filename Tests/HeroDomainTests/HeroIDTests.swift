import Foundation
import HeroDomain
import Testing

@Suite("HeroID: the string form, parsed and written by hand, as Foundation's UUID does it")
struct HeroIDTests {
    @Test("random ids: written lowercase, as Foundation writes them lowercased, and read back in either case")
    func roundTrip() {
        for _ in 0..<1000 {
            let uuid = UUID()
            let id = HeroID(uuid)
            #expect(id.description == uuid.uuidString.lowercased())
            #expect(HeroID(id.description) == id)
            #expect(HeroID(uuid.uuidString) == id)
        }
    }

    @Test("exactly the 8-4-4-4-12 hex form is read, to the UUID Foundation reads from it; anything else is refused")
    func sameAnswersAsFoundation() {
        let valid = "0f8fad5b-d9cb-469f-a165-70867728950e"
        var candidates = [
            "", valid, valid.uppercased(), String(valid.dropLast()), valid + "0", "{\(valid)}",
            valid.replacingOccurrences(of: "-", with: ""),
            "0f8fad5bd-9cb-469f-a165-70867728950e", "0f8fad5b-d9cb-469f-a165-70867728950g", " 0f8fad5b-d9cb-469f-a165-70867728950",
            "0f8fad5b-d9cb-469f-a165-7086772895é", "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff",
        ]
        // Each character of a valid id replaced by each of a set of others, one at a time.
        let replacements: [Character] = ["-", "0", "9", "a", "f", "A", "F", "g", "G", "/", ":", "@", "`", " ", "\u{0}"]
        for offset in 0..<valid.count {
            for replacement in replacements {
                var characters = Array(valid)
                characters[offset] = replacement
                candidates.append(String(characters))
            }
        }
        let canonical = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/
        var read = 0
        for text in candidates {
            if text.wholeMatch(of: canonical) != nil {
                #expect(HeroID(text)?.uuid == UUID(uuidString: text), "\(text.debugDescription)")
                read += 1
            } else {
                // Stricter than Foundation on Linux, whose `sscanf` reading also takes, for
                // example, a leading space or a sign.
                #expect(HeroID(text) == nil, "\(text.debugDescription)")
            }
        }
        #expect(read > 100)
    }
}
