import HeroDomain
import Testing

@Suite("HeroCursor: an opaque, canonical continuation")
struct HeroCursorTests {
    @Test("round trip: 12 base64url characters, one spelling per number", arguments: [0, 1, 2, 255, 256, 1_000_000, Int64.max])
    func roundTrip(sequence: Int64) throws {
        let cursor = try #require(HeroCursor(after: sequence))
        let text = cursor.description
        #expect(text.count == HeroCursor.length)
        #expect(text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        #expect(HeroCursor(text) == cursor)
        #expect(HeroCursor(text)?.sequence == sequence)
    }

    @Test("known encodings")
    func known() {
        #expect(HeroCursor(after: 1)?.description == "AQAAAAAAAAAB")
        #expect(HeroCursor(after: .max)?.description == "AX__________")
        #expect(HeroCursor(after: -1) == nil)
    }

    @Test(
        "anything else is not a cursor",
        arguments: [
            "", "AQAAAAAAAAA", "AQAAAAAAAAABA", "AQAAAAAAAAA=", "AQAAAAAAAA+B", "AQAAAAAAAA/B", "AQAAAAAAAA B",
            // Version 2, and version 1 with the sign bit set (a negative number).
            "AgAAAAAAAAAB", "AYAAAAAAAAAA",
            // Non-ASCII look-alikes.
            "AQAAAAAAAAA\u{0411}", "１QAAAAAAAAAB",
        ]
    )
    func invalid(text: String) {
        #expect(HeroCursor(text) == nil)
    }
}
