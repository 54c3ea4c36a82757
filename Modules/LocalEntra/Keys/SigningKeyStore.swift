import CryptoExtras
import Foundation
import JOSE
import OIDCCore

/// local-entra's RS256 signing keys, kept in `{state}/signing-keys.json` (owner-only), so a
/// restart keeps issued tokens valid.
///
/// ``rotate(now:)`` makes a new key current and keeps the previous ones in the JWKS for a grace
/// period, so tokens they signed still verify. The file is the truth: a `local-entra
/// rotate-keys` run while the server runs is picked up on the next use.
public actor SigningKeyStore {
    /// One key as stored.
    struct StoredKey: Codable {
        var keyID: String
        var pem: String
        var createdAt: Date
        var retiredAt: Date?
    }

    /// How long a rotated-out key stays in the JWKS: longer than any token it signed lives.
    public nonisolated let gracePeriod: TimeInterval
    private let file: URL
    private var stored: [StoredKey] = []
    private var loaded: [String: RSASigningKey] = [:]
    private var modificationDate: Date?

    /// Opens the key file in `stateFolder`, creating a first key when there is none.
    public init(stateFolder: URL, gracePeriod: TimeInterval = 2 * 3600) throws {
        self.file = stateFolder.appendingPathComponent("signing-keys.json")
        self.gracePeriod = gracePeriod
        try FileManager.default.createDirectory(at: stateFolder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if FileManager.default.fileExists(atPath: file.path) {
            (stored, modificationDate) = try Self.read(file)
        } else {
            stored = [try Self.generate(now: Date())]
            modificationDate = try Self.write(stored, to: file)
        }
    }

    /// The key that signs new tokens.
    public func current() throws -> RSASigningKey {
        try reloadIfChanged()
        guard let newest = stored.last else { throw CocoaError(.fileReadCorruptFile) }
        return try key(newest)
    }

    /// The public keys to publish: the current one and those within their grace period.
    public func publishedKeys(now: Date = Date()) throws -> [RSASigningKey] {
        try reloadIfChanged()
        return try stored.filter { stored in
            stored.retiredAt.map { now.timeIntervalSince($0) < gracePeriod } ?? true
        }.map(key)
    }

    /// Makes a new key current; the old one stays published for the grace period.
    @discardableResult
    public func rotate(now: Date = Date()) throws -> RSASigningKey {
        try reloadIfChanged()
        for index in stored.indices where stored[index].retiredAt == nil { stored[index].retiredAt = now }
        stored.removeAll { $0.retiredAt.map { now.timeIntervalSince($0) >= gracePeriod } ?? false }
        let fresh = try Self.generate(now: now)
        stored.append(fresh)
        try save()
        return try key(fresh)
    }

    private func key(_ stored: StoredKey) throws -> RSASigningKey {
        if let key = loaded[stored.keyID] { return key }
        let key = try RSASigningKey(pemRepresentation: stored.pem, keyID: stored.keyID)
        loaded[stored.keyID] = key
        return key
    }

    private static func generate(now: Date) throws -> StoredKey {
        let unnamed = try RSASigningKey(generatingBits: 2048, keyID: nil)
        // The kid is the key's RFC 7638 thumbprint: stable, and unique to the key.
        return StoredKey(keyID: unnamed.publicJWK.thumbprint(), pem: unnamed.privateKey.pemRepresentation, createdAt: now)
    }

    private func reloadIfChanged() throws {
        guard try Self.modificationDate(of: file) != modificationDate else { return }
        (stored, modificationDate) = try Self.read(file)
    }

    private func save() throws {
        modificationDate = try Self.write(stored, to: file)
    }

    private static func read(_ file: URL) throws -> ([StoredKey], Date?) {
        let date = try modificationDate(of: file)
        return (try JSONDecoder.keyFile.decode([StoredKey].self, from: Data(contentsOf: file)), date)
    }

    private static func write(_ keys: [StoredKey], to file: URL) throws -> Date? {
        try OwnerOnlyFile.write(try JSONEncoder.keyFile.encode(keys), to: file)
        return try modificationDate(of: file)
    }

    private static func modificationDate(of file: URL) throws -> Date? {
        try FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date
    }
}

extension JSONEncoder {
    fileprivate static var keyFile: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return encoder
    }
}

extension JSONDecoder {
    fileprivate static var keyFile: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
