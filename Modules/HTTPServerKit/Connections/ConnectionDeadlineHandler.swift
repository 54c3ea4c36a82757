import HTTPTypes
import NIOCore
import NIOHTTP1

/// Bounds every wait of a connection (``ServerLimits``): between requests the idle timeout;
/// from a request's first byte to the end of its head the head timeout, which a client
/// trickling one byte at a time cannot stretch (408, RFC 9110 §15.5.9); while a body is read,
/// the body timeout since the last byte. While the application works on a fully read request,
/// nothing is timed here. A connection past its deadline is closed.
///
/// It sits behind the HTTP/1 decoder; ``InboundBytesSignal``, at the front of the pipeline,
/// tells it when bytes arrive that the decoder has not turned into a part yet.
final class ConnectionDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// Where the connection is in its request/response cycle, which decides the deadline.
    private enum Phase {
        /// Between requests: the idle timeout.
        case idle
        /// A request has begun, its head is incomplete: the head timeout, from the first byte.
        case head
        /// The head is in, the body is being read: the body timeout, from the last byte.
        case body
        /// The request is read; the application answers. No deadline.
        case handling
    }

    private let limits: ServerLimits
    private var phase = Phase.idle
    private var responsesPending = 0
    private var timer: Scheduled<Void>?
    /// Tells a stale timer (cancelled too late) from the current one.
    private var generation = 0

    init(limits: ServerLimits) {
        self.limits = limits
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(limits.idleTimeout, context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(limits.idleTimeout, context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        disarm()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is InboundBytesSignal.BytesReceived else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        switch phase {
        case .idle, .handling:
            // The first byte of a request (or of one pipelined behind the current one).
            phase = .head
            arm(limits.requestHeadTimeout, context: context)
        case .body:
            arm(limits.requestBodyTimeout, context: context)
        case .head:
            break  // The head's deadline runs from its first byte.
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            responsesPending += 1
            phase = .body
            arm(limits.requestBodyTimeout, context: context)
        case .body:
            break  // Progress was seen as bytes.
        case .end where responsesPending == 0:
            // Answered before its body was read (a 401, say): nothing left to wait for.
            phase = .idle
            arm(limits.idleTimeout, context: context)
        case .end:
            phase = .handling
            disarm()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            responsesPending = max(0, responsesPending - 1)
            if responsesPending == 0, phase == .handling {
                phase = .idle
                arm(limits.idleTimeout, context: context)
            }
        }
        context.write(data, promise: promise)
    }

    private func arm(_ timeout: Duration, context: ChannelHandlerContext) {
        disarm()
        let current = generation
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(timeout)) {
            guard current == self.generation else { return }
            self.expired(context: context)
        }
    }

    private func disarm() {
        generation &+= 1
        timer?.cancel()
        timer = nil
    }

    private func expired(context: ChannelHandlerContext) {
        timer = nil
        if phase == .head, responsesPending == 0 {
            // Nobody else is answering on this connection: say why it ends.
            let body = ProblemDetails(.requestTimeout, detail: "The request head took too long to arrive").body
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: ProblemDetails.mediaType)
            headers.add(name: "Content-Length", value: "\(body.count)")
            headers.add(name: "Connection", value: "close")
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .requestTimeout, headers: headers))),
                promise: nil
            )
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
            return
        }
        context.close(promise: nil)
    }
}

/// At the front of the pipeline: tells ``ConnectionDeadlineHandler`` that bytes arrived, before
/// the decoder sees them (a request's first bytes, or a body's progress).
final class InboundBytesSignal: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// The event passed up the pipeline for each read.
    struct BytesReceived {}

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireUserInboundEventTriggered(BytesReceived())
        context.fireChannelRead(data)
    }
}
