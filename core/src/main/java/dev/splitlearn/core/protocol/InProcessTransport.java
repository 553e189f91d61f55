package dev.splitlearn.core.protocol;

import java.io.IOException;

/**
 * A transport to a server in the same JVM. Requests and replies are encoded and decoded exactly
 * as on a network, so the server never shares an object with the client and the byte counts are
 * real. Not thread-safe: one client drives one instance.
 */
public final class InProcessTransport implements Transport {
  private final ServerEndpoint server;
  private final MessageCodec codec;
  private final Traffic traffic = new Traffic();

  /** Links to {@code server} with the default message size bound. */
  public InProcessTransport(ServerEndpoint server) {
    this(server, new MessageCodec());
  }

  /** Links to {@code server} with the given codec. */
  public InProcessTransport(ServerEndpoint server, MessageCodec codec) {
    this.server = server;
    this.codec = codec;
  }

  @Override
  public Message exchange(Message request) throws IOException {
    byte[] up = codec.encode(request);
    traffic.up(up.length);
    Message reply = server.handle(codec.decode(up));
    byte[] down = codec.encode(reply);
    traffic.down(down.length);
    return codec.decode(down);
  }

  @Override
  public Traffic traffic() {
    return traffic;
  }

  @Override
  public void close() {}
}
