package dev.splitlearn.transport.grpc;

import dev.splitlearn.core.protocol.Frame;
import dev.splitlearn.core.protocol.Message.ErrorReply;
import dev.splitlearn.core.protocol.MessageCodec;
import dev.splitlearn.core.protocol.WireEndpoint;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.TlsServerCredentials;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a {@link WireEndpoint} over gRPC: each stream a client opens is one connection (one
 * session) of the endpoint; each request frame is answered with one reply frame, and a refusal ends
 * the stream with the matching gRPC status (its description says what is wrong; a trailer marks it
 * as the server's answer rather than a transport failure). Requests of one stream are handled in
 * order; streams are served side by side, so one client waiting at a barrier does not hold up
 * another (an endpoint that never waits across connections is served on gRPC's network threads,
 * {@link WireEndpoint#handlesOnNetworkThreads}). Message size is bounded by the codec's bound
 * before a frame is read. With TLS, optionally mutual, and bearer tokens checked on every call and
 * bound to the session's client id.
 */
public final class GrpcServer implements AutoCloseable {
  /** Trailer set on a status that carries the server's refusal of a request. */
  static final Metadata.Key<String> REFUSAL =
      Metadata.Key.of("splitlearn-refusal", Metadata.ASCII_STRING_MARSHALLER);

  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final Logger LOG = LoggerFactory.getLogger(GrpcServer.class);
  private static final Context.Key<String> PEER = Context.key("splitlearn-peer");
  private static final Context.Key<Integer> CLIENT = Context.key("splitlearn-client");

  private final Server server;

  private GrpcServer(Server server) {
    this.server = server;
  }

  /** Starts serving {@code endpoint} in plaintext without authentication (loopback, tests). */
  public static GrpcServer start(WireEndpoint endpoint, String host, int port) throws IOException {
    return start(endpoint, host, port, ServerSecurity.none());
  }

  /**
   * Starts serving {@code endpoint} on {@code host:port} (port 0: any free port).
   *
   * @throws IOException if the port cannot be bound or a certificate or key cannot be read
   */
  public static GrpcServer start(
      WireEndpoint endpoint, String host, int port, ServerSecurity security) throws IOException {
    return start(endpoint, host, port, security, MessageCodec.DEFAULT_MAX_BYTES);
  }

  /**
   * As above, refusing any frame larger than {@code maxMessageBytes} with {@code
   * RESOURCE_EXHAUSTED} before it is read into memory.
   */
  public static GrpcServer start(
      WireEndpoint endpoint, String host, int port, ServerSecurity security, int maxMessageBytes)
      throws IOException {
    if (maxMessageBytes < 1024 || maxMessageBytes > MessageCodec.DEFAULT_MAX_BYTES) {
      throw new IllegalArgumentException(
          "--max-message-mb must give 1 KiB .. "
              + (MessageCodec.DEFAULT_MAX_BYTES >> 20)
              + " MiB, got "
              + maxMessageBytes
              + " bytes");
    }
    HealthStatusManager health = new HealthStatusManager();
    ServerServiceDefinition service =
        ServerServiceDefinition.builder(SplitService.NAME)
            .addMethod(
                SplitService.SERVER_SESSION,
                ServerCalls.asyncBidiStreamingCall(out -> new Stream(endpoint, out)))
            .build();
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new InetSocketAddress(host, port), credentials(security))
            .addService(ServerInterceptors.intercept(service, new Authenticator(security.tokens())))
            .addService(
                health.getHealthService()) // grpc.health.v1, unauthenticated as probes expect
            .maxInboundMessageSize(maxMessageBytes)
            .maxInboundMetadataSize(16 << 10)
            .permitKeepAliveTime(10, TimeUnit.SECONDS)
            .permitKeepAliveWithoutCalls(true)
            .keepAliveTime(60, TimeUnit.SECONDS);
    if (endpoint.handlesOnNetworkThreads()) {
      // each request is handled, and its reply written, on the thread that read it: no hand-over
      // to gRPC's executor and back (BENCHMARKS.md, issue 10)
      builder.directExecutor();
    }
    Server server = builder.build();
    try {
      server.start();
    } catch (IOException e) {
      throw new IOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    health.setStatus("", HealthCheckResponse.ServingStatus.SERVING);
    LOG.info(
        "serving {} on {} ({}{})",
        SplitService.NAME,
        server.getListenSockets(),
        security.tls() ? (security.clientCa() != null ? "mutual TLS" : "TLS") : "plaintext",
        security.tokens() != null ? ", " + security.tokens().size() + " client tokens" : "");
    if (security.tokens() != null && !security.tls()) {
      LOG.warn("bearer tokens without TLS travel in clear text: give --tls-cert and --tls-key");
    }
    return new GrpcServer(server);
  }

  private static ServerCredentials credentials(ServerSecurity security) throws IOException {
    if (!security.tls()) {
      return io.grpc.InsecureServerCredentials.create();
    }
    TlsServerCredentials.Builder b = TlsServerCredentials.newBuilder();
    try {
      b.keyManager(security.tlsCertificate().toFile(), security.tlsKey().toFile());
    } catch (IOException | IllegalArgumentException e) {
      throw new IOException(
          "--tls-cert "
              + security.tlsCertificate()
              + " / --tls-key "
              + security.tlsKey()
              + ": cannot load: "
              + e.getMessage(),
          e);
    }
    if (security.clientCa() != null) {
      try {
        b.trustManager(security.clientCa().toFile());
      } catch (IOException | IllegalArgumentException e) {
        throw new IOException(
            "--tls-client-ca " + security.clientCa() + ": cannot load: " + e.getMessage(), e);
      }
      b.clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
    }
    return b.build();
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
  private static final class Stream implements StreamObserver<InputStream> {
    private final FrameReader reader = new FrameReader();
    private final WireEndpoint.Connection connection;
    private final StreamObserver<Frame> out;
    private final String peer;
    private boolean closed;

    Stream(WireEndpoint endpoint, StreamObserver<Frame> out) {
      String p = PEER.get();
      this.peer = p == null ? "unknown peer" : p;
      Integer client = CLIENT.get();
      this.connection =
          endpoint.connect(peer, client == null ? OptionalInt.empty() : OptionalInt.of(client));
      this.out = out;
    }

    @Override
    public void onNext(InputStream message) {
      synchronized (this) {
        if (closed) {
          return; // a frame that arrived after the refusal that ended the stream
        }
      }
      ByteBuffer request;
      try {
        request = reader.read(message);
      } catch (IOException e) {
        close();
        out.onError(
            Status.DATA_LOSS
                .withDescription("reading a request: " + e.getMessage())
                .asRuntimeException());
        return;
      }
      Frame reply =
          connection.handle(Frame.of(request)); // handle() answers every failure with an ErrorReply
      ErrorReply refusal = MessageCodec.errorOf(reply);
      if (refusal == null) {
        out.onNext(reply); // gRPC copies it out now, deferred values too, while they are valid
        return;
      }
      close();
      Metadata trailers = new Metadata();
      trailers.put(REFUSAL, refusal.code().name());
      out.onError(
          Status.fromCode(Status.Code.valueOf(refusal.code().name()))
              .withDescription(refusal.text())
              .asRuntimeException(trailers));
    }

    @Override
    public void onError(Throwable t) {
      close(); // the client went away (cancelled, connection lost)
    }

    @Override
    public void onCompleted() {
      if (close()) {
        out.onCompleted();
      }
    }

    /** Ends the session; false if it had ended already. */
    private synchronized boolean close() {
      if (closed) {
        return false;
      }
      closed = true;
      connection.close();
      return true;
    }
  }

  /**
   * Puts the remote address of each call into its context, for the session's logs, and, when the
   * server has tokens, refuses a call without a known one and binds the call to the token's client.
   */
  private static final class Authenticator implements ServerInterceptor {
    private static final String BEARER = "Bearer ";
    private final Tokens tokens;

    Authenticator(Tokens tokens) {
      this.tokens = tokens;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      SocketAddress address = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
      String peer = address == null ? "unknown peer" : address.toString();
      Context ctx = Context.current().withValue(PEER, peer);
      if (tokens != null) {
        String header = headers.get(AUTHORIZATION);
        OptionalInt client =
            header != null && header.startsWith(BEARER)
                ? tokens.authenticate(header.substring(BEARER.length()))
                : OptionalInt.empty();
        if (client.isEmpty()) {
          LOG.warn(
              "refused a call from {}: {}",
              peer,
              header == null ? "no bearer token" : "unknown bearer token");
          Metadata trailers = new Metadata();
          trailers.put(REFUSAL, Status.Code.UNAUTHENTICATED.name());
          call.close(
              Status.UNAUTHENTICATED.withDescription(
                  header == null
                      ? "this server needs a bearer token (--token-file)"
                      : "the bearer token is not one of this server's"),
              trailers);
          return new ServerCall.Listener<>() {};
        }
        ctx = ctx.withValue(CLIENT, client.getAsInt());
      }
      return Contexts.interceptCall(ctx, call, headers, next);
    }
  }
}
