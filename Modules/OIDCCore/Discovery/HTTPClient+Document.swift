import Foundation
import HTTPKit
import HTTPTypes

extension HTTPClient {
    /// GETs a JSON document of the provider (discovery, key set) and returns its body; `what`
    /// names it in errors ("the key set").
    func document(at url: URL, what: String) async throws(OIDCError) -> Data {
        let response: HTTPClientResponse
        do {
            response = try await send(HTTPClientRequest(url: url, headerFields: [.accept: "application/json"]))
        } catch {
            throw .unreachable(error.description)
        }
        guard response.status == .ok else {
            throw .invalidDocument(
                "\(what.prefix(1).uppercased() + what.dropFirst()) at \(url.absoluteString) answered \(response.status.code)"
            )
        }
        return response.body
    }
}
