import NIOCore
import NIOHTTP1

extension HTTPProxyHandler {
    /// The downstream side of the handler: its place in a channel pipeline (an HTTP/1 connection), or a stream
    /// of an HTTP/2 connection (`HTTP2ServerConnection` feeds it the stream's request parts).
    enum Downstream {
        case pipeline(ChannelHandlerContext)
        case stream(HTTP2ServerStream)
    }

    /// The pipeline context, for what only an HTTP/1 connection does (idle timeout, drain, websocket upgrade).
    var context: ChannelHandlerContext? {
        if case .pipeline(let context) = downstream { return context }
        return nil
    }

    /// Serves `stream` of an HTTP/2 connection.
    func attach(to stream: HTTP2ServerStream) {
        downstream = .stream(stream)
    }

    /// The HTTP/2 stream closed (ended both ways or reset): whatever is in flight is dropped.
    func downstreamClosed() {
        teardown()
        downstream = nil
    }

    /// A read of the HTTP/2 connection delivered request parts: send what reached the upstream.
    func downstreamReadComplete() {
        exchange?.upstream?.flush()
    }

    /// The downstream can take more of the response: the upstream may read again.
    func downstreamBecameWritable() {
        exchange?.upstream?.resumeReading()
    }

    var downstreamWritable: Bool {
        switch downstream {
        case .pipeline(let context): context.channel.isWritable
        case .stream(let stream): stream.isWritable
        case nil: false
        }
    }

    var downstreamEventLoop: (any EventLoop)? {
        switch downstream {
        case .pipeline(let context): context.eventLoop
        case .stream(let stream): stream.eventLoop
        case nil: nil
        }
    }

    var downstreamAllocator: ByteBufferAllocator {
        switch downstream {
        case .pipeline(let context): context.channel.allocator
        case .stream(let stream): stream.allocator
        case nil: ByteBufferAllocator()
        }
    }

    func send(_ part: HTTPServerResponsePart) {
        switch downstream {
        case .pipeline(let context): context.write(wrapOutboundOut(part), promise: nil)
        case .stream(let stream): stream.write(part)
        case nil: break
        }
    }

    func sendAndFlush(_ part: HTTPServerResponsePart) {
        switch downstream {
        case .pipeline(let context): context.writeAndFlush(wrapOutboundOut(part), promise: nil)
        case .stream(let stream): stream.writeAndFlush(part)
        case nil: break
        }
    }

    /// Writes the last part of a response after which the connection closes (HTTP/1; an HTTP/2 stream just
    /// ends), once it is out.
    func sendLastAndClose(_ part: HTTPServerResponsePart) {
        switch downstream {
        case .pipeline(let context):
            context.writeAndFlush(wrapOutboundOut(part)).assumeIsolated().whenComplete { [self] _ in
                self.context?.close(promise: nil)
            }
        case .stream(let stream): stream.writeAndFlush(part)
        case nil: break
        }
    }

    func flushDownstream() {
        switch downstream {
        case .pipeline(let context): context.flush()
        case .stream(let stream): stream.flush()
        case nil: break
        }
    }

    /// Closes the connection (HTTP/1) or resets the stream (HTTP/2): the response can't be completed.
    func closeDownstream() {
        switch downstream {
        case .pipeline(let context): context.close(promise: nil)
        case .stream(let stream): stream.reset()
        case nil: break
        }
    }

    /// Reads again if a read was held back.
    func resumeDownstreamReads() {
        guard readPending else { return }
        readPending = false
        switch downstream {
        case .pipeline(let context): context.read()
        case .stream(let stream): stream.read()
        case nil: break
        }
    }
}
