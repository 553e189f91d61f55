package dev.splitlearn.transport.grpc;

import dev.splitlearn.core.protocol.ErrorCode;
import dev.splitlearn.core.protocol.Frame;
import dev.splitlearn.core.protocol.MessageCodec;
import dev.splitlearn.core.protocol.RemoteException;
import dev.splitlearn.core.protocol.WireTransport;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's link to a split-learning server over gRPC: one bidirectional stream for the session,
 * one reply frame per request frame. Every request has a deadline ({@code requestTimeout}: it must
 * outlast the server's longest wait at a barrier or turn). The first request is retried with
 * backoff while the server is unreachable, for up to {@code connectTimeout} (it may still be
 * starting); a TLS failure is not retried. The server's refusal of a request arrives as a {@link
 * RemoteException} with its code, exactly as from the in-process transport; a broken link as an
 * {@link IOException}. Not thread-safe.
 */
public final class GrpcLink implements WireTransport.Link {
  private static final Logger LOG = LoggerFactory.getLogger(GrpcLink.class);
  private static final Object END = new Object();

  private final String target;
  private final ManagedChannel channel;
  private final Duration requestTimeout;
  private final Duration connectTimeout;
  private final LinkedBlockingQueue<Object> replies = new LinkedBlockingQueue<>();
  private StreamObserver<Frame> requests;
  private boolean answered;

  private GrpcLink(
      String target, ManagedChannel channel, Duration requestTimeout, Duration connectTimeout) {
    this.target = target;
    this.channel = channel;
    this.requestTimeout = requestTimeout;
    this.connectTimeout = connectTimeout;
  }

  /**
   * A plaintext link to {@code host:port} without a token that waits up to a minute for the server.
   */
  public static GrpcLink connect(String target, Duration requestTimeout) throws IOException {
    return connect(target, requestTimeout, Duration.ofMinutes(1), ClientSecurity.none());
  }

  /**
   * A link to {@code host:port}.
   *
   * @throws IllegalArgumentException if {@code target} is not host:port
   * @throws IOException if a certificate or key cannot be read
   */
  public static GrpcLink connect(
      String target, Duration requestTimeout, Duration connectTimeout, ClientSecurity security)
      throws IOException {
    int colon = target.lastIndexOf(':');
    if (colon <= 0 || colon == target.length() - 1) {
      throw new IllegalArgumentException("--server: expected HOST:PORT, got '" + target + "'");
    }
    int port;
    try {
      port = Integer.parseInt(target.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--server: port of '" + target + "' is not a number");
    }
    NettyChannelBuilder builder =
        NettyChannelBuilder.forAddress(target.substring(0, colon), port, credentials(security))
            .maxInboundMessageSize(MessageCodec.DEFAULT_MAX_BYTES)
            // replies are read into the link's memory and queued: too little work for a thread
            // hop to gRPC's executor, one wake-up fewer per round trip
            .directExecutor()
            .keepAliveTime(60, TimeUnit.SECONDS)
            .keepAliveWithoutCalls(true);
    if (security.token() != null) {
      builder.intercept(new BearerToken(security.token()));
    }
    return new GrpcLink(target, builder.build(), requestTimeout, connectTimeout);
  }

  private static ChannelCredentials credentials(ClientSecurity security) throws IOException {
    if (!security.tls()) {
      return InsecureChannelCredentials.create();
    }
    TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder();
    if (security.ca() != null) {
      try {
        b.trustManager(security.ca().toFile());
      } catch (IOException | IllegalArgumentException e) {
        throw new IOException("--tls-ca " + security.ca() + ": cannot load: " + e.getMessage(), e);
      }
    }
    if (security.certificate() != null) {
      try {
        b.keyManager(security.certificate().toFile(), security.key().toFile());
      } catch (IOException | IllegalArgumentException e) {
        throw new IOException(
            "--tls-cert "
                + security.certificate()
                + " / --tls-key "
                + security.key()
                + ": cannot load: "
                + e.getMessage(),
            e);
      }
    }
    return b.build();
  }

  @Override
  public Frame roundTrip(Frame request) throws IOException {
    long deadline = System.nanoTime() + connectTimeout.toNanos();
    long backoffMillis = 100;
    while (true) {
      try {
        Frame reply = Frame.of(send(request));
        answered = true;
        return reply;
      } catch (Unreachable e) {
        if (answered || System.nanoTime() + backoffMillis * 1_000_000 > deadline) {
          throw new IOException(
              "server "
                  + target
                  + " is unreachable: "
                  + e.getMessage()
                  + (answered ? "" : " (tried for " + connectTimeout.toSeconds() + " s)"));
        }
        if (backoffMillis == 100) { // once per wait, not per retry
          LOG.info(
              "server {} not reachable yet ({}); retrying for up to {} s",
              target,
              e.getMessage(),
              connectTimeout.toSeconds());
        }
        try {
          Thread.sleep(backoffMillis);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while connecting to " + target, ie);
        }
        backoffMillis = Math.min(backoffMillis * 2, 5_000);
      }
    }
  }

  private ByteBuffer send(Frame request) throws IOException, Unreachable {
    if (requests == null) {
      requests =
          ClientCalls.asyncBidiStreamingCall(
              channel.newCall(SplitService.CLIENT_SESSION, CallOptions.DEFAULT),
              new Replies(new FrameReader()));
    }
    requests.onNext(request);
    Object reply;
    try {
      reply = replies.poll(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for " + target, e);
    }
    if (reply == null) {
      requests.onError(Status.DEADLINE_EXCEEDED.withDescription("no reply").asRuntimeException());
      throw new IOException(
          "server " + target + ": no reply within " + requestTimeout.toSeconds() + " s");
    }
    if (reply instanceof ByteBuffer frame) {
      return frame;
    }
    requests = null; // the stream is over
    if (reply instanceof Failure f) {
      String refusal = f.trailers() == null ? null : f.trailers().get(GrpcServer.REFUSAL);
      Status s = f.status();
      if (refusal != null) {
        throw new RemoteException(ErrorCode.valueOf(refusal), s.getDescription());
      }
      SSLException tls = tlsCause(s.getCause());
      if (tls != null) {
        throw new IOException(
            "TLS with server "
                + target
                + " failed: "
                + tls.getMessage()
                + " (does --tls-ca name the CA that signed the server's certificate, and --tls-cert/--tls-key"
                + " one the server's --tls-client-ca signed?)",
            tls);
      }
      String why =
          s.getCode()
              + (s.getDescription() == null ? "" : ": " + s.getDescription())
              + (s.getCause() == null ? "" : " (" + s.getCause().getMessage() + ")");
      if (s.getCode() == Status.Code.UNAVAILABLE) {
        throw new Unreachable(why);
      }
      throw new IOException("server " + target + ": " + why);
    }
    throw new IOException("server " + target + " closed the session");
  }

  private static SSLException tlsCause(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SSLException ssl) {
        return ssl;
      }
    }
    return null;
  }

  /** The server could not be reached (worth a retry before the session has started). */
  private static final class Unreachable extends Exception {
    private static final long serialVersionUID = 1L;

    Unreachable(String message) {
      super(message, null, false, false);
    }
  }

  private record Failure(Status status, Metadata trailers) {}

  /** One stream's replies, read into its own memory on gRPC's thread and queued for the client. */
  private final class Replies implements StreamObserver<InputStream> {
    private final FrameReader reader;

    Replies(FrameReader reader) {
      this.reader = reader;
    }

    @Override
    public void onNext(InputStream value) {
      try {
        replies.add(reader.read(value));
      } catch (IOException e) {
        replies.add(
            new Failure(
                Status.DATA_LOSS.withDescription("reading a reply: " + e.getMessage()), null));
      }
    }

    @Override
    public void onError(Throwable t) {
      replies.add(new Failure(Status.fromThrowable(t), Status.trailersFromThrowable(t)));
    }

    @Override
    public void onCompleted() {
      replies.add(END);
    }
  }

  /** Sends {@code authorization: Bearer TOKEN} with every call. */
  private static final class BearerToken implements ClientInterceptor {
    private final String header;

    BearerToken(String token) {
      this.header = "Bearer " + token;
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(
        MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
      return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
        @Override
        public void start(Listener<R> listener, Metadata headers) {
          headers.put(GrpcServer.AUTHORIZATION, header);
          super.start(listener, headers);
        }
      };
    }
  }

  @Override
  public void close() {
    if (requests != null) {
      try {
        requests.onCompleted();
      } catch (IllegalStateException ignored) {
        // the stream already failed
      }
    }
    channel.shutdown();
    try {
      if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      channel.shutdownNow();
    }
  }
}
