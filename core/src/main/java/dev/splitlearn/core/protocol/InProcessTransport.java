package dev.splitlearn.core.protocol;

/**
 * A transport to a server in the same JVM. Requests and replies are encoded and decoded as on a
 * network, through a connection of the server's {@link WireEndpoint}, so the server never shares an
 * object with the client and the byte counts are real; only the values of the large cut tensors are
 * not copied into the frames: each side reads the other's (see {@link Frame}). Not thread-safe: one
 * client drives one instance.
 */
public final class InProcessTransport extends WireTransport {
  /** Links to {@code server} with float32 tensors and the default message size bound. */
  public InProcessTransport(WireEndpoint server) {
    this(server, new MessageCodec());
  }

  /** Links to {@code server} with the given codec (its compression applies to cut tensors). */
  public InProcessTransport(WireEndpoint server, MessageCodec codec) {
    super(link(server.connect("in-process")), codec);
  }

  private static Link link(WireEndpoint.Connection connection) {
    return new Link() {
      @Override
      public Frame roundTrip(Frame request) {
        return connection.handle(request);
      }

      @Override
      public void close() {
        connection.close();
      }
    };
  }
}
