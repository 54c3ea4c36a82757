import Foundation
import JOSE

/// The device authorization grant (RFC 8628): a device polls with its device code while the
/// user enters the short user code at `/devicelogin` and approves or declines.
public actor DeviceCodeStore {
    /// Where one device authorization stands.
    public enum Status: Hashable, Sendable {
        case pending
        case approved(userObjectID: String)
        case denied
    }

    struct Entry {
        let clientID: String
        let scope: String
        let userCode: String
        let expiresAt: Date
        var status: Status
        var lastPoll: Date?
    }

    /// Seconds a device should wait between polls.
    public let interval: Int
    /// Seconds a device code lives.
    public let lifetime: Int
    private var entries: [String: Entry] = [:]

    /// Creates a store.
    public init(interval: Int = 5, lifetime: Int = 900) {
        self.interval = interval
        self.lifetime = lifetime
    }

    /// Starts an authorization; returns the device code and the user code.
    func start(clientID: String, scope: String, now: Date) -> (deviceCode: String, userCode: String) {
        entries = entries.filter { $0.value.expiresAt > now }
        let deviceCode = Base64URL.random()
        let userCode = Self.userCode()
        entries[Secrets.hash(deviceCode)] = Entry(
            clientID: clientID,
            scope: scope,
            userCode: userCode,
            expiresAt: now.addingTimeInterval(TimeInterval(lifetime)),
            status: .pending
        )
        return (deviceCode, userCode)
    }

    /// The pending authorization a user code names, as (client id, scope), if it is live.
    func lookup(userCode: String, now: Date) -> (clientID: String, scope: String)? {
        let normalized = Self.normalize(userCode)
        guard let entry = entries.values.first(where: { $0.userCode == normalized }), entry.expiresAt > now, entry.status == .pending
        else { return nil }
        return (entry.clientID, entry.scope)
    }

    /// The user's answer for a user code.
    func decide(userCode: String, _ status: Status) {
        let normalized = Self.normalize(userCode)
        guard let key = entries.first(where: { $0.value.userCode == normalized })?.key else { return }
        entries[key]?.status = status
    }

    /// A device's poll: the grant once approved, or the RFC 8628 §3.5 error that applies.
    func poll(deviceCode: String, clientID: String, now: Date) throws(EntraError) -> Grant {
        let key = Secrets.hash(deviceCode)
        guard var entry = entries[key], entry.clientID.caseInsensitiveCompare(clientID) == .orderedSame else {
            throw .invalidGrant
        }
        guard entry.expiresAt > now else { throw .deviceCodeExpired }
        defer { entries[key]?.lastPoll = now }
        switch entry.status {
        case .denied:
            entries[key] = nil
            throw .accessDenied
        case .approved(let user):
            entries[key] = nil
            return Grant(userObjectID: user, clientID: entry.clientID, scope: entry.scope, nonce: nil)
        case .pending:
            if let last = entry.lastPoll, now.timeIntervalSince(last) < TimeInterval(interval) {
                entry.lastPoll = now
                throw .slowDown
            }
            throw .authorizationPending
        }
    }

    /// A user code as typed, in the stored form: upper case, without spaces or dashes.
    static func normalize(_ userCode: String) -> String {
        userCode.uppercased().filter { !$0.isWhitespace && $0 != "-" }
    }

    /// Eight letters, no vowels or look-alikes, as Entra's codes (e.g. `BCDFGHJK`).
    static func userCode() -> String {
        let alphabet = Array("BCDFGHJKLMNPQRSTVWXZ")
        var generator = SystemRandomNumberGenerator()
        return String((0..<8).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
