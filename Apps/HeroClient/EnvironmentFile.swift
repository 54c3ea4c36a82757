import Configuration
import Foundation

/// Reads `.env_oauth` and `.env` as the Python demo's python-dotenv did, so its files keep
/// working: `KEY=value` lines, `#` comments (also after an unquoted value), an optional
/// `export ` prefix, and values in matching single or double quotes, taken without them.
/// swift-configuration's own file reader keeps quotes as part of the value, which turned the
/// demo's `SCOPES="openid …"` into a scope list starting with `"openid`.
enum EnvironmentFile {
    /// A provider with the file's variables; none when the file does not exist.
    static func provider(path: String) throws -> EnvironmentVariablesProvider {
        guard FileManager.default.fileExists(atPath: path) else {
            return EnvironmentVariablesProvider(environmentVariables: [:])
        }
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
        return EnvironmentVariablesProvider(environmentVariables: variables(in: text))
    }

    /// The variables a file defines; lines that define none are skipped, later lines win.
    static func variables(in text: String) -> [String: String] {
        var variables: [String: String] = [:]
        for rawLine in text.split(whereSeparator: \.isNewline) {
            var line = rawLine.trimmingCharacters(in: .whitespaces)[...]
            if line.hasPrefix("export ") { line = line.dropFirst("export ".count) }
            guard !line.hasPrefix("#"), let equals = line.firstIndex(of: "=") else { continue }
            let name = line[..<equals].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { continue }
            variables[name] = value(line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces))
        }
        return variables
    }

    /// A value as written after `=`: quoted (single: literal; double: `\"` and `\\` escapes)
    /// or bare (up to a ` #` comment).
    private static func value(_ text: String) -> String {
        if let quote = text.first, quote == "\"" || quote == "'", text.count >= 2, let close = closingQuote(quote, in: text) {
            let inner = text[text.index(after: text.startIndex)..<close]
            guard quote == "\"" else { return String(inner) }
            var unescaped = ""
            var escaping = false
            for character in inner {
                if escaping || character != "\\" {
                    unescaped.append(escaping && character == "n" ? "\n" : character)
                    escaping = false
                } else {
                    escaping = true
                }
            }
            return unescaped
        }
        if let comment = text.range(of: " #") { return text[..<comment.lowerBound].trimmingCharacters(in: .whitespaces) }
        return text
    }

    /// The quote that closes the value opened by `quote`, skipping escaped ones in double quotes.
    private static func closingQuote(_ quote: Character, in text: String) -> String.Index? {
        var index = text.index(after: text.startIndex)
        while index < text.endIndex {
            if text[index] == "\\" && quote == "\"" {
                index = text.index(after: index)
                if index < text.endIndex { index = text.index(after: index) }
                continue
            }
            if text[index] == quote { return index }
            index = text.index(after: index)
        }
        return nil
    }
}
