import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// An HTTP forward proxy on loopback, as a company's would be: it answers `CONNECT host:port`
/// by opening a tunnel to the target, and records each target it was asked for. With
/// `credentials` it answers 407 to a `CONNECT` without `Proxy-Authorization: Basic` of them.
/// Anything but `CONNECT` gets 405.
public final class ForwardProxy: Sendable {
    /// The port it listens on, on 127.0.0.1.
    public let port: Int
    private let channel: any Channel
    private let log: Targets

    /// The `CONNECT` targets asked for so far, `host:port`, in order (refused ones included).
    public var targets: [String] { log.log.withLock { $0 } }

    private init(port: Int, channel: any Channel, log: Targets) {
        self.port = port
        self.channel = channel
        self.log = log
    }

    /// Starts a proxy on a free port; `credentials` is `user:password` when it asks for them.
    public static func start(credentials: String? = nil) async throws -> ForwardProxy {
        let targets = Targets()
        let expected = credentials.map { "Basic " + Data($0.utf8).base64EncodedString() }
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let decoder = ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes))
                    let encoder = HTTPResponseEncoder()
                    try channel.pipeline.syncOperations.addHandlers([
                        decoder, encoder,
                        ConnectHandler(decoder: decoder, encoder: encoder, expected: expected, targets: targets),
                    ])
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        guard let port = channel.localAddress?.port else { throw ChannelError.inappropriateOperationForState }
        return ForwardProxy(port: port, channel: channel, log: targets)
    }

    /// Stops listening; open tunnels end with their connections.
    public func stop() async throws {
        try await channel.close()
    }
}

/// The log, shared by every connection's handler.
private final class Targets: Sendable {
    let log = Mutex<[String]>([])
}

/// Reads one request; for an accepted `CONNECT`, connects to the target, answers 200 and steps
/// aside for a ``GlueHandler`` pair.
private final class ConnectHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let decoder: ByteToMessageHandler<HTTPRequestDecoder>
    private let encoder: HTTPResponseEncoder
    private let expected: String?
    private let targets: Targets
    private var target: (host: String, port: Int)?
    private var refusal: HTTPResponseStatus?

    init(decoder: ByteToMessageHandler<HTTPRequestDecoder>, encoder: HTTPResponseEncoder, expected: String?, targets: Targets) {
        self.decoder = decoder
        self.encoder = encoder
        self.expected = expected
        self.targets = targets
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            guard head.method == .CONNECT else {
                refusal = .methodNotAllowed
                return
            }
            targets.log.withLock { $0.append(head.uri) }
            let parts = head.uri.split(separator: ":")
            guard parts.count == 2, let port = Int(parts[1]) else {
                refusal = .badRequest
                return
            }
            if let expected, head.headers["Proxy-Authorization"].first != expected {
                refusal = .proxyAuthenticationRequired
                return
            }
            target = (String(parts[0]), port)
        case .body:
            break
        case .end:
            if let refusal {
                refuse(context: context, status: refusal)
            } else if let target {
                connect(context: context, host: target.host, port: target.port)
            }
        }
    }

    private func refuse(context: ChannelHandlerContext, status: HTTPResponseStatus) {
        var headers = HTTPHeaders([("Content-Length", "0"), ("Connection", "close")])
        if status == .proxyAuthenticationRequired { headers.add(name: "Proxy-Authenticate", value: #"Basic realm="test""#) }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }

    private func connect(context: ChannelHandlerContext, host: String, port: Int) {
        ClientBootstrap(group: context.eventLoop).connect(host: host, port: port).assumeIsolated().whenComplete { result in
            switch result {
            case .failure:
                self.refuse(context: context, status: .badGateway)
            case .success(let upstream):
                let head = HTTPResponseHead(version: .http1_1, status: .ok)
                context.write(self.wrapOutboundOut(.head(head)), promise: nil)
                context.writeAndFlush(self.wrapOutboundOut(.end(nil)), promise: nil)
                let (local, remote) = GlueHandler.pair()
                do {
                    let pipeline = context.pipeline.syncOperations
                    try upstream.pipeline.syncOperations.addHandler(remote)
                    try pipeline.addHandler(local)
                    pipeline.removeHandler(self.encoder, promise: nil)
                    // The decoder hands on any bytes that came after the request, then leaves.
                    pipeline.removeHandler(self.decoder, promise: nil)
                    pipeline.removeHandler(context: context, promise: nil)
                } catch {
                    upstream.close(promise: nil)
                    context.close(promise: nil)
                }
            }
        }
    }
}

/// Joins two channels on one event loop: what one reads, the other writes.
private final class GlueHandler: ChannelDuplexHandler {
    typealias InboundIn = NIOAny
    typealias OutboundIn = NIOAny
    typealias OutboundOut = NIOAny

    private var partner: GlueHandler?
    private var context: ChannelHandlerContext?

    static func pair() -> (GlueHandler, GlueHandler) {
        let first = GlueHandler()
        let second = GlueHandler()
        first.partner = second
        second.partner = first
        return (first, second)
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        partner = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        partner?.context?.write(data, promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        partner?.context?.flush()
    }

    func channelInactive(context: ChannelHandlerContext) {
        partner?.context?.close(promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
