import Foundation
import JOSE
import LocalEntra
import Testing

/// README's "The registrations file" section is the parser's documentation: its example
/// loads, and its field table names exactly the fields the parser reads and writes.
@Suite("local-entra: the documented registrations file")
struct RegistrationsFileTests {
    static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("README.md")

    /// The section, from its heading to the next one.
    static func section() throws -> Substring {
        let text = try String(contentsOf: readme, encoding: .utf8)
        let start = try #require(text.range(of: "### The registrations file (`--config`)"))
        let rest = text[start.upperBound...]
        return rest[..<(rest.range(of: "\n## ")?.lowerBound ?? rest.endIndex)]
    }

    /// Every field path (`clients[].secret`) of a JSON value.
    static func paths(_ value: Any, prefix: String = "") -> Set<String> {
        if let object = value as? [String: Any] {
            var result: Set<String> = []
            for (key, member) in object {
                let path = prefix.isEmpty ? key : "\(prefix).\(key)"
                // A client's appRoles maps App ID URIs to roles: its keys are data, not fields.
                let container = (member as? [Any])?.first is [String: Any] || (member is [String: Any] && !path.hasSuffix("appRoles"))
                if container { result.formUnion(paths(member, prefix: path)) } else { result.insert(path) }
            }
            return result
        }
        if let array = value as? [Any] {
            return array.reduce(into: Set<String>()) { $0.formUnion(paths($1, prefix: prefix + "[]")) }
        }
        return []
    }

    @Test("the example loads, with its certificate file beside it")
    func exampleLoads() throws {
        let section = try Self.section()
        let start = try #require(section.range(of: "```json\n"))
        let end = try #require(section[start.upperBound...].range(of: "```"))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("registrations-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let fixture = try #require(CertificateFixture.shared)
        try fixture.certificatePEM.write(to: folder.appendingPathComponent("middle-tier.pem"), atomically: true, encoding: .utf8)
        let file = folder.appendingPathComponent("registrations.json")
        try String(section[start.upperBound..<end.lowerBound]).write(to: file, atomically: true, encoding: .utf8)

        let registrations = try Registrations.load(from: file)
        let middleTier = try #require(registrations.client("6c5b4a39-2817-4f6e-8d5c-4b3a29180f7e"))
        #expect(middleTier.certificates == [fixture.certificatePEM] && middleTier.adminConsented && !middleTier.isPublic)
        #expect(try #require(registrations.client("0d1c2b3a-4958-4a6b-8c7d-9e0f1a2b3c4d")).isPublic)
        #expect(registrations.apis[1].appIDURI == "api://6c5b4a39-2817-4f6e-8d5c-4b3a29180f7e")

        // The table names exactly the fields of the example and those the parser writes.
        let documented = Set(
            section.split(separator: "\n").compactMap { line -> String? in
                guard line.hasPrefix("| `") else { return nil }
                return line.dropFirst(3).split(separator: "`").first.map(String.init)
            }
        )
        let example = Self.paths(try JSONSerialization.jsonObject(with: Data(contentsOf: file)))
        let written = Self.paths(try JSONSerialization.jsonObject(with: JSONEncoder().encode(registrations)))
        #expect(documented == example)
        #expect(documented == written)
    }

    @Test("a certificate path that cannot be read stops the load, naming the client and entry")
    func missingCertificateFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("registrations-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var registrations = Registrations.development
        registrations.clients[0].certificates = ["absent.pem"]
        let file = folder.appendingPathComponent("registrations.json")
        try JSONEncoder().encode(registrations).write(to: file)
        do {
            _ = try Registrations.load(from: file)
            Issue.record("a missing certificate file was accepted")
        } catch {
            #expect(error.description.contains("clients[\(heroClient.clientID)].certificates[0]: cannot read"))
        }
    }
}
