import Foundation
import HTTPTypes
import HeroDomain
import Hummingbird

extension JSONEncoder {
    /// The encoder of every JSON body, for a request context's `responseEncoder`: keys sorted
    /// (Foundation on Linux does not keep the order types encode them in, and a stable order
    /// keeps bodies diffable) and slashes left unescaped. Heroes, on the hot path, are written
    /// by ``HeroJSON`` instead, to the same bytes.
    public static func sortedKeys() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

extension EditedResponse {
    /// `body` encoded by the context's response encoder and labelled `application/json`, as the
    /// seed's responses were: Hummingbird's JSON encoder adds `; charset=utf-8`, a parameter
    /// the JSON media type does not define (RFC 8259 §11).
    public static func json(_ body: Generator, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Self {
        var fields = headers
        fields[.contentType] = "application/json"
        return EditedResponse(status: status, headers: fields, response: body)
    }
}

/// The body of a successful `DELETE`, as the seed's:
/// `{"message": "Hero with id '<id>' deleted successfully"}`.
struct DeleteMessage: ResponseEncodable {
    /// The sentence naming the deleted hero.
    let message: String

    /// The message for the hero with `id`.
    init(deleted id: HeroID) {
        message = "Hero with id '\(id)' deleted successfully"
    }
}
