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
///
/// One timer per connection, which a request only moves: a request sets three deadlines, and
/// cancelling and scheduling a timer for each cost 14,500 instructions a request, 6 % of a
/// `GET /` (callgrind). The timer never waits longer than the shortest timeout, and every
/// deadline is set at least that far ahead, so a deadline set while the timer waits can never
/// fall before it; when it fires early it checks the deadline and waits again for the rest.
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
    /// The longest the timer waits before it checks the deadline: the shortest timeout (at
    /// least a millisecond, so that a zero timeout cannot make it spin).
    private let horizon: TimeAmount
    private var phase = Phase.idle
    private var responsesPending = 0
    /// When the connection is closed unless it makes progress; nil while the application answers.
    private var deadline: NIODeadline?
    private var timer: Scheduled<Void>?
    /// Tells a stale timer (cancelled too late) from the current one.
    private var generation = 0

    init(limits: ServerLimits) {
        self.limits = limits
        horizon = TimeAmount(max(.milliseconds(1), min(limits.idleTimeout, limits.requestHeadTimeout, limits.requestBodyTimeout)))
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(limits.idleTimeout, context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(limits.idleTimeout, context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        stopTimer()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stopTimer()
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

    /// Sets the deadline `timeout` from now, and starts the timer if none waits.
    private func arm(_ timeout: Duration, context: ChannelHandlerContext) {
        let now = context.eventLoop.now
        deadline = now + TimeAmount(timeout)
        if timer == nil { schedule(at: now + horizon, context: context) }
    }

    /// No deadline: a timer that fires meanwhile finds nothing to do.
    private func disarm() {
        deadline = nil
    }

    private func schedule(at time: NIODeadline, context: ChannelHandlerContext) {
        let current = generation
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: time) {
            guard current == self.generation else { return }
            self.timerFired(context: context)
        }
    }

    private func timerFired(context: ChannelHandlerContext) {
        timer = nil
        guard let deadline else { return }  // The next deadline starts a timer again.
        let now = context.eventLoop.now
        if now < deadline {
            schedule(at: min(deadline, now + horizon), context: context)
        } else {
            expired(context: context)
        }
    }

    private func stopTimer() {
        deadline = nil
        generation &+= 1
        timer?.cancel()
        timer = nil
    }

    private func expired(context: ChannelHandlerContext) {
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
