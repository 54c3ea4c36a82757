import Foundation
import HTTPKit
import HTTPTypes
import Synchronization

/// An ``HTTPClient`` that gives scripted answers in order and records every request, for
/// tests of code that talks HTTP (token endpoint, device flow, authorized API calls).
public final class ScriptedHTTPClient: HTTPClient {
    /// One scripted answer: a response, or a failure to reach the host.
    public enum Answer: Sendable {
        /// Answers with this response.
        case response(HTTPClientResponse)
        /// Fails as an unreachable host would.
        case unreachable

        /// A JSON answer with `status`.
        public static func json(_ status: HTTPResponse.Status, _ body: String) -> Answer {
            .response(HTTPClientResponse(status: status, headerFields: [.contentType: "application/json"], body: Data(body.utf8)))
        }

        /// An empty answer with `status`.
        public static func status(_ status: HTTPResponse.Status) -> Answer {
            .response(HTTPClientResponse(status: status))
        }
    }

    private struct State {
        var answers: [Answer]
        var requests: [HTTPClientRequest] = []
    }

    private let state: Mutex<State>

    /// Answers with `answers`, one per request; a request beyond them fails as unreachable.
    public init(_ answers: [Answer]) {
        state = Mutex(State(answers: answers))
    }

    /// Every request received so far, in order.
    public var requests: [HTTPClientRequest] { state.withLock { $0.requests } }
    /// How many scripted answers are left unused.
    public var unusedAnswers: Int { state.withLock { $0.answers.count } }

    /// Adds answers at the end of the script.
    public func append(_ answers: [Answer]) { state.withLock { $0.answers += answers } }

    /// Records `request` and gives the next scripted answer.
    public func send(_ request: HTTPClientRequest) async throws(HTTPClientError) -> HTTPClientResponse {
        let answer = state.withLock { state -> Answer in
            state.requests.append(request)
            return state.answers.isEmpty ? .unreachable : state.answers.removeFirst()
        }
        switch answer {
        case .response(let response):
            return response
        case .unreachable:
            throw HTTPClientError(.connectionFailed, host: request.url.host ?? "", reason: "the connection was refused")
        }
    }
}

extension HTTPClientRequest {
    /// The form parameters of a form-encoded body.
    public var formParameters: [String: String] {
        let text = body.map { String(decoding: $0, as: UTF8.self) } ?? ""
        return Dictionary(FormEncoding.decode(text) ?? [], uniquingKeysWith: { first, _ in first })
    }
}
