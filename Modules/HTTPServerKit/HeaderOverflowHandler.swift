import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Answers `431 Request Header Fields Too Large` (RFC 6585 §5), as problem+json, when a
/// request's headers exceed the HTTP decoder's limits, where Hummingbird would send a bare
/// 400 and close. A client with a runaway `Authorization` header gets a reason, not a riddle.
///
/// Install it with `.http1(configuration: .init(additionalChannelHandlers: [HeaderOverflowHandler()]))`.
public final class HeaderOverflowHandler: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    public typealias InboundIn = HTTPRequestPart
    public typealias OutboundOut = HTTPResponsePart

    /// Creates the handler.
    public init() {}

    public func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError, parserError == .headerOverflow else {
            context.fireErrorCaught(error)
            return
        }
        // The decoder closes the connection right after this returns, so write now. The
        // error is not passed on: the server would answer it with a second response.
        let problem = ProblemDetails(.requestHeaderFieldsTooLarge, detail: "The request headers are too large")
        let body = problem.body
        let head = HTTPResponse(
            status: .requestHeaderFieldsTooLarge,
            headerFields: [.contentType: ProblemDetails.mediaType, .contentLength: "\(body.count)", .connection: "close"]
        )
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(ByteBuffer(bytes: body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}
