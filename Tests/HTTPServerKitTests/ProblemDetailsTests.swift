import Foundation
import HTTPServerKit
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import Testing

@Suite("Problem details (RFC 9457) for every error")
struct ProblemDetailsTests {
    struct Unexpected: Error {}

    private func application() -> some ApplicationProtocol {
        let router = Router()
        router.add(middleware: ProblemDetailsMiddleware())
        router.get("problem") { _, _ -> String in
            throw ProblemDetails(
                .unprocessableContent,
                detail: "Invalid hero",
                errors: [.init(field: "level", message: "must be between 1 and 20 (got 21)")]
            )
        }
        router.get("challenge") { _, _ -> String in throw BearerChallenge.invalidToken("The token expired") }
        router.get("http-error") { _, _ -> String in throw HTTPError(.badRequest, message: "Bad thing") }
        router.get("unexpected") { _, _ -> String in throw Unexpected() }
        return Application(router: router)
    }

    private func document(_ response: TestResponse) throws -> [String: Any] {
        #expect(response.headers[.contentType] == "application/problem+json")
        return try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    /// The members `JSONEncoder` was given before ``ProblemDetails`` wrote them by hand: its
    /// output is the reference, byte for byte.
    private struct Reference: Encodable {
        let type: String
        let title: String
        let status: Int
        let detail: String
        let errors: [ProblemDetails.InvalidField]?
    }

    /// Every byte a text could need escaped, and the ones that must pass through as they are.
    static let texts = [
        "",
        "No hero has this id",
        "quote \" backslash \\ slash / end",
        String(decoding: (0..<0x20).map { UInt8($0) }, as: UTF8.self),
        "DEL \u{7F}, line separator \u{2028}, Åsa Ødegård 勇者 🐋 e\u{301}",
    ]

    @Test("the body is what JSONEncoder writes (sorted keys, slashes unescaped)", arguments: texts.indices)
    func bodyIsWhatTheEncoderWrites(index: Int) throws {
        let text = Self.texts[index]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let problems = [
            ProblemDetails(.unauthorized, detail: text),
            ProblemDetails(.notFound, detail: text, type: "https://example.com/problems/\(text)"),
            ProblemDetails(.unprocessableContent, detail: text, errors: []),
            ProblemDetails(
                .unprocessableContent,
                detail: "Invalid hero",
                errors: [.init(field: text, message: "must be \(text)"), .init(field: "level", message: text)]
            ),
            ProblemDetails(HTTPResponse.Status(code: 599), detail: text),
        ]
        for problem in problems {
            let reference = Reference(
                type: problem.type,
                title: problem.status.reasonPhrase,
                status: problem.status.code,
                detail: problem.detail,
                errors: problem.errors
            )
            let expected = Array(try encoder.encode(reference))
            let written = Array(problem.body)
            #expect(written == expected, "\(String(decoding: written, as: UTF8.self)) != \(String(decoding: expected, as: UTF8.self))")
        }
    }

    @Test func problemWithFieldErrors() async throws {
        try await application().test(.router) { client in
            try await client.execute(uri: "/problem", method: .get) { response in
                #expect(response.status == .unprocessableContent)
                let json = try document(response)
                #expect(json["status"] as? Int == 422)
                #expect(json["title"] as? String == "Unprocessable Content")
                #expect(json["type"] as? String == "about:blank")
                #expect(json["detail"] as? String == "Invalid hero")
                let errors = try #require(json["errors"] as? [[String: String]])
                #expect(errors == [["field": "level", "message": "must be between 1 and 20 (got 21)"]])
            }
        }
    }

    @Test func challengeCarriesWWWAuthenticate() async throws {
        try await application().test(.router) { client in
            try await client.execute(uri: "/challenge", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate] == #"Bearer error="invalid_token", error_description="The token expired""#)
                let json = try document(response)
                #expect(json["detail"] as? String == "The token expired")
            }
        }
    }

    @Test func hummingbirdErrorsAreConverted() async throws {
        try await application().test(.router) { client in
            try await client.execute(uri: "/http-error", method: .get) { response in
                #expect(response.status == .badRequest)
                let json = try document(response)
                #expect(json["detail"] as? String == "Bad thing")
            }
            try await client.execute(uri: "/nowhere", method: .get) { response in
                #expect(response.status == .notFound)
                let json = try document(response)
                #expect(json["detail"] as? String == "No resource at this path")
            }
        }
    }

    @Test("an unexpected error is a 500 that reveals nothing")
    func unexpected() async throws {
        try await application().test(.router) { client in
            try await client.execute(uri: "/unexpected", method: .get) { response in
                #expect(response.status == .internalServerError)
                let json = try document(response)
                #expect(json["detail"] as? String == "The server failed to handle the request")
            }
        }
    }
}
