import Foundation

/// A bare TCP connection to a loopback port, for tests that send what no HTTP client would
/// (half a request head, a malformed chunk, HTTP/1.0) and watch when the server closes it.
/// Every read has a deadline: a test never waits longer than it says.
public final class RawConnection {
    private var socket: Int32

    /// What came back, and whether the server closed the connection (end of file or reset).
    public struct Reply: Sendable {
        /// The bytes received, as text.
        public let text: String
        /// True when the server closed the connection before the deadline.
        public let closed: Bool

        /// The status code of the first response's status line, nil if none arrived.
        public var status: Int? {
            guard text.hasPrefix("HTTP/1."), let line = text.split(separator: "\r\n").first else { return nil }
            let parts = line.split(separator: " ")
            return parts.count >= 2 ? Int(parts[1]) : nil
        }

        /// The first response's status-line version, such as `HTTP/1.1`.
        public var version: String? {
            text.hasPrefix("HTTP/1.") ? String(text.prefix(8)) : nil
        }

        /// A header field of the first response (name without case), nil when absent.
        public func header(_ name: String) -> String? {
            let head = text.components(separatedBy: "\r\n\r\n").first ?? ""
            for line in head.split(separator: "\r\n").dropFirst() {
                let pair = line.split(separator: ":", maxSplits: 1)
                if pair.count == 2, pair[0].lowercased() == name.lowercased() { return pair[1].trimmingCharacters(in: .whitespaces) }
            }
            return nil
        }

        /// How many status lines arrived (responses on this connection).
        public var responseCount: Int { text.components(separatedBy: "HTTP/1.1 ").count - 1 }
    }

    /// Connects to `port` on 127.0.0.1; throws when nothing accepts.
    public init(port: Int) throws {
        socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard socket >= 0, connected else {
            close()
            throw ChildProcessError(message: "cannot connect to 127.0.0.1:\(port)")
        }
    }

    deinit { close() }

    /// Sends `text` as it is (CRLFs included by the caller).
    public func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Foundation.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw ChildProcessError(message: "the server closed the connection while the test was sending") }
            offset += sent
        }
    }

    /// Reads until the server closes the connection or `timeout` passes.
    public func readUntilClosed(within timeout: Duration) async -> Reply {
        await read(within: timeout) { _ in false }
    }

    /// Reads until what arrived contains `marker` (e.g. the end of a response), the server
    /// closes, or `timeout` passes.
    public func read(until marker: String, within timeout: Duration) async -> Reply {
        await read(within: timeout) { $0.contains(marker) }
    }

    /// Closes the test's end.
    public func close() {
        if socket >= 0 { Foundation.close(socket) }
        socket = -1
    }

    /// Polls the socket without blocking a thread (tests share a small pool), as
    /// ``ChildProcess/waitForOutput(_:timeout:)`` polls the output.
    private func read(within timeout: Duration, done: (String) -> Bool) async -> Reply {
        let deadline = ContinuousClock.now + timeout
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while ContinuousClock.now < deadline {
            var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 0) > 0 else {
                try? await Task.sleep(for: .milliseconds(10))
                continue
            }
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return Reply(text: String(decoding: received, as: UTF8.self), closed: true) }
            received += buffer[0..<count]
            let text = String(decoding: received, as: UTF8.self)
            if done(text) { return Reply(text: text, closed: false) }
        }
        return Reply(text: String(decoding: received, as: UTF8.self), closed: false)
    }
}
