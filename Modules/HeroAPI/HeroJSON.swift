import HTTPTypes
import HeroDomain
import Hummingbird

/// Heroes written as JSON straight into the response buffer: the bytes `JSONEncoder.sortedKeys()`
/// produces for `Hero`'s `Codable` form (the contract's keys, sorted, slashes unescaped),
/// without the encoder's boxes, dictionaries and key sorting on every response.
///
/// A hero is the body of the hottest route, `GET /api/heroes/{id}`; encoding it through
/// Foundation's `JSONEncoder` was a tenth of that route's time (perf, see BENCHMARKS.md).
/// `HeroJSONTests` holds this writer to the encoder's output, byte for byte.
enum HeroJSON {
    /// Appends `hero` as one JSON object.
    static func write(_ hero: Hero, into buffer: inout ByteBuffer) {
        let details = hero.details
        // Keys in the order `.sortedKeys` gives them.
        buffer.writeStaticString("{\"alignment\":")
        write(details.alignment, into: &buffer)
        buffer.writeStaticString(",\"armor_class\":")
        buffer.writeString(String(details.armorClass))
        buffer.writeStaticString(",\"background\":")
        write(details.background, into: &buffer)
        buffer.writeStaticString(",\"bonds\":")
        write(details.bonds, into: &buffer)
        buffer.writeStaticString(",\"class_\":")
        write(details.heroClass, into: &buffer)
        buffer.writeStaticString(",\"flaws\":")
        write(details.flaws, into: &buffer)
        buffer.writeStaticString(",\"hit_points\":")
        buffer.writeString(String(details.hitPoints))
        buffer.writeStaticString(",\"id\":")
        write(hero.id.description, into: &buffer)
        buffer.writeStaticString(",\"ideals\":")
        write(details.ideals, into: &buffer)
        buffer.writeStaticString(",\"level\":")
        buffer.writeString(String(details.level))
        buffer.writeStaticString(",\"name\":")
        write(details.name, into: &buffer)
        buffer.writeStaticString(",\"personality_traits\":")
        write(details.personalityTraits, into: &buffer)
        buffer.writeStaticString(",\"race\":")
        write(details.race, into: &buffer)
        buffer.writeStaticString(",\"speed\":")
        buffer.writeString(String(details.speed))
        buffer.writeStaticString("}")
    }

    /// Appends `heroes` as one JSON array.
    static func write(_ heroes: [Hero], into buffer: inout ByteBuffer) {
        buffer.writeStaticString("[")
        for (index, hero) in heroes.enumerated() {
            if index > 0 { buffer.writeStaticString(",") }
            write(hero, into: &buffer)
        }
        buffer.writeStaticString("]")
    }

    /// A JSON string, or `null`.
    private static func write(_ text: String?, into buffer: inout ByteBuffer) {
        guard var text else {
            buffer.writeStaticString("null")
            return
        }
        text.withUTF8 { writeString($0, into: &buffer) }
    }

    /// A JSON string as `JSONEncoder` escapes it: `"` and `\`, and the control characters
    /// U+0000 to U+001F (`\b`, `\f`, `\n`, `\r`, `\t` by name, the others as `\u00XX` in
    /// lower-case hex); everything else, `/` and non-ASCII included, as its UTF-8 bytes.
    /// Runs of bytes that need no escape are copied at once.
    private static func writeString(_ bytes: UnsafeBufferPointer<UInt8>, into buffer: inout ByteBuffer) {
        buffer.writeStaticString("\"")
        var runStart = 0
        for (offset, byte) in bytes.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
            buffer.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[runStart..<offset])))
            writeEscape(byte, into: &buffer)
            runStart = offset + 1
        }
        buffer.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[runStart...])))
        buffer.writeStaticString("\"")
    }

    private static func writeEscape(_ byte: UInt8, into buffer: inout ByteBuffer) {
        switch byte {
        case UInt8(ascii: "\""): buffer.writeStaticString("\\\"")
        case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
        case 0x08: buffer.writeStaticString("\\b")
        case 0x0C: buffer.writeStaticString("\\f")
        case 0x0A: buffer.writeStaticString("\\n")
        case 0x0D: buffer.writeStaticString("\\r")
        case 0x09: buffer.writeStaticString("\\t")
        default:
            let hex: StaticString = "0123456789abcdef"
            buffer.writeStaticString("\\u00")
            hex.withUTF8Buffer { digits in
                buffer.writeInteger(digits[Int(byte >> 4)])
                buffer.writeInteger(digits[Int(byte & 0x0F)])
            }
        }
    }

    /// A 200 `application/json` response holding `write(into:)`'s bytes.
    static func response(_ write: (inout ByteBuffer) -> Void) -> Response {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(512)
        write(&buffer)
        var headers = HTTPFields()
        headers.reserveCapacity(4)
        headers[.contentType] = "application/json"
        headers[.contentLength] = String(buffer.readableBytes)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: buffer))
    }
}

extension Hero: ResponseGenerator {
    /// The hero as JSON, written by ``HeroJSON``.
    public func response(from request: Request, context: some RequestContext) -> Response {
        HeroJSON.response { HeroJSON.write(self, into: &$0) }
    }
}

/// A page of heroes, the body of `GET /api/heroes/`: the seed's JSON array.
public struct HeroList: ResponseGenerator, Sendable {
    /// The heroes, in list order.
    public let heroes: [Hero]

    /// Wraps `heroes`.
    public init(_ heroes: [Hero]) {
        self.heroes = heroes
    }

    /// The array as JSON, written by ``HeroJSON``.
    public func response(from request: Request, context: some RequestContext) -> Response {
        HeroJSON.response { HeroJSON.write(heroes, into: &$0) }
    }
}
