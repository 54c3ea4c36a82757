import Foundation
import Testing

@testable import JOSE

/// Rules about the shape of the compact serialization and its encodings.
@Suite("Compact serialization parsing")
struct CompactParsingTests {
    let verifier = JWSVerifier(allowedAlgorithms: [.rs256, .es256])
    let token = try! TestKeys.rsa.sign(payload: Array(TokenForge.claims().utf8))

    @Test("A well-formed token verifies (control for the rejections below)")
    func control() throws {
        let verified = try verifier.verify(token, keys: TestKeys.rsaSet)
        #expect(verified.header.keyID == "rsa-1")
        #expect(verified.header.type == "JWT")
        #expect(try verifier.verify(Substring(token), keys: TestKeys.rsaSet).key.keyID == "rsa-1")
        #expect(try verifier.verify(bytes: Array(token.utf8), keys: TestKeys.rsaSet).key.keyID == "rsa-1")
    }

    @Test("The word-at-a-time dot scan agrees with a plain scan at every position")
    func dotScan() {
        for length in 0..<40 {
            for dotAt in -1..<length {
                var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                if dotAt >= 0 { bytes[dotAt] = UInt8(ascii: ".") }
                // Bytes that differ from "." by one bit must not be mistaken for it.
                for (i, confusable) in [UInt8(0x2F), 0x2C, 0xAE, 0x2D].enumerated() where i < length && i != dotAt {
                    bytes[i] = confusable
                }
                for start in 0...length {
                    let expected = bytes[start...].firstIndex(of: UInt8(ascii: "."))
                    let found = bytes.withUnsafeBufferPointer { JWSVerifier.indexOfDot(in: $0, from: start) }
                    #expect(found == expected, "length \(length), dot \(dotAt), start \(start)")
                }
                // Backwards too, with a second dot before the last to be found first.
                if dotAt > 2 { bytes[dotAt - 3] = UInt8(ascii: ".") }
                let last = bytes.withUnsafeBufferPointer { JWSVerifier.lastIndexOfDot(in: $0) }
                #expect(last == bytes.lastIndex(of: UInt8(ascii: ".")), "length \(length), dot \(dotAt)")
            }
        }
    }

    @Test(
        "Anything but exactly three segments is rejected",
        arguments: [
            "", "abc", "a.b", "a.b.c.d", "a.b.c.d.e", "....",
        ]
    )
    func segmentCount(_ text: String) {
        #expect(throws: JOSEError.malformedCompactSerialization) { try verifier.verify(text, keys: TestKeys.rsaSet) }
    }

    @Test("A valid token with extra segments is rejected, not truncated", arguments: [".", ".e30", "..", ".a.b"])
    func extraSegments(_ suffix: String) {
        #expect(throws: JOSEError.malformedCompactSerialization) {
            try verifier.verify(token + suffix, keys: TestKeys.rsaSet)
        }
    }

    @Test("The size limit is checked before decoding, and is configurable")
    func sizeLimit() throws {
        let garbage = String(repeating: "!", count: 16 * 1024 + 1)
        #expect(throws: JOSEError.tokenTooLarge(limit: 16 * 1024)) { try verifier.verify(garbage, keys: TestKeys.rsaSet) }
        #expect(throws: JOSEError.tokenTooLarge(limit: 16 * 1024)) {
            try verifier.verify(bytes: Array(garbage.utf8), keys: TestKeys.rsaSet)
        }
        let small = JWSVerifier(allowedAlgorithms: [.rs256], maximumTokenSize: token.utf8.count - 1)
        #expect(throws: JOSEError.tokenTooLarge(limit: token.utf8.count - 1)) { try small.verify(token, keys: TestKeys.rsaSet) }
        let exact = JWSVerifier(allowedAlgorithms: [.rs256], maximumTokenSize: token.utf8.count)
        _ = try exact.verify(token, keys: TestKeys.rsaSet)
    }

    /// Mutations of one segment that a lenient base64 decoder would accept.
    enum EncodingMutation: CaseIterable, Sendable {
        case padding, doublePadding, plus, slash, leadingSpace, trailingNewline, innerWhitespace, invalidCharacter

        func apply(_ text: String) -> String {
            switch self {
            case .padding: text + "="
            case .doublePadding: text + "=="
            case .plus: "+" + text.dropFirst()
            case .slash: "/" + text.dropFirst()
            case .leadingSpace: " " + text
            case .trailingNewline: text + "\n"
            case .innerWhitespace: text.prefix(4) + " " + text.dropFirst(4)
            case .invalidCharacter: text + "?"
            }
        }
    }

    @Test("Each segment must be strict base64url", arguments: [JOSESegment.header, .payload, .signature], EncodingMutation.allCases)
    func strictBase64(segment: JOSESegment, mutation: EncodingMutation) {
        var parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let position = segment == .header ? 0 : segment == .payload ? 1 : 2
        parts[position] = mutation.apply(parts[position])
        #expect(throws: JOSEError.invalidBase64URL(segment)) {
            try verifier.verify(parts.joined(separator: "."), keys: TestKeys.rsaSet)
        }
    }

    @Test("Non-canonical trailing bits are rejected (one spelling per value)")
    func trailingBits() throws {
        // "e30" is "{}"; "e31" decodes to the same bytes under a lenient decoder.
        #expect(Base64URL.decode("e30") == Array("{}".utf8))
        #expect(Base64URL.decode("e31") == nil)
        let parts = token.split(separator: ".").map(String.init)
        // Flip the unused low bits of the last payload character (payload length mod 3 != 0 here).
        let payload = parts[1]
        #expect(payload.count % 4 != 0)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let last = alphabet.firstIndex(of: payload.last!)!
        let tweaked = String(payload.dropLast()) + String(alphabet[last | 1])
        #expect(throws: JOSEError.invalidBase64URL(.payload)) {
            try verifier.verify([parts[0], tweaked, parts[2]].joined(separator: "."), keys: TestKeys.rsaSet)
        }
    }

    @Test("The header must be a JSON object", arguments: [#"[]"#, #""RS256""#, "1", "null", #"{"alg":"RS256""#, "{\"alg\":\"RS256\"}x"])
    func headerNotObject(_ header: String) throws {
        let forged = try TokenForge.sign(header: header, payload: "{}", with: TestKeys.rsa)
        let error = joseError { _ = try verifier.verify(forged, keys: TestKeys.rsaSet) }
        #expect(error == .notAJSONObject(.header) || error == .invalidJSON(.header))
    }

    @Test(
        "A duplicate header member is rejected",
        arguments: [
            #"{"alg":"RS256","kid":"other","kid":"rsa-1"}"#,
            #"{"alg":"ES256","alg":"RS256","kid":"rsa-1"}"#,
            #"{"alg":"RS256","kid":"rsa-1","x":{"a":1,"a":2}}"#,
            #"{"alg":"RS256","kid":"rsa-1","k\u0069d":"rsa-1"}"#,
        ]
    )
    func duplicateHeaderMember(_ header: String) throws {
        let forged = try TokenForge.sign(header: header, payload: "{}", with: TestKeys.rsa)
        #expect(throws: JOSEError.duplicateMemberName(.header)) { try verifier.verify(forged, keys: TestKeys.rsaSet) }
    }
}
