import Foundation
import HTTPTypes
import HummingbirdTesting
import JOSE
import LocalEntra
import NIOCore
import NIOFoundationCompat
import TestSupport
import Testing

@Suite("local-entra: discovery, keys and Entra's error shape")
struct DiscoveryAndKeysTests {
    @Test("the discovery document has Entra's fields and endpoints")
    func discovery() async throws {
        try await withLocalEntra { client, _ in
            let document = try await client.execute(uri: "/\(tenant)/v2.0/.well-known/openid-configuration", method: .get) { json($0) }
            let base = "\(authorityURL)/\(tenant)"
            #expect(document["issuer"] as? String == "\(base)/v2.0")
            #expect(document["authorization_endpoint"] as? String == "\(base)/oauth2/v2.0/authorize")
            #expect(document["token_endpoint"] as? String == "\(base)/oauth2/v2.0/token")
            #expect(document["device_authorization_endpoint"] as? String == "\(base)/oauth2/v2.0/devicecode")
            #expect(document["end_session_endpoint"] as? String == "\(base)/oauth2/v2.0/logout")
            #expect(document["jwks_uri"] as? String == "\(base)/discovery/v2.0/keys")
            #expect(document["id_token_signing_alg_values_supported"] as? [String] == ["RS256"])
            #expect(document["subject_types_supported"] as? [String] == ["pairwise"])
            #expect(document["request_uri_parameter_supported"] as? Bool == false)
            #expect(document["code_challenge_methods_supported"] == nil, "Entra does not advertise it")
        }
    }

    @Test("the JWKS entries carry kid, x5t (equal to kid), n, e, use and issuer")
    func keys() async throws {
        try await withLocalEntra { client, _ in
            let document = try await client.execute(uri: "/\(tenant)/discovery/v2.0/keys", method: .get) { json($0) }
            let keys = try #require(document["keys"] as? [[String: Any]])
            #expect(keys.count == 1)
            let key = try #require(keys.first)
            #expect(key["kty"] as? String == "RSA" && key["use"] as? String == "sig" && key["e"] as? String == "AQAB")
            #expect((key["kid"] as? String)?.isEmpty == false)
            #expect(key["x5t"] as? String == key["kid"] as? String)
            #expect(key["issuer"] as? String == "\(authorityURL)/\(tenant)/v2.0")
            // 2048-bit modulus: 256 bytes, 342 base64url characters.
            #expect((key["n"] as? String)?.count == 342)
        }
    }

    @Test("a wrong tenant gets Entra's error JSON: AADSTS90002 with trace, correlation and timestamp")
    func wrongTenant() async throws {
        try await withLocalEntra { client, _ in
            try await client.execute(uri: "/00000000-0000-0000-0000-000000000000/v2.0/.well-known/openid-configuration", method: .get) {
                #expect($0.status == .badRequest)
                let body = json($0)
                #expect(body["error"] as? String == "invalid_request")
                #expect(body["error_codes"] as? [Int] == [90002])
                let description = try #require(body["error_description"] as? String)
                #expect(description.hasPrefix("AADSTS90002: Tenant '00000000-0000-0000-0000-000000000000' not found."))
                let traceID = try #require(body["trace_id"] as? String)
                let correlationID = try #require(body["correlation_id"] as? String)
                let timestamp = try #require(body["timestamp"] as? String)
                #expect(description.contains("\r\nTrace ID: \(traceID)\r\nCorrelation ID: \(correlationID)\r\nTimestamp: \(timestamp)"))
                #expect(timestamp.wholeMatch(of: /\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ/) != nil)
            }
        }
    }

    @Test("a restart keeps the signing key; rotation publishes a new one and keeps the old one for the grace period")
    func persistenceAndRotation() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("local-entra-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try await SigningKeyStore(stateFolder: folder).current()
        let reopened = try SigningKeyStore(stateFolder: folder, gracePeriod: 3600)
        #expect(try await reopened.current().keyID == first.keyID)

        let attributes = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("signing-keys.json").path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)

        let now = Date()
        let rotated = try await reopened.rotate(now: now)
        #expect(rotated.keyID != first.keyID)
        #expect(try await reopened.current().keyID == rotated.keyID)
        #expect(try await reopened.publishedKeys(now: now.addingTimeInterval(60)).map(\.keyID) == [first.keyID, rotated.keyID])
        #expect(try await reopened.publishedKeys(now: now.addingTimeInterval(3601)).map(\.keyID) == [rotated.keyID])

        // Another process (local-entra rotate-keys) rotating the file is seen by a running store.
        let other = try SigningKeyStore(stateFolder: folder, gracePeriod: 3600)
        let third = try await other.rotate(now: now.addingTimeInterval(10))
        #expect(try await reopened.current().keyID == third.keyID)
    }

    @Test("a malformed registrations file is refused, naming the problem")
    func malformedConfig() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("registrations-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        for (content, problem) in [
            ("{", "not JSON"),
            (#"{"tenantID": "x", "apis": [], "clients": [], "users": []}"#, "tenantID 'x' is not a GUID"),
            (#"{"tenantID": "7c3e1f6a-4d2b-4b8e-9a51-2f0c8d6e9b10", "apis": [], "clients": []}"#, "missing .users"),
        ] {
            try Data(content.utf8).write(to: file)
            #expect {
                try Registrations.load(from: file)
            } throws: { error in
                (error as? RegistrationError)?.description.contains(problem) == true
            }
        }
        try JSONEncoder().encode(Registrations.development).write(to: file)
        #expect(try Registrations.load(from: file) == .development)
    }
}
