package dev.splitlearn.core.protocol;

import java.io.IOException;

/**
 * A client's link to the server: request/reply exchange of {@link Message}s. Implementations encode
 * every message with {@link MessageCodec}, so {@link #traffic()} counts the bytes a network would
 * carry. The in-process transport ships with core; a gRPC one plugs in behind the same interface.
 */
public interface Transport extends AutoCloseable {
  /**
   * Sends {@code request} and waits for the server's reply.
   *
   * @throws IOException if the link fails or a reply cannot be decoded
   * @throws ProtocolException if the server rejected the request
   */
  Message exchange(Message request) throws IOException;

  /** Byte and message counters of this link. */
  Traffic traffic();

  @Override
  void close() throws IOException;
}
