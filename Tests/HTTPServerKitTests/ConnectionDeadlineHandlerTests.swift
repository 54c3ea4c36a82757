import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import HTTPServerKit

/// The deadlines of ``ConnectionDeadlineHandler`` on an embedded channel, whose clock moves only
/// when the test moves it: a deadline is kept to the moment, however many requests moved it
/// before, and a connection that keeps making progress is never closed.
@Suite("Connection deadlines: one timer, moved by each request, kept to the moment")
struct ConnectionDeadlineHandlerTests {
    /// Three different timeouts, so a deadline of the wrong phase would show.
    let limits = ServerLimits(
        idleTimeout: .seconds(10),
        requestHeadTimeout: .seconds(4),
        requestBodyTimeout: .seconds(6),
        maxConnections: 1
    )
    let justBefore = TimeAmount.milliseconds(1)

    private func connection() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel(handler: ConnectionDeadlineHandler(limits: limits))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 8080)).wait()
        return channel
    }

    /// Bytes of a request arrive (what ``InboundBytesSignal`` reports).
    private func bytesArrive(_ channel: EmbeddedChannel) {
        channel.pipeline.fireUserInboundEventTriggered(InboundBytesSignal.BytesReceived())
    }

    /// A whole request, read at once.
    private func request(_ channel: EmbeddedChannel) throws {
        bytesArrive(channel)
        try channel.writeInbound(HTTPServerRequestPart.head(HTTPRequestHead(version: .http1_1, method: .GET, uri: "/")))
        try channel.writeInbound(HTTPServerRequestPart.end(nil))
    }

    /// The head of a POST, whose body is still to come.
    private func uploadStarts(_ channel: EmbeddedChannel) throws {
        bytesArrive(channel)
        try channel.writeInbound(HTTPServerRequestPart.head(HTTPRequestHead(version: .http1_1, method: .POST, uri: "/")))
    }

    /// Open until `delay` from now has passed, to the millisecond, and closed then.
    private func expectClosed(_ channel: EmbeddedChannel, after delay: TimeAmount, sourceLocation: SourceLocation = #_sourceLocation) {
        channel.embeddedEventLoop.advanceTime(by: delay - justBefore)
        #expect(channel.isActive, "open until its deadline", sourceLocation: sourceLocation)
        channel.embeddedEventLoop.advanceTime(by: justBefore)
        #expect(!channel.isActive, "closed at its deadline", sourceLocation: sourceLocation)
    }

    /// The application's answer.
    private func respond(_ channel: EmbeddedChannel) throws {
        try channel.writeOutbound(HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: .ok)))
        try channel.writeOutbound(HTTPServerResponsePart.end(nil))
    }

    @Test("a connection busy for three idle timeouts stays open; then, quiet, it is closed at its idle deadline")
    func busyThenIdle() throws {
        let channel = try connection()
        for _ in 0..<10 {
            channel.embeddedEventLoop.advanceTime(by: .seconds(3))
            try request(channel)
            channel.embeddedEventLoop.advanceTime(by: .seconds(1))
            try respond(channel)
            #expect(channel.isActive)
        }
        expectClosed(channel, after: .seconds(10))
    }

    @Test("a head that stalls after earlier requests gets 408 at its deadline, counted from its first byte")
    func stalledHead() throws {
        let channel = try connection()
        // Quick requests, so the head's deadline comes before any timeout since the first.
        for _ in 0..<3 {
            try request(channel)
            try respond(channel)
            channel.embeddedEventLoop.advanceTime(by: .milliseconds(500))
        }
        while try channel.readOutbound(as: HTTPServerResponsePart.self) != nil {}
        bytesArrive(channel)
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        bytesArrive(channel)  // More of the head: its deadline does not move.
        expectClosed(channel, after: .seconds(2))
        guard case .head(let head) = try channel.readOutbound(as: HTTPServerResponsePart.self) else {
            Issue.record("no response head")
            return
        }
        #expect(head.status == .requestTimeout)
    }

    @Test("a body is given the body timeout after each of its bytes, and nothing is timed while the application answers")
    func bodyAndHandling() throws {
        let channel = try connection()
        try uploadStarts(channel)
        for _ in 0..<4 {
            channel.embeddedEventLoop.advanceTime(by: .seconds(5))
            bytesArrive(channel)
            try channel.writeInbound(HTTPServerRequestPart.body(ByteBuffer(string: "x")))
        }
        try channel.writeInbound(HTTPServerRequestPart.end(nil))
        channel.embeddedEventLoop.advanceTime(by: .seconds(100))
        #expect(channel.isActive, "the application takes its time")
        try respond(channel)
        expectClosed(channel, after: .seconds(10))
    }

    @Test("a body that stops is closed at the body timeout after its last byte")
    func stalledBody() throws {
        let channel = try connection()
        try uploadStarts(channel)
        channel.embeddedEventLoop.advanceTime(by: .seconds(3))
        bytesArrive(channel)
        try channel.writeInbound(HTTPServerRequestPart.body(ByteBuffer(string: "x")))
        expectClosed(channel, after: .seconds(6))
    }
}
