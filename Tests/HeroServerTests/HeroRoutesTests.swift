import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import TestSupport
import Testing

@testable import HeroServer

@Suite("The Heroes API: wire format and every error status")
struct HeroRoutesTests {
    let token = accessToken()

    private func create(_ client: some TestClientProtocol, _ json: String = gimliJSON) async throws -> [String: Any] {
        try await client.execute(
            uri: "/api/heroes/",
            method: .post,
            headers: headers(token: token, json: true),
            body: ByteBuffer(string: json)
        ) {
            #expect($0.status == .created)
            return $0.object
        }
    }

    @Test("the app's context writes hero bodies in the seed's wire format: sorted keys, null for absent optionals")
    func wireFormat() async throws {
        try await withHeroServer { client, _ in
            let body = try await client.execute(
                uri: "/api/heroes/",
                method: .post,
                headers: headers(token: token, json: true),
                body: ByteBuffer(string: gimliJSON)
            ) { response in
                #expect(response.status == .created)
                #expect(response.headers[.contentType] == "application/json")
                return String(buffer: response.body)
            }
            let id = try #require(body.firstMatch(of: /"id":"([0-9a-f-]{36})"/)?.1)
            #expect(
                body
                    == #"{"alignment":null,"armor_class":18,"background":null,"bonds":null,"class_":"Fighter","flaws":null,"#
                    + #""hit_points":50,"id":"\#(id)","ideals":null,"level":5,"name":"Gimli","personality_traits":null,"#
                    + #""race":"Dwarf","speed":25}"#
            )
        }
    }

    @Test("create answers 201 with the seed's keys and a Location; get, list, replace and delete follow the seed")
    func crudRound() async throws {
        try await withHeroServer { client, _ in
            let created = try await create(
                client,
                #"{"id": "mine", "name": "Gimli", "race": "Dwarf", "class_": "Fighter", "level": 5, "hit_points": 50, "armor_class": 18, "speed": 25, "flaws": "Gold"}"#
            )
            let id = try #require(created["id"] as? String)
            #expect(id != "mine" && UUID(uuidString: id) != nil && id == id.lowercased())
            #expect(
                Set(created.keys) == [
                    "id", "name", "race", "class_", "level", "background", "alignment", "hit_points", "armor_class", "speed",
                    "personality_traits", "ideals", "bonds", "flaws",
                ]
            )
            #expect(created["background"] is NSNull)
            #expect(created["flaws"] as? String == "Gold")

            try await client.execute(
                uri: "/api/heroes/",
                method: .post,
                headers: headers(token: token, json: true),
                body: ByteBuffer(string: gimliJSON)
            ) {
                #expect($0.headers[.location]?.hasPrefix("/api/heroes/") == true)
            }
            try await client.execute(uri: "/api/heroes/\(id)", method: .get, headers: headers(token: token)) {
                #expect($0.status == .ok)
                #expect($0.object["name"] as? String == "Gimli")
            }
            let replacement =
                #"{"name": "Gimli, son of Glóin", "race": "Dwarf", "class_": "Fighter", "level": 6, "hit_points": 60, "armor_class": 18, "speed": 25}"#
            try await client.execute(
                uri: "/api/heroes/\(id)",
                method: .put,
                headers: headers(token: token, json: true),
                body: ByteBuffer(string: replacement)
            ) {
                #expect($0.status == .ok)
                #expect($0.object["id"] as? String == id)
                #expect($0.object["level"] as? Int == 6)
                #expect($0.object["flaws"] is NSNull)
            }
            try await client.execute(uri: "/api/heroes/", method: .get, headers: headers(token: token)) {
                #expect($0.array.map { $0["name"] as? String } == ["Gimli, son of Glóin", "Gimli"])
            }
            try await client.execute(uri: "/api/heroes/\(id)", method: .delete, headers: headers(token: token)) {
                #expect($0.status == .ok)
                #expect($0.object as? [String: String] == ["message": "Hero with id '\(id)' deleted successfully"])
            }
            try await client.execute(uri: "/api/heroes/\(id)", method: .delete, headers: headers(token: token)) {
                #expect($0.status == .notFound)
                #expect($0.object["detail"] as? String == "Hero with id '\(id)' not found")
            }
        }
    }

    @Test("list takes limit and offset and stays a JSON array")
    func pagination() async throws {
        try await withHeroServer { client, _ in
            for name in ["A", "B", "C"] {
                _ = try await create(client, gimliJSON.replacingOccurrences(of: "Gimli", with: name))
            }
            try await client.execute(uri: "/api/heroes?limit=2&offset=1", method: .get, headers: headers(token: token)) {
                #expect($0.array.map { $0["name"] as? String } == ["B", "C"])
            }
            for query in ["limit=0", "limit=1001", "offset=-1", "limit=ten"] {
                try await client.execute(uri: "/api/heroes?\(query)", method: .get, headers: headers(token: token)) {
                    #expect($0.status == .unprocessableContent, "\(query)")
                }
            }
        }
    }

    @Test("each kind of bad request gets its status as problem+json, and changes nothing")
    func badRequests() async throws {
        try await withHeroServer { client, _ in
            let cases: [(String, HTTPFields, String, HTTPResponse.Status, String)] = [
                ("malformed JSON", headers(token: token, json: true), #"{"name": "#, .badRequest, "The body is not a JSON object"),
                ("a JSON array", headers(token: token, json: true), "[]", .badRequest, "The body is not a JSON object"),
                ("no content type", headers(token: token), gimliJSON, .unsupportedMediaType, "Send the hero as application/json"),
                (
                    "text/plain", [.authorization: "Bearer \(token)", .contentType: "text/plain"], gimliJSON, .unsupportedMediaType,
                    "Send the hero as application/json"
                ),
                (
                    "over 64 KiB", headers(token: token, json: true), String(repeating: " ", count: 65 * 1024) + gimliJSON,
                    .contentTooLarge, "The request body is too large"
                ),
            ]
            for (name, fields, body, status, detail) in cases {
                try await client.execute(uri: "/api/heroes/", method: .post, headers: fields, body: ByteBuffer(string: body)) {
                    #expect($0.status == status, "\(name)")
                    #expect($0.headers[.contentType] == "application/problem+json", "\(name)")
                    #expect($0.object["detail"] as? String == detail, "\(name)")
                }
            }
            try await client.execute(uri: "/api/heroes/", method: .get, headers: headers(token: token)) {
                #expect($0.array.isEmpty)
            }
        }
    }

    @Test("422 lists every wrong field: missing, mistyped, and out of range")
    func validation() async throws {
        try await withHeroServer { client, _ in
            let body = #"{"name": "", "race": 7, "level": 3.5, "hit_points": -1, "armor_class": 10, "speed": 30, "ideals": ["x"]}"#
            try await client.execute(
                uri: "/api/heroes/",
                method: .post,
                headers: headers(token: token, json: true),
                body: ByteBuffer(string: body)
            ) {
                #expect($0.status == .unprocessableContent)
                let errors = $0.object["errors"] as? [[String: String]] ?? []
                #expect(
                    errors == [
                        ["field": "race", "message": "must be a string"],
                        ["field": "class_", "message": "is required"],
                        ["field": "level", "message": "must be an integer"],
                        ["field": "ideals", "message": "must be a string or null"],
                    ]
                )
            }
            let outOfRange =
                #"{"name": " ", "race": "Elf", "class_": "Wizard", "level": 21, "hit_points": -1, "armor_class": 10, "speed": 30}"#
            try await client.execute(
                uri: "/api/heroes/",
                method: .post,
                headers: headers(token: token, json: true),
                body: ByteBuffer(string: outOfRange)
            ) {
                #expect($0.status == .unprocessableContent)
                let errors = $0.object["errors"] as? [[String: String]] ?? []
                #expect(errors.map { $0["field"] } == ["name", "level", "hit_points"])
            }
        }
    }

    @Test("unknown ids are 404, also when they are not UUIDs, for get, put and delete")
    func unknownIDs() async throws {
        try await withHeroServer { client, _ in
            for id in [UUID().uuidString, "not-a-uuid"] {
                for method in [HTTPRequest.Method.get, .delete] {
                    try await client.execute(uri: "/api/heroes/\(id)", method: method, headers: headers(token: token)) {
                        #expect($0.status == .notFound)
                    }
                }
                try await client.execute(
                    uri: "/api/heroes/\(id)",
                    method: .put,
                    headers: headers(token: token, json: true),
                    body: ByteBuffer(string: gimliJSON)
                ) {
                    #expect($0.status == .notFound)
                }
            }
        }
    }

    @Test("unknown routes are 404 and wrong methods 405 with Allow, as problem+json")
    func routing() async throws {
        try await withHeroServer { client, _ in
            try await client.execute(uri: "/api/villains", method: .get, headers: headers(token: token)) {
                #expect($0.status == .notFound)
                #expect($0.headers[.contentType] == "application/problem+json")
            }
            try await client.execute(uri: "/api/heroes/", method: .patch, headers: headers(token: token)) {
                #expect($0.status == .methodNotAllowed)
                #expect($0.headers[.allow] == "POST, GET")
            }
            try await client.execute(uri: "/api/heroes/\(UUID())", method: .post) {
                #expect($0.status == .methodNotAllowed)
                #expect($0.headers[.allow] == "GET, PUT, DELETE")
                #expect($0.headers[.contentType] == "application/problem+json")
            }
        }
    }

    @Test("Authorization: two headers are 400; a token in the query string is ignored (401)")
    func authorizationHeader() async throws {
        try await withHeroServer { client, _ in
            var twice = HTTPFields()
            twice.append(HTTPField(name: .authorization, value: "Bearer \(token)"))
            twice.append(HTTPField(name: .authorization, value: "Bearer \(token)"))
            try await client.execute(uri: "/api/heroes/", method: .get, headers: twice) {
                #expect($0.status == .badRequest)
                #expect($0.headers[.wwwAuthenticate]?.hasPrefix(#"Bearer error="invalid_request""#) == true)
            }
            try await client.execute(uri: "/api/heroes/?access_token=\(token)", method: .get) {
                #expect($0.status == .unauthorized)
            }
            try await client.execute(
                uri: "/api/heroes/",
                method: .get,
                headers: [.authorization: "Bearer " + String(repeating: "a", count: 20_000)]
            ) {
                #expect($0.status == .unauthorized)
                #expect(
                    $0.headers[.wwwAuthenticate]
                        == #"Bearer error="invalid_token", error_description="The token is larger than 16384 bytes""#
                )
            }
        }
    }
}
