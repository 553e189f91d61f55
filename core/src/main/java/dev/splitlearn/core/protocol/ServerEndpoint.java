package dev.splitlearn.core.protocol;

/** The server side of a {@link Transport}: answers each request message with one reply. */
public interface ServerEndpoint {
  /**
   * Handles one request.
   *
   * @throws ProtocolException if the request is not valid in the server's current state
   */
  Message handle(Message request);
}
