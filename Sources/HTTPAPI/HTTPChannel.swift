import APIContract
import FleetServices
import HTTPTypes
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// Hummingbird's HTTP/1 child channel with two fixes that hummingbird 2.28 offers no option for:
/// - a request that is not keep-alive (HTTP/1.0 without `Connection: keep-alive`, or any
///   `Connection: close`) is marked `Connection: close`, which Hummingbird's request loop honours,
///   so the connection closes after the answer (RFC 9112 §9.3). The framework's own extra handlers
///   sit after the conversion to HTTP types, where the HTTP version is gone; this one goes before it.
/// - the bare 400 the framework writes for bytes that are not HTTP gets the contract's error
///   envelope as its body (`ParseErrorEnvelope`).
struct ServiceHTTP1Channel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = HTTP1Channel.Value

    let inner: HTTP1Channel

    var responder: HTTPChannelHandler.Responder { inner.responder }

    init(responder: @escaping HTTPChannelHandler.Responder, configuration: HTTP1Channel.Configuration) {
        var configuration = configuration
        let additional = configuration.additionalChannelHandlers
        configuration.additionalChannelHandlers = { [ParseErrorEnvelope()] + additional() }
        inner = HTTP1Channel(responder: responder, configuration: configuration)
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let operations = channel.pipeline.syncOperations
            let codec = try operations.handler(type: HTTP1ToHTTPServerCodec.self)
            try operations.addHandler(KeepAliveMarker(), position: .before(codec))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1 through `ServiceHTTP1Channel`.
    static func serviceHTTP1(configuration: HTTP1Channel.Configuration) -> HTTPServerBuilder {
        .init { responder in ServiceHTTP1Channel(responder: responder, configuration: configuration) }
    }
}

/// Marks every request that is not keep-alive with `Connection: close` (see `ServiceHTTP1Channel`).
final class KeepAliveMarker: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(var head) = unwrapInboundIn(data), !head.isKeepAlive {
            head.headers.replaceOrAdd(name: "connection", value: "close")
            context.fireChannelRead(wrapInboundOut(.head(head)))
            return
        }
        context.fireChannelRead(data)
    }
}

/// Gives the framework's answer to unparsable HTTP (a 400 with `Connection: close` and no body)
/// the contract's error envelope. The service's own 400s always carry a body and pass unchanged.
final class ParseErrorEnvelope: ChannelOutboundHandler, RemovableChannelHandler, @unchecked Sendable {
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    static let body: [UInt8] = Array(
        #"{"success":false,"error":{"code":"invalid_body","message":"the request is not valid HTTP/1.1 (malformed request line, headers or framing)","field":null}}"#
            .utf8)

    /// Whether the response being written is the framework's bare 400 (event-loop confined).
    private var rewriting = false

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head)
        where head.status == .badRequest && head.headerFields[.contentLength] == "0"
            && head.headerFields[.connection] == "close":
            rewriting = true
            head.headerFields[.contentLength] = "\(Self.body.count)"
            head.headerFields[.contentType] = "application/json"
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .end(let trailers) where rewriting:
            rewriting = false
            context.write(wrapOutboundOut(.body(context.channel.allocator.buffer(bytes: Self.body))), promise: nil)
            context.write(wrapOutboundOut(.end(trailers)), promise: promise)
        default:
            context.write(data, promise: promise)
        }
    }
}
