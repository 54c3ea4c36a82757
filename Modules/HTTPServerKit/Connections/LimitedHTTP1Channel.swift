import EventLoopExecutor
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// Hummingbird's HTTP/1.1 channel with every wait bounded and HTTP/1.0 answered as HTTP/1.0
/// clients expect: the pipeline of `HTTP1Channel` plus ``ConnectionDeadlineHandler`` (idle,
/// request-head and body timeouts), ``HTTP10ConnectionHandler`` (RFC 9112 §9.3) and a cap on
/// open connections (one over it gets 503 and is closed).
public struct LimitedHTTP1Channel: ServerChildChannel, HTTPChannelHandler {
    /// A connection, and whether it got a place under the cap.
    public struct Connection: ServerChildChannelValue {
        let asyncChannel: NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>
        let admitted: Bool

        /// The connection's channel.
        public var channel: any Channel { asyncChannel.channel }
    }

    /// The application's responder.
    public let responder: HTTPChannelHandler.Responder
    private let limits: ServerLimits
    private let additionalChannelHandlers: @Sendable () -> [any RemovableChannelHandler]
    private let counter: ConnectionCounter

    /// Creates the channel; `additionalChannelHandlers` go where `HTTP1Channel` puts them.
    public init(
        responder: @escaping HTTPChannelHandler.Responder,
        limits: ServerLimits,
        additionalChannelHandlers: @escaping @Sendable () -> [any RemovableChannelHandler] = { [] }
    ) {
        self.responder = responder
        self.limits = limits
        self.additionalChannelHandlers = additionalChannelHandlers
        self.counter = ConnectionCounter(limit: limits.maxConnections)
    }

    /// Sets up the pipeline: raw bytes → deadlines → HTTP/1 decoder → HTTP/1.0 rules → HTTP types.
    public func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Connection> {
        channel.eventLoop.makeCompletedFuture {
            let admitted = counter.admit()
            if admitted {
                let counter = self.counter
                channel.closeFuture.whenComplete { _ in counter.release() }
            }
            let pipeline = channel.pipeline.syncOperations
            // First in line, so the deadline handler knows when a request's first byte came.
            try pipeline.addHandler(InboundBytesSignal())
            var decoderLimits = NIOHTTPDecoderLimitConfiguration()
            decoderLimits.maxHeaderFieldSize = 80 * 1024
            decoderLimits.maxHeaderListSize = 80 * 1024
            decoderLimits.maxHeaderFieldCount = 1000
            try pipeline.configureHTTPServerPipeline(
                withPipeliningAssistance: false,
                withErrorHandling: false,
                withOutboundHeaderValidation: false,
                withEncoderConfiguration: .init(),
                withDecoderLimitConfiguration: decoderLimits
            )
            if admitted { try pipeline.addHandler(ConnectionDeadlineHandler(limits: limits)) }
            try pipeline.addHandler(HTTP10ConnectionHandler())
            try pipeline.addHandler(HTTP1ToHTTPServerCodec(secure: false))
            try pipeline.addHandlers(additionalChannelHandlers())
            // Hummingbird's own: closes idle connections on graceful shutdown.
            try pipeline.addHandler(HTTPConnectionStateHandler(idleTimeout: nil, logger: logger))
            let asyncChannel = try NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>(
                wrappingChannelSynchronously: channel,
                configuration: .init(isOutboundHalfClosureEnabled: true)
            )
            return Connection(asyncChannel: asyncChannel, admitted: admitted)
        }
    }

    /// Serves the connection's requests, or refuses it when it is over the cap.
    public func handle(value: Connection, logger: Logger) async {
        guard value.admitted else {
            await refuse(value.asyncChannel, logger: logger)
            return
        }
        // The connection's requests run on its event loop: no thread hop per read and write.
        await withTaskExecutorPreference(EventLoopTaskExecutor(value.channel.eventLoop)) {
            await handleHTTP(asyncChannel: value.asyncChannel, logger: logger)
        }
    }

    /// 503 with `Retry-After` (RFC 9110 §15.6.4), without reading the request, then closed: a
    /// refused connection must hold a descriptor for as short a time as possible.
    private func refuse(_ asyncChannel: NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>, logger: Logger) async {
        logger.warning("Connection refused: \(limits.maxConnections) connections are open (HVALFANGST_MAX_CONNECTIONS)")
        let body = ProblemDetails(.serviceUnavailable, detail: "The server has too many open connections; try again shortly").body
        let head = HTTPResponse(
            status: .serviceUnavailable,
            headerFields: [
                .contentType: ProblemDetails.mediaType, .contentLength: "\(body.count)", .connection: "close", .retryAfter: "1",
            ]
        )
        try? await asyncChannel.executeThenClose { _, outbound in
            try await outbound.write(.head(head))
            try await outbound.write(.body(ByteBuffer(bytes: body)))
            try await outbound.write(.end(nil))
        }
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 with ``ServerLimits`` (see ``LimitedHTTP1Channel``).
    public static func limitedHTTP1(
        limits: ServerLimits,
        additionalChannelHandlers: @escaping @Sendable () -> [any RemovableChannelHandler] = { [] }
    ) -> HTTPServerBuilder {
        .init { responder in
            LimitedHTTP1Channel(responder: responder, limits: limits, additionalChannelHandlers: additionalChannelHandlers)
        }
    }
}
