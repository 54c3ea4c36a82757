import Foundation

/// Finds a member name that appears twice in one JSON object, at any depth.
///
/// RFC 8259 §4 leaves duplicate names to the parser ("names within an object SHOULD be
/// unique"), and Foundation's decoder silently keeps one of the values: a client and the
/// server could then read different heroes from the same body. The body is refused instead,
/// as the token parser refuses duplicate names in JOSE headers and claims (RFC 7515 §5.2).
///
/// It runs on text that `JSONDecoder` has already accepted, so it only has to follow the
/// structure; it keeps its own stack (no recursion) and never reads past the end.
struct DuplicateMemberScanner {
    /// A repeated member: its name and the JSON Pointer (RFC 6901) of the object holding it.
    struct Duplicate: Error, Equatable {
        /// The member name, unescaped.
        let name: String
        /// Where the object is: empty for the top level, else e.g. `/extra` or `/list/0`.
        let pointer: String
    }

    private enum Frame {
        case object(names: Set<String>, current: String?, expectingName: Bool)
        case array(index: Int)
    }

    private let bytes: [UInt8]
    private var index = 0
    private var stack: [Frame] = []

    /// Scans `data`; throws ``Duplicate`` for the first repeated name in document order.
    static func check(_ data: Data) throws(Duplicate) {
        var scanner = DuplicateMemberScanner(bytes: Array(data))
        try scanner.run()
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private mutating func run() throws(Duplicate) {
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "{"):
                stack.append(.object(names: [], current: nil, expectingName: true))
                index += 1
            case UInt8(ascii: "["):
                stack.append(.array(index: 0))
                index += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                _ = stack.popLast()
                index += 1
            case UInt8(ascii: ","):
                switch stack.last {
                case .object(let names, let current, _):
                    stack[stack.count - 1] = .object(names: names, current: current, expectingName: true)
                case .array(let position): stack[stack.count - 1] = .array(index: position + 1)
                case nil: break
                }
                index += 1
            case UInt8(ascii: "\""):
                let text = readString()
                if case .object(var names, _, true) = stack.last {
                    guard names.insert(text).inserted else { throw Duplicate(name: text, pointer: pointer()) }
                    stack[stack.count - 1] = .object(names: names, current: text, expectingName: false)
                }
            default:
                // Whitespace, ':', numbers and literals: nothing to check.
                index += 1
            }
        }
    }

    /// Reads the string starting at the opening quote, unescaped, and moves past its end.
    private mutating func readString() -> String {
        let start = index
        index += 1
        var escaped = false
        while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
            if bytes[index] == UInt8(ascii: "\\") {
                escaped = true
                index += 1
            }
            index += 1
        }
        index = min(index + 1, bytes.count)
        let raw = bytes[start..<index]
        if escaped, let decoded = try? JSONDecoder().decode(String.self, from: Data(raw)) {
            // `"n\u0061me"` and `"name"` are the same name.
            return decoded
        }
        return String(decoding: raw.dropFirst().dropLast(), as: UTF8.self)
    }

    /// The JSON Pointer of the innermost object, from the names and indices of its parents.
    private func pointer() -> String {
        stack.dropLast().map { frame in
            switch frame {
            case .object(_, let current, _):
                "/" + (current ?? "").replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
            case .array(let position): "/\(position)"
            }
        }.joined()
    }
}
