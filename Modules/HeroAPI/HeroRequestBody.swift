import Foundation
import HTTPServerKit
import HTTPTypes
import HeroDomain
import Hummingbird
import NIOCore
import NIOFoundationCompat

/// Reads a hero from a request body, answering each kind of bad input with its own status:
/// 415 not JSON, 413 too large, 400 not a JSON object or a member name repeated, 422 wrong or missing fields (all of
/// them at once, as the validation rules are).
enum HeroRequestBody {
    static func decode(_ request: Request, context: some RequestContext, maximumSize: Int) async throws -> HeroInput {
        guard isJSON(request.headers[.contentType]) else {
            throw ProblemDetails(.unsupportedMediaType, detail: "Send the hero as application/json")
        }
        let buffer = try await request.body.collect(upTo: maximumSize)
        let data = Data(buffer: buffer)
        let members: [String: JSONKind]
        do {
            members = try JSONDecoder().decode([String: JSONKind].self, from: data)
        } catch {
            throw ProblemDetails(.badRequest, detail: "The body is not a JSON object")
        }
        do {
            try DuplicateMemberScanner.check(data)
        } catch {
            throw ProblemDetails(
                .badRequest,
                detail: error.pointer.isEmpty
                    ? "The body has the member \"\(Self.shown(error.name))\" more than once; send each member once"
                    : "The body has the member \"\(Self.shown(error.name))\" more than once in the object at \(Self.shown(error.pointer)); send each member once",
                errors: [
                    .init(field: Self.shown(error.pointer + "/" + error.name).dropFirst().description, message: "appears more than once")
                ]
            )
        }
        let shapeErrors = HeroShape.errors(in: members)
        guard shapeErrors.isEmpty else {
            throw ProblemDetails(HeroError.invalid(shapeErrors))
        }
        do {
            return try JSONDecoder().decode(HeroInput.self, from: data).validated()
        } catch let error as HeroError {
            throw ProblemDetails(error)
        } catch {
            // The shape check above makes this unreachable; never let it become a 500.
            throw ProblemDetails(.badRequest, detail: "The body is not a valid hero")
        }
    }

    /// A name from the body as an error shows it: at most 100 characters, so a 64 KiB name
    /// is not echoed back whole.
    static func shown(_ text: String) -> String {
        text.unicodeScalars.count <= 100 ? text : String(String.UnicodeScalarView(text.unicodeScalars.prefix(100))) + "…"
    }

    /// `application/json`, any parameters (charset) allowed, any case.
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first ?? ""
        return mediaType.trimmingCharacters(in: .whitespaces).lowercased() == "application/json"
    }
}

/// The JSON type of a value, decoded without converting it.
enum JSONKind: Decodable, Equatable {
    case null, bool, integer, number, string, array, object

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if (try? container.decode(Bool.self)) != nil {
            self = .bool
        } else if (try? container.decode(Int.self)) != nil {
            self = .integer
        } else if (try? container.decode(Double.self)) != nil {
            self = .number
        } else if (try? container.decode(String.self)) != nil {
            self = .string
        } else if (try? container.decode([JSONKind].self)) != nil {
            self = .array
        } else {
            self = .object
        }
    }
}
