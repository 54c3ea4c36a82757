/// A validated top-level JSON object whose members are located but not yet built.
///
/// A claims set is checked on every request, but a resource server reads only a few
/// of its members. Building a `[String: JSONValue]` for all of them (a heap string
/// and a hash per member) costs more than the rest of token parsing together, so the
/// object is validated in full (grammar, UTF-8, duplicate names at every depth) and
/// each member's value is parsed only when asked for.
struct JSONObjectIndex: Sendable {
    /// Where one member's name (without quotes) and value lie in ``bytes``.
    struct Member: Sendable {
        let name: Range<Int>
        let value: Range<Int>
    }

    /// The JSON text.
    let bytes: [UInt8]
    /// The top-level members, in document order; `nil` when names had escapes and the
    /// object was built eagerly instead (see ``materialized``).
    private let members: [Member]?
    /// The built object, for the rare documents with escaped member names.
    private let materialized: [String: JSONValue]?

    /// Validates `bytes` as one JSON object without duplicate member names.
    init(validating bytes: [UInt8]) throws(JSONParser.Failure) {
        self.bytes = bytes
        let scanned: [Member]? = try bytes.withUnsafeBufferPointer { buffer throws(JSONParser.Failure) in
            try JSONParser.indexObject(buffer)
        }
        if let scanned {
            self.members = scanned
            self.materialized = nil
        } else {
            // Escaped names must be compared after unescaping: let the full parser do it.
            self.members = nil
            self.materialized = try JSONParser.parseObject(bytes)
        }
    }

    /// Validates the decoded header or payload of a token, mapping parser failures to
    /// precise errors for `segment`.
    init(validating bytes: [UInt8], segment: JOSESegment) throws(JOSEError) {
        do {
            try self.init(validating: bytes)
        } catch .duplicateMember {
            throw .duplicateMemberName(segment)
        } catch .notAnObject {
            throw .notAJSONObject(segment)
        } catch {
            throw .invalidJSON(segment)
        }
    }

    /// The parsed value of the member called `name`, if present.
    func value(named name: String) -> JSONValue? {
        guard members != nil else { return materialized?[name] }
        guard let range = valueRange(named: name) else { return nil }
        return bytes.withUnsafeBufferPointer { buffer in
            // Validated already; only a number too large for a Double (1e400) fails here,
            // and callers that need the value tell it from absence with contains(named:).
            try? JSONParser.parse(UnsafeBufferPointer(rebasing: buffer[range]))
        }
    }

    /// Whether the object has a member called `name`, whatever its value.
    func contains(named name: String) -> Bool {
        guard members != nil else { return materialized?[name] != nil }
        return valueRange(named: name) != nil
    }

    /// Whether the member called `name` is a string (`nil` if absent), without building it.
    func isString(named name: String) -> Bool? {
        guard members != nil else { return materialized?[name].map { $0.stringValue != nil } }
        return valueRange(named: name).map { bytes[$0.lowerBound] == UInt8(ascii: "\"") }
    }

    /// Whether the member called `name` is the string `expected`, compared in place (no
    /// string is built) unless the JSON text of the value holds escapes.
    func string(named name: String, equals expected: String) -> Bool {
        guard members != nil else { return materialized?[name]?.stringValue == expected }
        guard let range = valueRange(named: name) else { return false }
        var expected = expected
        return bytes.withUnsafeBufferPointer { buffer in
            // The value was validated: a quote, the raw characters, a quote.
            let raw = UnsafeBufferPointer(rebasing: buffer[(range.lowerBound + 1)..<(range.upperBound - 1)])
            guard !raw.contains(UInt8(ascii: "\\")) else {
                return (try? JSONParser.parse(UnsafeBufferPointer(rebasing: buffer[range])))?.stringValue == expected
            }
            return expected.withUTF8 { raw.elementsEqual($0) }
        }
    }

    /// Where the value of the member called `name` lies in ``bytes``.
    private func valueRange(named name: String) -> Range<Int>? {
        guard let members else { return nil }
        var name = name
        return name.withUTF8 { wanted in
            bytes.withUnsafeBufferPointer { buffer in
                members.first { member in
                    member.name.count == wanted.count
                        && UnsafeBufferPointer(rebasing: buffer[member.name]).elementsEqual(wanted)
                }?.value
            }
        }
    }

    /// Every member, built.
    func object() -> [String: JSONValue] {
        if let materialized { return materialized }
        return (try? JSONParser.parseObject(bytes)) ?? [:]
    }
}

extension JSONParser {
    /// Validates a document that must be one JSON object and locates its top-level members.
    ///
    /// Returns `nil` (after validating) when a member name contains an escape, because
    /// such names can only be compared for duplicates once unescaped.
    static func indexObject(_ buffer: UnsafeBufferPointer<UInt8>) throws(Failure) -> [JSONObjectIndex.Member]? {
        var parser = JSONParser(buffer)
        parser.skipWhitespace()
        guard parser.peek() == UInt8(ascii: "{") else {
            // Not an object: report "not JSON" or "not an object" precisely via the full parser.
            _ = try parse(buffer)
            throw .notAnObject
        }
        parser.index += 1
        var members: [JSONObjectIndex.Member] = []
        members.reserveCapacity(24)
        var escapedName = false
        parser.skipWhitespace()
        if parser.peek() == UInt8(ascii: "}") {
            parser.index += 1
        } else {
            while true {
                parser.skipWhitespace()
                guard parser.peek() == UInt8(ascii: "\"") else { throw .malformed }
                let nameStart = parser.index + 1
                escapedName = try parser.skipString() || escapedName
                let name = nameStart..<(parser.index - 1)
                parser.skipWhitespace()
                guard parser.peek() == UInt8(ascii: ":") else { throw .malformed }
                parser.index += 1
                parser.skipWhitespace()
                let valueStart = parser.index
                try parser.skipValue()
                members.append(.init(name: name, value: valueStart..<parser.index))
                parser.skipWhitespace()
                guard let separator = parser.peek() else { throw .malformed }
                parser.index += 1
                if separator == UInt8(ascii: "}") { break }
                guard separator == UInt8(ascii: ",") else { throw .malformed }
            }
        }
        parser.skipWhitespace()
        guard parser.index == buffer.count else { throw .malformed }
        if escapedName { return nil }
        // RFC 7515 §5.2 / RFC 7519 §4: no name twice. Objects are small: compare pairwise.
        for (position, member) in members.enumerated() {
            let name = UnsafeBufferPointer(rebasing: buffer[member.name])
            for other in members[(position + 1)...] where other.name.count == member.name.count {
                if name.elementsEqual(UnsafeBufferPointer(rebasing: buffer[other.name])) { throw .duplicateMember }
            }
        }
        return members
    }

    /// Validates one value and moves past it, building nothing for scalars.
    mutating func skipValue() throws(Failure) {
        switch peek() ?? 0 {
        case UInt8(ascii: "\""): _ = try skipString()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): _ = try scanNumber()
        // Literals, and nested containers (which need their own duplicate checks), take the full path.
        default: _ = try parseValue()
        }
    }

    /// Validates a string and moves past it; returns whether it contained escapes.
    mutating func skipString() throws(Failure) -> Bool {
        let quote = index
        index += 1
        let start = index
        var highBits: UInt8 = 0
        while index < bytes.count {
            index = Self.endOfPlainASCII(in: bytes, from: index)
            guard index < bytes.count else { break }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                if highBits & 0x80 != 0 {
                    _ = try Self.string(UnsafeBufferPointer(rebasing: bytes[start..<index]), isASCII: false)
                }
                index += 1
                return false
            }
            if byte == UInt8(ascii: "\\") {
                // Rare: let the full string parser check the escapes.
                index = quote
                _ = try parseString()
                return true
            }
            guard byte >= 0x20 else { throw .malformed }
            highBits |= byte
            index += 1
        }
        throw .malformed
    }
}
