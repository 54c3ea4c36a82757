import NIOCore
import NIOHTTP1

/// Keeps a connection open only as long as the client asked for it, which the conversion to
/// HTTP types loses (it reports every request as HTTP/1.1). An HTTP/1.0 request without
/// `Connection: keep-alive`, or any request with `Connection: close`, ends the connection
/// after its response (RFC 9112 §9.3); the response says so (`Connection: close`, §9.6).
/// An HTTP/1.0 client never gets a chunked body (§6.1): a response of unknown length goes
/// out as HTTP/1.0, delimited by closing the connection (§6.3).
///
/// It sits between the HTTP/1 decoder and the conversion to HTTP types.
final class HTTP10ConnectionHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// What each request awaiting its response asked for, oldest first.
    private var requests: [(isHTTP10: Bool, keepAlive: Bool)] = []
    private var closeAfterResponse = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(var head) = unwrapInboundIn(data) else {
            context.fireChannelRead(data)
            return
        }
        let keepAlive = head.isKeepAlive
        requests.append((isHTTP10: head.version == .http1_0, keepAlive: keepAlive))
        if !keepAlive {
            // Hummingbird ends the connection after a response only for exactly `close`.
            head.headers.replaceOrAdd(name: "connection", value: "close")
        }
        context.fireChannelRead(wrapInboundOut(.head(head)))
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var response) where response.status.code >= 200:
            let request = requests.first ?? (isHTTP10: false, keepAlive: true)
            let lengthKnown = response.headers.contains(name: "content-length")
            if request.isHTTP10, !lengthKnown {
                response.version = .http1_0
                closeAfterResponse = true
            }
            // The client did not ask to keep it, or the application ends it (after a parse error).
            if !request.keepAlive || response.headers["connection"].contains(where: { $0.lowercased() == "close" }) {
                closeAfterResponse = true
            }
            if closeAfterResponse {
                response.headers.replaceOrAdd(name: "connection", value: "close")
            } else if request.isHTTP10 {
                // An HTTP/1.0 client keeps the connection only when told so.
                response.headers.replaceOrAdd(name: "connection", value: "keep-alive")
            }
            context.write(wrapOutboundOut(.head(response)), promise: promise)
        case .end:
            if !requests.isEmpty { requests.removeFirst() }
            guard closeAfterResponse else {
                context.write(data, promise: promise)
                return
            }
            // Closed once written: a close before the bytes leave would cut the response short.
            let written = context.writeAndFlush(data)
            written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
            written.cascade(to: promise)
        default:
            context.write(data, promise: promise)
        }
    }
}
