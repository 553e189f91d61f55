package dev.splitlearn.transport.grpc;

import dev.splitlearn.core.protocol.MessageCodec;
import dev.splitlearn.core.protocol.WireTransport;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A client's link to a split-learning server over gRPC: one bidirectional stream for the session,
 * one reply frame per request frame. Every request has a deadline ({@code requestTimeout}: it must
 * outlast the server's longest wait at a barrier or turn); the stream waits for the server to come
 * up (gRPC's wait-for-ready) before the first frame. Not thread-safe.
 */
public final class GrpcLink implements WireTransport.Link {
  private static final Object END = new Object();

  private final String target;
  private final ManagedChannel channel;
  private final Duration requestTimeout;
  private final LinkedBlockingQueue<Object> replies = new LinkedBlockingQueue<>();
  private StreamObserver<byte[]> requests;

  private GrpcLink(String target, ManagedChannel channel, Duration requestTimeout) {
    this.target = target;
    this.channel = channel;
    this.requestTimeout = requestTimeout;
  }

  /**
   * A link to {@code host:port} (plaintext; TLS comes with the server hardening).
   *
   * @throws IllegalArgumentException if {@code target} is not host:port
   */
  public static GrpcLink connect(String target, Duration requestTimeout) {
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
    ManagedChannel channel = NettyChannelBuilder.forAddress(target.substring(0, colon), port)
        .usePlaintext()
        .maxInboundMessageSize(MessageCodec.DEFAULT_MAX_BYTES)
        .keepAliveTime(60, TimeUnit.SECONDS)
        .keepAliveWithoutCalls(true)
        .build();
    return new GrpcLink(target, channel, requestTimeout);
  }

  @Override
  public byte[] roundTrip(byte[] request) throws IOException {
    if (requests == null) {
      requests = ClientCalls.asyncBidiStreamingCall(
          channel.newCall(SplitService.SESSION, CallOptions.DEFAULT.withWaitForReady()), new Replies());
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
      throw new IOException("server " + target + ": no reply within " + requestTimeout.toSeconds() + " s");
    }
    if (reply instanceof byte[] bytes) {
      return bytes;
    }
    if (reply instanceof Status s) {
      throw new IOException("server " + target + ": " + s.getCode()
          + (s.getDescription() == null ? "" : ": " + s.getDescription())
          + (s.getCause() == null ? "" : " (" + s.getCause().getMessage() + ")"));
    }
    throw new IOException("server " + target + " closed the session");
  }

  private final class Replies implements StreamObserver<byte[]> {
    @Override
    public void onNext(byte[] value) {
      replies.add(value);
    }

    @Override
    public void onError(Throwable t) {
      replies.add(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      replies.add(END);
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
