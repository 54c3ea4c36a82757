/// A strict RFC 8259 JSON parser that rejects duplicate member names.
///
/// Foundation's `JSONDecoder` and `JSONSerialization` silently keep the last of two
/// members with the same name; a JOSE header or claims set with duplicates is
/// ambiguous and must be rejected (RFC 7515 §5.2, RFC 7519 §4), so we parse ourselves.
/// The parser also bounds nesting depth so hostile input cannot exhaust the stack.
struct JSONParser {
    /// Why a document was refused.
    enum Failure: Error, Equatable {
        /// Not well-formed JSON (or not UTF-8, or nested too deeply).
        case malformed
        /// An object repeats a member name.
        case duplicateMember
        /// Well-formed JSON, but not the object that was required.
        case notAnObject
    }

    /// Deepest nesting accepted; JOSE objects are shallow.
    static let maximumDepth = 32

    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    private var depth = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Parses a complete document that must be a single JSON object.
    static func parseObject(_ bytes: [UInt8]) throws(Failure) -> [String: JSONValue] {
        let result: Result<[String: JSONValue], Failure> = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(Failure) in
                var parser = JSONParser(buffer)
                parser.skipWhitespace()
                guard parser.peek() == UInt8(ascii: "{") else { throw .malformed }
                let value = try parser.parseValue()
                parser.skipWhitespace()
                guard parser.index == buffer.count, case .object(let members) = value else {
                    throw .malformed
                }
                return members
            }
        }
        return try result.get()
    }

    /// Parses a complete document holding any JSON value.
    static func parse(_ bytes: [UInt8]) throws(Failure) -> JSONValue {
        let result: Result<JSONValue, Failure> = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(Failure) in try parse(buffer) }
        }
        return try result.get()
    }

    /// Parses a complete document, given as a buffer, holding any JSON value.
    static func parse(_ buffer: UnsafeBufferPointer<UInt8>) throws(Failure) -> JSONValue {
        var parser = JSONParser(buffer)
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        guard parser.index == buffer.count else { throw .malformed }
        return value
    }

    func peek() -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    mutating func skipWhitespace() {
        // RFC 8259 §2: only these four are insignificant whitespace.
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    mutating func expect(_ literal: StaticString) throws(Failure) {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw .malformed }
        let start = literal.utf8Start
        for offset in 0..<count where bytes[index + offset] != start[offset] {
            throw .malformed
        }
        index += count
    }

    mutating func parseValue() throws(Failure) -> JSONValue {
        skipWhitespace()
        guard let byte = peek() else { throw .malformed }
        switch byte {
        case UInt8(ascii: "{"): return .object(try parseObjectBody())
        case UInt8(ascii: "["): return .array(try parseArrayBody())
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"):
            try expect("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expect("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expect("null")
            return .null
        default: return .number(try parseNumber())
        }
    }

    private mutating func parseObjectBody() throws(Failure) -> [String: JSONValue] {
        depth += 1
        guard depth <= Self.maximumDepth else { throw .malformed }
        defer { depth -= 1 }
        index += 1  // "{"
        // JOSE objects have a handful to a few dozen members: start big enough to rarely rehash.
        var members = [String: JSONValue](minimumCapacity: 24)
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            return members
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw .malformed }
            let name = try parseString()
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw .malformed }
            index += 1
            let value = try parseValue()
            // RFC 7515 §5.2 step 4 / RFC 7519 §4: duplicate names must be rejected.
            guard members.updateValue(value, forKey: name) == nil else { throw .duplicateMember }
            skipWhitespace()
            guard let separator = peek() else { throw .malformed }
            index += 1
            if separator == UInt8(ascii: "}") { return members }
            guard separator == UInt8(ascii: ",") else { throw .malformed }
        }
    }

    private mutating func parseArrayBody() throws(Failure) -> [JSONValue] {
        depth += 1
        guard depth <= Self.maximumDepth else { throw .malformed }
        defer { depth -= 1 }
        index += 1  // "["
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            index += 1
            return elements
        }
        while true {
            elements.append(try parseValue())
            skipWhitespace()
            guard let separator = peek() else { throw .malformed }
            index += 1
            if separator == UInt8(ascii: "]") { return elements }
            guard separator == UInt8(ascii: ",") else { throw .malformed }
        }
    }

    mutating func parseNumber() throws(Failure) -> Double {
        let start = index
        let isInteger = try scanNumber()
        return try Self.number(UnsafeBufferPointer(rebasing: bytes[start..<index]), isInteger: isInteger)
    }

    /// Checks the number grammar and moves past it; returns whether it is a plain integer.
    mutating func scanNumber() throws(Failure) -> Bool {
        // RFC 8259 §6 grammar: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
        if peek() == UInt8(ascii: "-") { index += 1 }
        guard let first = peek(), isDigit(first) else { throw .malformed }
        index += 1
        if first != UInt8(ascii: "0") { skipDigits() }
        var isInteger = true
        if peek() == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard let digit = peek(), isDigit(digit) else { throw .malformed }
            skipDigits()
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            guard let digit = peek(), isDigit(digit) else { throw .malformed }
            skipDigits()
        }
        return isInteger
    }

    /// Converts number text already checked by ``scanNumber()``.
    static func number(_ text: UnsafeBufferPointer<UInt8>, isInteger: Bool) throws(Failure) -> Double {
        // Fast path: plain integers of up to 15 digits (every NumericDate) are exact in a Double.
        if isInteger && text.count <= 15 {
            var value: Int64 = 0
            let negative = text.first == UInt8(ascii: "-")
            for digit in text.dropFirst(negative ? 1 : 0) {
                value = value * 10 + Int64(digit - UInt8(ascii: "0"))
            }
            return Double(negative ? -value : value)
        }
        guard let value = Double(String(decoding: text, as: UTF8.self)), value.isFinite else { throw .malformed }
        return value
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private mutating func skipDigits() {
        while let byte = peek(), isDigit(byte) { index += 1 }
    }
}
