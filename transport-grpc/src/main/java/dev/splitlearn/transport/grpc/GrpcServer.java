package dev.splitlearn.transport.grpc;

import dev.splitlearn.core.protocol.MessageCodec;
import dev.splitlearn.core.protocol.WireEndpoint;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a {@link WireEndpoint} over gRPC: each stream a client opens is one connection (one
 * session) of the endpoint; each request frame is answered with one reply frame. Requests of one
 * stream are handled in order; streams are served side by side, so one client waiting at a barrier
 * does not hold up another. Message size is bounded by the codec's bound before a frame is read.
 */
public final class GrpcServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GrpcServer.class);
  private static final Context.Key<SocketAddress> PEER = Context.key("splitlearn-peer");

  private final Server server;

  private GrpcServer(Server server) {
    this.server = server;
  }

  /**
   * Starts serving {@code endpoint} on {@code host:port} (port 0: any free port).
   *
   * @throws IOException if the port cannot be bound
   */
  public static GrpcServer start(WireEndpoint endpoint, String host, int port) throws IOException {
    ServerServiceDefinition service = ServerServiceDefinition.builder(SplitService.NAME)
        .addMethod(SplitService.SESSION, ServerCalls.asyncBidiStreamingCall(out -> new Stream(endpoint, out)))
        .build();
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
        .addService(ServerInterceptors.intercept(service, new PeerInterceptor()))
        .maxInboundMessageSize(MessageCodec.DEFAULT_MAX_BYTES)
        .permitKeepAliveTime(10, TimeUnit.SECONDS)
        .permitKeepAliveWithoutCalls(true)
        .keepAliveTime(60, TimeUnit.SECONDS)
        .build();
    try {
      server.start();
    } catch (IOException e) {
      throw new IOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    LOG.info("serving {} on {}", SplitService.NAME, server.getListenSockets());
    return new GrpcServer(server);
  }

  /** The port the server listens on. */
  public int port() {
    return server.getPort();
  }

  /** Waits until the server has shut down. */
  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  /** Stops accepting streams, lets running ones finish for up to 5 s, then cancels them. */
  @Override
  public void close() {
    server.shutdown();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.shutdownNow();
    }
  }

  /** One client's stream: one connection of the endpoint. */
  private static final class Stream implements StreamObserver<byte[]> {
    private final WireEndpoint.Connection connection;
    private final StreamObserver<byte[]> out;
    private boolean closed;

    Stream(WireEndpoint endpoint, StreamObserver<byte[]> out) {
      SocketAddress peer = PEER.get();
      this.connection = endpoint.connect(peer == null ? "unknown peer" : peer.toString());
      this.out = out;
    }

    @Override
    public void onNext(byte[] request) {
      out.onNext(connection.handle(request)); // handle() answers every failure with an ErrorReply
    }

    @Override
    public void onError(Throwable t) {
      close(); // the client went away (cancelled, connection lost)
    }

    @Override
    public void onCompleted() {
      close();
      out.onCompleted();
    }

    private synchronized void close() {
      if (!closed) {
        closed = true;
        connection.close();
      }
    }
  }

  /** Puts the remote address of each call into its context, for the session's logs. */
  private static final class PeerInterceptor implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
        ServerCallHandler<Q, R> next) {
      Context ctx = Context.current().withValue(PEER, call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
      return Contexts.interceptCall(ctx, call, headers, next);
    }
  }
}
