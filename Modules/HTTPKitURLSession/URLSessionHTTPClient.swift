import Foundation
import HTTPKit
import HTTPTypes
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// ``HTTPClient`` over URLSession (libcurl on Linux): a timeout per request, a bound on the
/// response size checked while it arrives, and redirects followed only within the same host
/// and scheme.
public final class URLSessionHTTPClient: HTTPKit.HTTPClient {
    private let session: URLSession
    private let delegate: Delegate
    private let timeout: Duration

    /// Creates a client.
    /// - Parameters:
    ///   - timeout: the longest wait for a whole response.
    ///   - maximumResponseSize: responses with a larger body fail with `responseTooLarge`.
    public init(timeout: Duration = .seconds(10), maximumResponseSize: Int = 1 << 20) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout.timeInterval
        configuration.timeoutIntervalForResource = timeout.timeInterval
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        self.timeout = timeout
        self.delegate = Delegate(maximumResponseSize: maximumResponseSize)
        self.session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
    }

    deinit {
        session.finishTasksAndInvalidate()
    }

    public func send(_ request: HTTPClientRequest) async throws(HTTPClientError) -> HTTPClientResponse {
        var urlRequest = URLRequest(url: request.url, timeoutInterval: timeout.timeInterval)
        urlRequest.httpMethod = request.method.rawValue
        urlRequest.httpBody = request.body
        for field in request.headerFields {
            urlRequest.addValue(field.value, forHTTPHeaderField: field.name.rawName)
        }
        let host = request.url.host ?? "unknown host"
        let task = session.dataTask(with: urlRequest)
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                delegate.register(task, continuation: continuation)
                task.resume()
            }
        } onCancel: {
            task.cancel()
        }
        return try result.get(host: host)
    }
}

extension URLSessionHTTPClient {
    /// The outcome of one task, as the delegate saw it.
    enum Outcome: Sendable {
        case response(HTTPURLResponse, Data)
        case failure(HTTPClientError.Code, String)

        func get(host: String) throws(HTTPClientError) -> HTTPClientResponse {
            switch self {
            case .failure(let code, let reason):
                throw HTTPClientError(code, host: host, reason: reason)
            case .response(let response, let body):
                var fields = HTTPFields()
                for case let (name as String, value as String) in response.allHeaderFields {
                    if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) }
                }
                return HTTPClientResponse(status: .init(code: response.statusCode), headerFields: fields, body: body)
            }
        }
    }

    /// Collects each task's body under its size limit and vets redirects. URLSession calls it
    /// on its own queue; the state is behind a mutex.
    final class Delegate: NSObject, URLSessionDataDelegate, Sendable {
        private struct Pending {
            var continuation: CheckedContinuation<Outcome, Never>
            var body = Data()
            var failure: (HTTPClientError.Code, String)?
        }

        private let maximumResponseSize: Int
        private let pending = Mutex<[Int: Pending]>([:])

        init(maximumResponseSize: Int) {
            self.maximumResponseSize = maximumResponseSize
        }

        func register(_ task: URLSessionTask, continuation: CheckedContinuation<Outcome, Never>) {
            pending.withLock { $0[task.taskIdentifier] = Pending(continuation: continuation) }
        }

        func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
            let tooLarge = pending.withLock { tasks -> Bool in
                guard var entry = tasks[dataTask.taskIdentifier], entry.failure == nil else { return false }
                if entry.body.count + data.count > maximumResponseSize {
                    entry.failure = (.responseTooLarge, "the response is larger than \(maximumResponseSize) bytes")
                    entry.body = Data()
                    tasks[dataTask.taskIdentifier] = entry
                    return true
                }
                entry.body.append(data)
                tasks[dataTask.taskIdentifier] = entry
                return false
            }
            if tooLarge { dataTask.cancel() }
        }

        func urlSession(
            _ session: URLSession,
            task: URLSessionTask,
            willPerformHTTPRedirection response: HTTPURLResponse,
            newRequest request: URLRequest,
            completionHandler: @escaping @Sendable (URLRequest?) -> Void
        ) {
            let from = task.originalRequest?.url
            let to = request.url
            guard let from, let to, from.host?.lowercased() == to.host?.lowercased(), from.scheme == to.scheme,
                from.port == to.port
            else {
                pending.withLock {
                    $0[task.taskIdentifier]?.failure = (.redirectRefused, "a redirect to another host was refused")
                }
                completionHandler(nil)
                return
            }
            completionHandler(request)
        }

        func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
            guard let entry = pending.withLock({ $0.removeValue(forKey: task.taskIdentifier) }) else { return }
            if let (code, reason) = entry.failure {
                entry.continuation.resume(returning: .failure(code, reason))
            } else if let error {
                let urlError = error as? URLError
                let code: HTTPClientError.Code = urlError?.code == .timedOut ? .timedOut : .connectionFailed
                entry.continuation.resume(returning: .failure(code, Self.describe(urlError)))
            } else if let response = task.response as? HTTPURLResponse {
                entry.continuation.resume(returning: .response(response, entry.body))
            } else {
                entry.continuation.resume(returning: .failure(.connectionFailed, "no HTTP response"))
            }
        }

        /// A short phrase for the common network failures.
        private static func describe(_ error: URLError?) -> String {
            switch error?.code {
            case .timedOut: "no response in time"
            case .cannotConnectToHost: "the connection was refused"
            case .cannotFindHost, .dnsLookupFailed: "the host name could not be resolved"
            case .secureConnectionFailed, .serverCertificateUntrusted: "the TLS connection failed"
            case .networkConnectionLost: "the connection was lost"
            case .some(let code): "network error \(code.rawValue)"
            case nil: "network error"
            }
        }
    }
}

extension Duration {
    /// The duration in seconds, as Foundation's APIs take it.
    var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
